"""Talk now, the duty desk and the rota: thin views over the actions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from hearth.availability import actions, oncall
from hearth.availability.access import (
    access_cover_request,
    access_offer,
    access_own_request,
    access_pattern,
    access_supporter,
    supporters_query,
)
from hearth.availability.forms import (
    DayForm,
    GapForm,
    HandoverForm,
    MessageForm,
    ModeForm,
    OnCallForm,
    ServiceExceptionForm,
    ServiceHoursForm,
    ShiftPatternForm,
    SkipForm,
    StaffingRuleForm,
    SupporterProfileForm,
    TalkRequestForm,
)
from hearth.availability.models import (
    DEFAULT_CLOSES,
    DEFAULT_OPENS,
    STARTING_RULES,
    CoverRequest,
    DutySession,
    Mode,
    OnCallSlot,
    OpenShift,
    ServiceException,
    ServiceHours,
    ShiftPattern,
    StaffingRule,
    TalkRequest,
    Weekday,
)
from hearth.availability.profiles import known_experience_tags
from hearth.availability.rota import GapBlock, Rota, ShiftRow, next_scheduled_start, rostered_now, week_start
from hearth.core import params
from hearth.core.errors import ActionError
from hearth.core.home import Panel, register_panel
from hearth.core.screening import respond_to_screening
from hearth.core.web import MemberRequest, show_errors
from hearth.members import policy
from hearth.members.models import Member
from hearth.members.policy import Perm

# --- Talk now (members) -------------------------------------------------------------


@login_required
def talk(request: MemberRequest) -> HttpResponse:
    member = request.member
    current = next(iter(actions.my_requests(member)), None)
    on_duty = actions.on_duty_supporters()
    modes_on = {m for p in actions.supporter_profiles(on_duty).values() for m in p.modes} if on_duty else None
    form = TalkRequestForm(request.POST or None, known_tags=known_experience_tags(), modes_on=modes_on)
    if request.method == "POST" and current is None and form.is_valid():
        with show_errors(request, form=form) as attempt:
            talk_request = actions.do_request_talk(member, **form.cleaned_data)
        if attempt.ok:
            done = "Thank you. We've got your message." if talk_request.state == "message" else "You're in the queue."
            return respond_to_screening(request, talk_request.screening, reverse("availability:talk"), done)
    context: dict[str, Any] = {"form": form, "current": current, "on_duty": on_duty}
    if current is not None and current.state == TalkRequest.State.WAITING:
        context["wait"] = actions.place_and_estimate(current)
        context["other_modes"] = [
            (v, label) for v, label in Mode.choices if v != current.mode and v in (modes_on or ())
        ]
    if not context["on_duty"]:
        context["next_start"] = next_scheduled_start()
    return render(request, "availability/talk.html", context)


@login_required
@require_POST
def talk_cancel(request: MemberRequest, request_id: int) -> HttpResponse:
    talk_request = access_own_request(request.member, request_id)
    with show_errors(request) as attempt:
        actions.do_cancel_talk(request.member, talk_request)
    if attempt.ok:
        messages.info(request, "You've stopped waiting. You can ask again any time.")
    return redirect("availability:talk")


@login_required
@require_POST
def talk_match(request: MemberRequest, request_id: int) -> HttpResponse:
    talk_request = access_own_request(request.member, request_id)
    with show_errors(request):
        actions.do_update_preferences(request.member, talk_request, strict_match=request.POST.get("strict") == "yes")
    return redirect("availability:talk")


@login_required
@require_POST
def talk_mode(request: MemberRequest, request_id: int) -> HttpResponse:
    talk_request = access_own_request(request.member, request_id)
    form = ModeForm(request.POST)
    with show_errors(request):
        if not form.is_valid():
            raise ActionError("Choose how you'd like to talk: text chat, a phone call back, or video.")
        actions.do_update_preferences(request.member, talk_request, mode=form.cleaned_data["mode"])
    return redirect("availability:talk")


@login_required
def talk_message(request: MemberRequest) -> HttpResponse:
    """Leave a message for the next supporter on duty (the no-one-on fallback)."""
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with show_errors(request, form=form) as attempt:
            talk_request = actions.do_request_talk(request.member, message=form.cleaned_data["message"])
        if attempt.ok:
            return respond_to_screening(
                request,
                talk_request.screening,
                reverse("availability:talk"),
                "Your message is saved. The next supporter on duty will see it first.",
            )
    return render(request, "availability/talk_message.html", {"form": form})


# --- The duty desk (supporters) ------------------------------------------------------------


def _duty_context(supporter: Member) -> dict[str, Any]:
    on = actions.is_on_duty(supporter)
    queue = actions.queue_for_supporter(supporter) if on else []
    team = actions.on_duty_supporters()
    profiles = actions.supporter_profiles(team)
    waiting = actions.unanswered_messages() if on else []
    # Crisis words are for staff who handle alerts; volunteers see that someone is waiting for staff.
    can_crisis = policy.can(supporter, Perm.HANDLE_CRISIS)
    actions.record_talk_words_read(supporter, [*waiting, *queue], can_crisis=can_crisis)
    return {
        "team_on": [(person, profiles[person.pk]) for person in team],
        "on_duty": on,
        "queue": queue,
        "messages_waiting": waiting,
        "open_talks": actions.open_conversations_for(supporter),
        "can_crisis": can_crisis,
        "skip_form": SkipForm(),
        "now": timezone.now(),
        "handover_waiting": actions.handover_count_since_last_shift(supporter),
        "can_read_handover": policy.can(supporter, Perm.READ_HANDOVER),
    }


@login_required
def duty(request: MemberRequest) -> HttpResponse:
    supporter = request.member
    policy.require(supporter, Perm.TAKE_SHIFTS)
    if request.method == "POST":
        action = request.POST.get("action")
        with show_errors(request):
            if action == "check_in":
                actions.do_check_in(supporter)
            elif action == "check_out":
                actions.do_check_out(supporter)
            elif action == "accept":
                talk_request = actions.do_accept_talk(supporter, params.require_id(request.POST, "request"))
                if talk_request.conversation_room_id:
                    return redirect("chat:room", room_id=talk_request.conversation_room_id)
            elif action == "skip":
                form = SkipForm(request.POST)
                if not form.is_valid():
                    raise ActionError("Say briefly why you're skipping this one.")
                actions.do_skip_talk(supporter, params.require_id(request.POST, "request"), form.cleaned_data["reason"])
            elif action == "close":
                closing = TalkRequest.objects.filter(
                    pk=params.require_id(request.POST, "request"), accepted_by=supporter
                ).first()
                if closing is None:
                    raise Http404
                actions.do_close_talk(supporter, closing)
        return redirect("availability:duty")
    template = "availability/_duty_queue.html" if request.htmx else "availability/duty.html"
    return render(request, template, _duty_context(supporter))


@login_required
def handover(request: MemberRequest) -> HttpResponse:
    """Handover notes between shifts: anyone on the rota leaves one; staff read the last two days' (audited)."""
    me = request.member
    policy.require(me, Perm.WRITE_HANDOVER)
    form = HandoverForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with show_errors(request, form=form, field="note") as attempt:
            actions.do_write_handover(me, form.cleaned_data["note"])
        if attempt.ok:
            messages.success(request, "Thank you. Your note is there for the next people on.")
            return redirect("availability:handover")
    notes = actions.handover_notes(me) if policy.can(me, Perm.READ_HANDOVER) else None
    return render(request, "availability/handover.html", {"form": form, "notes": notes})


