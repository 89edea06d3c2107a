"""Talk now, the duty desk and the rota: thin views over the actions."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from hearth.availability import actions
from hearth.availability.access import (
    access_cover_request,
    access_own_request,
    access_pattern,
    access_supporter,
    supporters_query,
)
from hearth.availability.forms import (
    DayForm,
    MessageForm,
    ModeForm,
    ShiftPatternForm,
    SkipForm,
    SupporterProfileForm,
    TalkRequestForm,
)
from hearth.availability.models import CoverRequest, DutySession, Mode, ShiftPattern, TalkRequest
from hearth.availability.profiles import known_experience_tags
from hearth.availability.rota import Rota, next_scheduled_start, rostered_now, week_start
from hearth.core.errors import ActionError
from hearth.core.home import Panel, register_panel
from hearth.members import policy
from hearth.members.models import Member
from hearth.members.policy import Perm


def _me(request: HttpRequest) -> Member:
    return request.user  # type: ignore[return-value]


# --- Talk now (members) -------------------------------------------------------------


@login_required
def talk(request: HttpRequest) -> HttpResponse:
    member = _me(request)
    current = next(iter(actions.my_requests(member)), None)
    on_duty = actions.on_duty_supporters()
    modes_on = {m for p in actions.supporter_profiles(on_duty).values() for m in p.modes} if on_duty else None
    form = TalkRequestForm(request.POST or None, known_tags=known_experience_tags(), modes_on=modes_on)
    if request.method == "POST" and current is None and form.is_valid():
        try:
            actions.do_request_talk(member, **form.cleaned_data)
        except ActionError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("availability:talk")
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
def talk_cancel(request: HttpRequest, request_id: int) -> HttpResponse:
    talk_request = access_own_request(_me(request), request_id)
    try:
        actions.do_cancel_talk(_me(request), talk_request)
    except ActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.info(request, "You've stopped waiting. You can ask again any time.")
    return redirect("availability:talk")


@login_required
@require_POST
def talk_match(request: HttpRequest, request_id: int) -> HttpResponse:
    talk_request = access_own_request(_me(request), request_id)
    try:
        actions.do_update_preferences(_me(request), talk_request, strict_match=request.POST.get("strict") == "yes")
    except ActionError as exc:
        messages.error(request, str(exc))
    return redirect("availability:talk")


@login_required
@require_POST
def talk_mode(request: HttpRequest, request_id: int) -> HttpResponse:
    talk_request = access_own_request(_me(request), request_id)
    form = ModeForm(request.POST)
    try:
        if not form.is_valid():
            raise ActionError("Choose how you'd like to talk: text chat, a phone call back, or video.")
        actions.do_update_preferences(_me(request), talk_request, mode=form.cleaned_data["mode"])
    except ActionError as exc:
        messages.error(request, str(exc))
    return redirect("availability:talk")


@login_required
def talk_message(request: HttpRequest) -> HttpResponse:
    """Leave a message for the next supporter on duty (the no-one-on fallback)."""
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_request_talk(_me(request), message=form.cleaned_data["message"])
        except ActionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your message is saved. The next supporter on duty will see it first.")
            return redirect("availability:talk")
    return render(request, "availability/talk_message.html", {"form": form})


# --- The duty desk (supporters) ------------------------------------------------------------


def _duty_context(supporter: Member) -> dict[str, Any]:
    on = actions.is_on_duty(supporter)
    queue = actions.queue_for_supporter(supporter) if on else []
    team = actions.on_duty_supporters()
    profiles = actions.supporter_profiles(team)
    return {
        "team_on": [(person, profiles[person.pk]) for person in team],
        "on_duty": on,
        "queue": queue,
        "messages_waiting": actions.unanswered_messages() if on else [],
        "open_talks": actions.open_conversations_for(supporter),
        "skip_form": SkipForm(),
        "now": timezone.now(),
    }


@login_required
def duty(request: HttpRequest) -> HttpResponse:
    supporter = _me(request)
    policy.require(supporter, Perm.TAKE_SHIFTS)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "check_in":
                actions.do_check_in(supporter)
            elif action == "check_out":
                actions.do_check_out(supporter)
            elif action == "accept":
                talk_request = actions.do_accept_talk(supporter, int(request.POST.get("request", 0) or 0))
                if talk_request.conversation_room_id:
                    return redirect("chat:room", room_id=talk_request.conversation_room_id)
            elif action == "skip":
                form = SkipForm(request.POST)
                if not form.is_valid():
                    raise ActionError("Say briefly why you're skipping this one.")
                actions.do_skip_talk(supporter, int(request.POST.get("request", 0) or 0), form.cleaned_data["reason"])
            elif action == "close":
                closing = TalkRequest.objects.filter(
                    pk=int(request.POST.get("request", 0) or 0), accepted_by=supporter
                ).first()
                if closing is None:
                    raise Http404
                actions.do_close_talk(supporter, closing)
        except ActionError as exc:
            messages.error(request, str(exc))
        return redirect("availability:duty")
    template = "availability/_duty_queue.html" if request.htmx else "availability/duty.html"  # type: ignore[attr-defined]
    return render(request, template, _duty_context(supporter))


# --- Supporter profiles -----------------------------------------------------------------------


def _profile_page(request: HttpRequest, supporter: Member) -> HttpResponse:
    me = _me(request)
    profile = actions.supporter_profiles([supporter])[supporter.pk]
    form = SupporterProfileForm(
        request.POST or None, initial=SupporterProfileForm.initial_for(profile), known_tags=known_experience_tags()
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_save_supporter_profile(me, supporter, **form.cleaned_data)
        except ActionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The supporter profile is saved. Matching uses it from now on.")
            return redirect(request.path)
    return render(
        request,
        "availability/supporter_profile.html",
        {"form": form, "supporter": supporter, "own": supporter.pk == me.pk, "profile": profile},
    )


@login_required
def my_supporter_profile(request: HttpRequest) -> HttpResponse:
    policy.require(_me(request), Perm.TAKE_SHIFTS)
    return _profile_page(request, _me(request))


@login_required
def supporter_profile(request: HttpRequest, member_id: int) -> HttpResponse:
    policy.require(_me(request), Perm.MANAGE_SUPPORTERS)
    return _profile_page(request, access_supporter(_me(request), member_id))


@login_required
def supporter_list(request: HttpRequest) -> HttpResponse:
    policy.require(_me(request), Perm.MANAGE_SUPPORTERS)
    people = list(supporters_query())
    profiles = actions.supporter_profiles(people)
    return render(
        request, "availability/supporters.html", {"rows": [(person, profiles[person.pk]) for person in people]}
    )


# --- The rota ---------------------------------------------------------------------------------


def _week(request: HttpRequest) -> date:
    try:
        day = date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        day = timezone.localdate()
    return week_start(day)


@login_required
def rota(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    policy.require(me, Perm.TAKE_SHIFTS)
    start = _week(request)
    week = Rota(start, 7)
    slots = week.slots()
    days: dict[date, list[Any]] = {}
    for slot in slots:
        days.setdefault(slot.start.date(), []).append(slot)
    manage = policy.can(me, Perm.MANAGE_ROTA)
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
            "days": days,
            "gaps": [s for s in slots if s.gap],
            "manage": manage,
            "patterns": patterns,
            "form": ShiftPatternForm(),
            "day_form": DayForm(),
            "covers": CoverRequest.objects.filter(
                state=CoverRequest.State.OPEN, date__gte=timezone.localdate()
            ).select_related("pattern__supporter"),
            "supporters": supporters_query() if manage else [],
        },
    )


@login_required
@require_POST
def rota_add(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    form = ShiftPatternForm(request.POST)
    supporter = me
    chosen = request.POST.get("supporter", "")
    if chosen.isdigit() and policy.can(me, Perm.MANAGE_ROTA):
        supporter = Member.objects.filter(pk=int(chosen)).first() or me
    if not form.is_valid():
        problems = "; ".join(str(e) for errs in form.errors.values() for e in errs)
        messages.error(request, f"Check the day and times: {problems}")
    else:
        try:
            actions.do_add_shift_pattern(me, supporter, **form.cleaned_data)
        except ActionError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Shift added to the rota.")
    return redirect("availability:rota")


@login_required
@require_POST
def rota_pattern(request: HttpRequest, pattern_id: int) -> HttpResponse:
    me = _me(request)
    pattern = access_pattern(me, pattern_id)
    try:
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
    except ActionError as exc:
        messages.error(request, str(exc))
    return redirect("availability:rota")


@login_required
@require_POST
def cover_take(request: HttpRequest, cover_id: int) -> HttpResponse:
    me = _me(request)
    cover = access_cover_request(me, cover_id)
    try:
        actions.do_take_cover(me, cover)
    except ActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Thank you for covering. It's on the rota.")
    return redirect("availability:rota")


# --- Home page panel -----------------------------------------------------------------------------


def _home_panel(request: HttpRequest) -> dict[str, Any]:
    on = DutySession.objects.filter(ended_at__isnull=True).count()
    if on:
        return {"on_duty": on}
    return {"on_duty": 0, "rostered_now": rostered_now(), "next_start": next_scheduled_start()}


register_panel(Panel("availability.status", "availability/_home_panel.html", _home_panel, order=10))