# --- Supporter profiles -----------------------------------------------------------------------


def _profile_page(request: MemberRequest, supporter: Member) -> HttpResponse:
    me = request.member
    profile = actions.supporter_profiles([supporter])[supporter.pk]
    form = SupporterProfileForm(
        request.POST or None, initial=SupporterProfileForm.initial_for(profile), known_tags=known_experience_tags()
    )
    if request.method == "POST" and form.is_valid():
        with show_errors(request, form=form) as attempt:
            actions.do_save_supporter_profile(me, supporter, **form.cleaned_data)
        if attempt.ok:
            messages.success(request, "The supporter profile is saved. Matching uses it from now on.")
            return redirect(request.path)
    return render(
        request,
        "availability/supporter_profile.html",
        {"form": form, "supporter": supporter, "own": supporter.pk == me.pk, "profile": profile},
    )


@login_required
def my_supporter_profile(request: MemberRequest) -> HttpResponse:
    policy.require(request.member, Perm.TAKE_SHIFTS)
    return _profile_page(request, request.member)


@login_required
def supporter_profile(request: MemberRequest, member_id: int) -> HttpResponse:
    policy.require(request.member, Perm.MANAGE_SUPPORTERS)
    return _profile_page(request, access_supporter(request.member, member_id))


@login_required
def supporter_list(request: MemberRequest) -> HttpResponse:
    policy.require(request.member, Perm.MANAGE_SUPPORTERS)
    people = list(supporters_query())
    profiles = actions.supporter_profiles(people)
    return render(
        request, "availability/supporters.html", {"rows": [(person, profiles[person.pk]) for person in people]}
    )


# --- The rota ---------------------------------------------------------------------------------


def _week(request: HttpRequest) -> date:
    data = request.GET if "week" in request.GET else request.POST
    return week_start(params.get_date(data, "week", timezone.localdate()))


def _back_to_rota(request: HttpRequest, anchor: str = "") -> HttpResponse:
    week = _week(request)
    return redirect(f"{reverse('availability:rota')}?week={week:%Y-%m-%d}{anchor}")


@dataclass
class DayRow:
    day: date
    hours: tuple[time, time] | None
    note: str
    shifts: list[ShiftRow]
    gaps: list[GapBlock]


@login_required
def rota(request: MemberRequest) -> HttpResponse:
    """The week at a glance: gaps first (with fill and offer on each), shifts to take, then the week, then
    regular shifts. Coordinators see every gap; supporters see the week and what they can take."""
    me = request.member
    policy.require(me, Perm.TAKE_SHIFTS)
    start = _week(request)
    week = Rota(start, 7)
    blocks = week.gap_blocks()
    manage = policy.can(me, Perm.MANAGE_ROTA)
    today = timezone.localdate()
    open_offers = list(
        OpenShift.objects.filter(state=OpenShift.State.OPEN, date__gte=max(start, today), date__lt=start + timedelta(7))
        .annotate(offered=Count("offered_to"))
        .order_by("date", "starts")
    )
    gaps = []
    if manage:
        eligibility = actions.Eligibility(week)
        for block in blocks:
            if block.day < today:
                continue
            offer = next(
                (o for o in open_offers if o.date == block.day and o.starts < block.ends and block.starts < o.ends),
                None,
            )
            people = [] if offer else eligibility.for_shift(block.day, block.starts, block.ends, block.who)
            gaps.append({"block": block, "offer": offer, "people": people})
    days = []
    for offset in range(7):
        day = start + timedelta(days=offset)
        exception = week.exceptions.get(day)
        days.append(
            DayRow(
                day=day,
                hours=week.service_hours(day),
                note=exception.note if exception else "",
                shifts=week.shifts_on(day),
                gaps=[b for b in blocks if b.day == day],
            )
        )
    patterns = ShiftPattern.objects.filter(valid_until__isnull=True).select_related("supporter")
    if not manage:
        patterns = patterns.filter(supporter=me)
    return render(
        request,
        "availability/rota.html",
        {
            "start": start,
            "previous": start - timedelta(days=7),
            "next": start + timedelta(days=7),
            "this_week": week_start(today),
            "today": today,
            "days": days,
            "gaps": gaps,
            "gap_hours": sum(b.hours for b in blocks if b.day >= today),
            "manage": manage,
            "rules": week.rules,
            "patterns": patterns,
            "form": ShiftPatternForm(),
            "my_offers": [o for o in actions.offers_for(me, today) if start <= o.date < start + timedelta(7)],
            "open_offers": open_offers if manage else [],
            "missed": actions.missed_check_ins(rota=week) if manage and start == week_start(today) else [],
            "covers": CoverRequest.objects.filter(state=CoverRequest.State.OPEN, date__gte=today).select_related(
                "pattern__supporter"
            ),
            "supporters": supporters_query() if manage else [],
        },
    )


@login_required
@require_POST
def rota_gap(request: MemberRequest) -> HttpResponse:
    """Fill a gap with a named supporter, or offer it to everyone eligible: one tap, from the gap itself."""
    me = request.member
    policy.require(me, Perm.MANAGE_ROTA)
    form = GapForm(request.POST)
    with show_errors(request):
        if not form.is_valid():
            raise ActionError("Those hours didn't come through. Reload the rota and try again.")
        gap = form.cleaned_data
        if request.POST.get("action") == "offer":
            offer = actions.do_offer_shift(
                me, gap["date"], gap["starts"], gap["ends"], who=gap["who"], note=gap["note"]
            )
            count = offer.offered_to.count()
            messages.success(
                request,
                f"Offered to {count} {'person' if count == 1 else 'people'}. The first to take it has it."
                if count
                else "Nobody is free for those hours right now; the offer stays open on the rota.",
            )
        else:
            if not gap["supporter"]:
                raise ActionError("Choose who to put on the rota.")
            supporter = access_supporter(me, gap["supporter"])
            actions.do_fill_gap(me, supporter, gap["date"], gap["starts"], gap["ends"])
            messages.success(
                request,
                f"{supporter.display_name} is on the rota {gap['date']:%A} {gap['starts']:%H:%M}-{gap['ends']:%H:%M}.",
            )
    return _back_to_rota(request, "#gaps-h")


@login_required
@require_POST
def offer_claim(request: MemberRequest, offer_id: int) -> HttpResponse:
    me = request.member
    offer = access_offer(me, offer_id)
    with show_errors(request) as attempt:
        actions.do_claim_open_shift(me, offer)
    if attempt.ok:
        messages.success(request, f"Thank you: the shift on {offer.date:%A %-d %B} is yours. It's on the rota.")
    return _back_to_rota(request)


@login_required
@require_POST
def offer_withdraw(request: MemberRequest, offer_id: int) -> HttpResponse:
    me = request.member
    policy.require(me, Perm.MANAGE_ROTA)
    offer = access_offer(me, offer_id)
    with show_errors(request) as attempt:
        actions.do_withdraw_open_shift(me, offer)
    if attempt.ok:
        messages.success(request, "The offer is withdrawn.")
    return _back_to_rota(request, "#gaps-h")


@login_required
@require_POST
def rota_add(request: MemberRequest) -> HttpResponse:
    me = request.member
    form = ShiftPatternForm(request.POST)
    supporter = me
    chosen = params.get_id(request.POST, "supporter")
    if chosen is not None and policy.can(me, Perm.MANAGE_ROTA):
        supporter = access_supporter(me, chosen)
    if not form.is_valid():
        problems = "; ".join(str(e) for errs in form.errors.values() for e in errs)
        messages.error(request, f"Check the day and times: {problems}")
    else:
        with show_errors(request) as attempt:
            actions.do_add_shift_pattern(me, supporter, **form.cleaned_data)
        if attempt.ok:
            messages.success(request, "Shift added to the rota.")
    return _back_to_rota(request, "#regular-h")


@login_required
@require_POST
def rota_pattern(request: MemberRequest, pattern_id: int) -> HttpResponse:
    me = request.member
    pattern = access_pattern(me, pattern_id)
    with show_errors(request):
        if request.POST.get("action") == "remove":
            actions.do_remove_shift_pattern(me, pattern)
            messages.success(request, "Shift removed from the rota.")
        else:
            form = DayForm(request.POST)
            if not form.is_valid():
                raise ActionError("Pick a date.")
            if request.POST.get("action") == "cover":
                actions.do_request_cover(me, pattern, form.cleaned_data["date"], form.cleaned_data["note"])
                messages.success(request, "Cover request posted. Supporters will see it on the rota.")
            else:
                actions.do_mark_off(me, pattern.supporter, form.cleaned_data["date"], form.cleaned_data["note"])
                messages.success(request, "Marked as off that day.")
    return _back_to_rota(request, "#regular-h")


@login_required
@require_POST
def cover_take(request: MemberRequest, cover_id: int) -> HttpResponse:
    me = request.member
    cover = access_cover_request(me, cover_id)
    with show_errors(request) as attempt:
        actions.do_take_cover(me, cover)
    if attempt.ok:
        messages.success(request, "Thank you for covering. It's on the rota.")
    return _back_to_rota(request)


# --- Service hours and staffing rules ------------------------------------------------------------


@login_required
def rules(request: MemberRequest) -> HttpResponse:
    """Service hours per weekday, special days, and the staffing rules gaps are checked against."""
    me = request.member
    policy.require(me, Perm.MANAGE_ROTA)
    weekly = {h.weekday: h for h in ServiceHours.objects.all()}
    which = request.POST.get("form", "")
    hours_forms = []
    for day, label in Weekday.choices:
        h = weekly.get(day)
        initial = {
            "closed": h.closed if h else False,
            "opens": h.opens if h else DEFAULT_OPENS,
            "closes": h.closes if h else DEFAULT_CLOSES,
        }
        bound = request.POST if which == "hours" else None
        hours_forms.append((day, label, ServiceHoursForm(bound, initial=initial, prefix=f"day{day}")))
    exception_form = ServiceExceptionForm(request.POST if which == "exception" else None)
    rule_form = StaffingRuleForm(request.POST if which == "rule" else None)
    if request.method == "POST":
        with show_errors(request):
            if which == "hours":
                if not all(f.is_valid() for _, _, f in hours_forms):
                    raise ActionError("Check the hours marked below.")
                for day, _, f in hours_forms:
                    actions.do_set_service_hours(me, day, **f.cleaned_data)
                messages.success(request, "Service hours are saved.")
                return redirect("availability:rules")
            if which == "exception":
                if not exception_form.is_valid():
                    raise ActionError("Check the date and times.")
                actions.do_set_service_exception(
                    me, exception_form.cleaned_data.pop("date"), **exception_form.cleaned_data
                )
                messages.success(request, "The special day is saved. The rota's gaps follow it.")
                return redirect("availability:rules")
            if which == "rule":
                if not rule_form.is_valid():
                    raise ActionError("Check the rule.")
                actions.do_add_staffing_rule(me, **rule_form.cleaned_data)
                messages.success(request, "The rule is added. The rota shows gaps against it.")
                return redirect("availability:rules")
            if which == "remove_rule":
                rule = StaffingRule.objects.filter(pk=params.require_id(request.POST, "rule")).first()
                if rule is None:
                    raise Http404
                actions.do_remove_staffing_rule(me, rule)
                messages.success(request, "The rule is removed.")
                return redirect("availability:rules")
            if which == "remove_exception":
                exception = ServiceException.objects.filter(pk=params.require_id(request.POST, "exception")).first()
                if exception is None:
                    raise Http404
                actions.do_remove_service_exception(me, exception)
                messages.success(request, "The special day is removed.")
                return redirect("availability:rules")
            raise ActionError("Something went wrong with that form. Please try again.")
    written = list(StaffingRule.objects.all())
    return render(
        request,
        "availability/rules.html",
        {
            "hours_forms": hours_forms,
            "exception_form": exception_form,
            "rule_form": rule_form,
            "rules": written,
            "starting_rules": [] if written else STARTING_RULES,
            "exceptions": ServiceException.objects.filter(date__gte=timezone.localdate()),
        },
    )


@login_required
def on_call(request: MemberRequest) -> HttpResponse:
    """The on-call rota: who is reached, and how, when a crisis alert comes in and nobody is on duty."""
    from hearth.core import push

    me = request.member
    policy.require(me, Perm.MANAGE_ROTA)
    form = OnCallForm(request.POST if request.POST.get("form") == "add" else None)
    if request.method == "POST":
        with show_errors(request):
            if request.POST.get("form") == "add":
                if not form.is_valid():
                    raise ActionError("Check the on-call hours marked below.")
                actions.do_add_on_call(me, **form.cleaned_data)
                messages.success(request, "They're on the on-call rota.")
                return redirect("availability:on_call")
            if request.POST.get("form") == "remove":
                slot = (
                    OnCallSlot.objects.filter(pk=params.require_id(request.POST, "slot"))
                    .select_related("person")
                    .first()
                )
                if slot is None:
                    raise Http404
                actions.do_remove_on_call(me, slot)
                messages.success(request, "Those on-call hours are removed.")
                return redirect("availability:on_call")
            raise ActionError("Something went wrong with that form. Please try again.")
    # Honest about what will happen: a push to nobody's phone would reach nobody, so they are emailed instead.
    rows = [
        (slot, slot.channel == OnCallSlot.Channel.PUSH and not push.reachable(slot.person))
        for slot in OnCallSlot.objects.select_related("person")
    ]
    return render(
        request,
        "availability/on_call.html",
        {
            "form": form,
            "rows": rows,
            "now": oncall.on_call_at(),
            "uncovered": oncall.uncovered(),
            "on_call_email": bool(settings.HEARTH_ON_CALL_EMAIL),
        },
    )


# --- Home page panel -----------------------------------------------------------------------------


def _home_panel(request: HttpRequest) -> dict[str, Any]:
    on = DutySession.objects.filter(ended_at__isnull=True).count()
    if on:
        return {"on_duty": on}
    return {"on_duty": 0, "rostered_now": rostered_now(), "next_start": next_scheduled_start()}


register_panel(Panel("availability.status", "availability/_home_panel.html", _home_panel, order=10))
