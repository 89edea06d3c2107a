"""Thin views: parse a form, check access, call one action, render or redirect."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from hearth.care import actions, cues, wellbeing
from hearth.care import queue as care_queue
from hearth.care.access import access_worry_target
from hearth.care.forms import (
    AskForm,
    ConcernForm,
    MoodForm,
    RecordForm,
    RoundForm,
    SendCheckInForm,
    SnoozeForm,
    TokenForm,
    UploadForm,
)
from hearth.care.models import CheckInRound, MoodEntry, Source, WellbeingReading, WellbeingToken
from hearth.core import params
from hearth.core.crisis import emergency_number
from hearth.core.errors import ActionError
from hearth.core.home import panels_for
from hearth.core.screening import respond_to_screening
from hearth.core.web import MemberRequest, show_errors
from hearth.members import consent, policy
from hearth.members.models import Member
from hearth.members.policy import Perm

# --- Supporters: the queue and a person's care page ---------------------------------------------


@login_required
def queue(request: MemberRequest) -> HttpResponse:
    me = request.member
    policy.require(me, Perm.VIEW_CARE_QUEUE)
    entries = care_queue.build_queue(me)
    return render(
        request,
        "care/queue.html",
        {"entries": entries, "staff": policy.can(me, Perm.USE_CARE_QUEUE), "record_form": RecordForm()},
    )


@login_required
def person(request: MemberRequest, member_id: int) -> HttpResponse:
    me = request.member
    who, entry = care_queue.access_person(me, member_id)
    staff = policy.can(me, Perm.USE_CARE_QUEUE)
    actions.record_person_read(me, who)
    context: dict[str, Any] = {
        "person": who,
        "entry": entry,
        "staff": staff,
        "mine": bool(entry and entry.claimed_by and entry.claimed_by.pk == me.pk),
        "record_form": RecordForm(),
        "snooze_form": SnoozeForm(),
        "send_form": SendCheckInForm(),
        "round_form": RoundForm(),
        "rounds": CheckInRound.objects.filter(member=who, active=True).select_related("supporter"),
        "profile": actions.care_profile(who),
        "last_room": _last_room(request, who),
        "panels": panels_for(request, "person", person=who),
    }
    if policy.can(me, Perm.READ_CARE_NOTES) and request.GET.get("record") == "show":
        context["records"] = actions.care_record(me, who)
    if staff:
        context["concern_count"] = actions.concern_count(who)
        if request.GET.get("noticed") == "show":
            context["concerns"] = actions.concerns_about(me, who)
    return render(request, "care/person.html", context)


def _last_room(request: HttpRequest, who: Member) -> int | None:
    """The one-to-one a check-in was just sent in, if it was to this person."""
    last = request.session.get("care_last_room")
    return last[1] if isinstance(last, list) and len(last) == 2 and last[0] == who.pk else None


@login_required
@require_POST
def person_action(request: MemberRequest, member_id: int) -> HttpResponse:
    me = request.member
    who, _entry = care_queue.access_person(me, member_id)
    action = request.POST.get("action", "")
    back = request.POST.get("next") == "queue"
    with show_errors(request):
        if action == "claim":
            actions.do_claim(me, who.pk)
            messages.success(request, f"You're reaching out to {who.display_name}.")
        elif action == "release":
            actions.do_release(me, who.pk)
            messages.success(request, f"{who.display_name} is back on the queue for someone else.")
        elif action == "record":
            form = RecordForm(request.POST)
            if not form.is_valid():
                raise ActionError("Say how you checked in and how it went.")
            actions.do_record_check_in(
                me,
                who.pk,
                how=form.cleaned_data["how"],
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
                follow_up_on=form.cleaned_data["follow_up_on"],
            )
            messages.success(request, "Thanks — the check-in is recorded.")
            return redirect("care:queue")
        elif action == "snooze":
            snooze = SnoozeForm(request.POST)
            if not snooze.is_valid():
                raise ActionError("Say for how many days (1 to 30) and why.")
            actions.do_snooze(me, who.pk, days=snooze.cleaned_data["days"], reason=snooze.cleaned_data["reason"])
            messages.success(request, f"{who.display_name} is snoozed.")
            return redirect("care:queue")
        elif action == "send":
            send = SendCheckInForm(request.POST)
            if not send.is_valid():
                raise ActionError("Write the message first.")
            room_id = actions.do_send_check_in(me, who.pk, send.cleaned_data["message"])
            messages.success(request, f"Check-in sent to {who.display_name} in your one-to-one.")
            request.session["care_last_room"] = [who.pk, room_id]
        elif action == "round":
            rnd = RoundForm(request.POST)
            if not rnd.is_valid():
                raise ActionError("Check the check-in times: the latest must be after the earliest.")
            data = dict(rnd.cleaned_data)
            data["weekday"] = int(data["weekday"]) if data.get("weekday") not in (None, "") else None
            actions.do_set_round(me, who, **data)
            messages.success(request, f"Check-ins for {who.display_name} are set up.")
        elif action == "stop_round":
            actions.do_stop_round(me, params.require_id(request.POST, "round"))
            messages.success(request, "Those check-ins are stopped.")
        elif action == "usual":
            actions.do_set_usual_supporter(me, who, me)
            messages.success(request, f"You're now {who.display_name}'s usual supporter.")
        else:
            raise ActionError("That isn't something this page can do.")
    if back:
        return redirect("care:queue")
    return redirect("care:person", member_id=who.pk)


# --- Anyone: "I'm worried about someone" ----------------------------------------------------


@login_required
def worried(request: MemberRequest) -> HttpResponse:
    """Tell the team what you noticed about someone (from their post, reply, chat message or profile).

    The words reach staff only; the person raising it is thanked and never told what happens next.
    """
    me = request.member
    data = request.POST if request.method == "POST" else request.GET
    target = access_worry_target(
        me,
        about_id=params.get_id(data, "about"),
        content_key=params.get_text(data, "content", max_length=40),
        object_id=params.get_id(data, "id"),
    )
    form = ConcernForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with show_errors(request, form=form) as attempt:
            concern = actions.do_raise_concern(
                me,
                target.person,
                form.cleaned_data["noticed"],
                content_key=target.content_key,
                object_id=target.object_id,
            )
        if attempt.ok:
            messages.success(
                request,
                f"Thank you for telling us about {target.person.display_name}. Someone from the team will look at "
                "it soon. To keep their privacy we won't tell you what happens next: that doesn't mean nothing does.",
            )
            messages.info(
                request,
                format_html(
                    "If you think they're in danger right now, call {}. And if this has shaken you, "
                    '<a href="{}">you can talk to someone too</a>.',
                    emergency_number(),
                    reverse("core:help"),
                ),
            )
            back = target.back or params.safe_next(request, "") or reverse("core:home")
            if concern.screening.show_crisis_support:  # they wrote about themselves too: support first
                return respond_to_screening(request, concern.screening, back, "")
            return redirect(back)
    return render(request, "care/worried.html", {"target": target, "form": form, "next": params.safe_next(request, "")})


# --- Members: their own care page ------------------------------------------------------------


@login_required
def mine(request: MemberRequest) -> HttpResponse:
    me = request.member
    shared = cues.audiences_of([me.pk])
    rows = [
        {"kind": kind, "audience": shared.get((me.pk, source), consent.NOBODY)} for source, kind in cues.KINDS.items()
    ]
    profile = actions.care_profile(me)
    return render(
        request,
        "care/mine.html",
        {
            "rows": rows,
            "profile": profile,
            "rounds": CheckInRound.objects.filter(member=me, active=True).select_related("supporter"),
            "moods": MoodEntry.objects.filter(member=me).order_by("-day")[:14],
            "mood_on": (me.pk, Source.MOOD) in shared or (me.pk, Source.MOOD_TREND) in shared,
            "wellbeing_on": (me.pk, Source.WELLBEING) in shared,
            "readings": WellbeingReading.objects.filter(member=me).order_by("-day")[:14],
            "tokens": WellbeingToken.objects.filter(member=me, revoked_at__isnull=True),
            "new_token": request.session.pop("care_new_token", None),
            "mood_form": MoodForm(),
            "ask_form": AskForm(),
            "upload_form": UploadForm(),
            "token_form": TokenForm(),
        },
    )


@login_required
@require_POST
def mine_action(request: MemberRequest) -> HttpResponse:
    me = request.member
    action = request.POST.get("action", "")
    with show_errors(request):
        if action == "mood":
            form = MoodForm(request.POST)
            if not form.is_valid():
                raise ActionError("Choose a number from 1 to 5.")
            entry = actions.do_check_in_mood(me, form.cleaned_data["score"], form.cleaned_data["words"])
            back = reverse("core:home") if request.POST.get("next") == "home" else reverse("care:mine")
            return respond_to_screening(request, entry.screening, back, "Thanks for checking in.")
        elif action == "not_today":
            actions.do_skip_mood_today(me)
            return redirect("core:home")
        elif action == "quiet_days":
            actions.do_set_mood_on_quiet_days(me, request.POST.get("on") == "yes")
            messages.success(request, "Saved.")
        elif action == "ask":
            ask = AskForm(request.POST)
            ask.is_valid()
            actions.do_ask_for_check_ins(me, ask.cleaned_data.get("when", ""))
            messages.success(request, "Thanks — someone from the team will be in touch about check-ins.")
        elif action == "stop_round":
            actions.do_stop_round(me, params.require_id(request.POST, "round"))
            messages.success(request, "Those check-ins are stopped.")
        elif action == "switch_off":
            actions.do_switch_off(me)
            messages.success(request, "Check-ins and every care cue are off, and what they collected is deleted.")
        elif action == "switch_on":
            actions.do_switch_on(me)
            messages.success(request, "Check-ins can be set up again. Cues stay off until you turn each one on.")
        elif action == "upload":
            upload = UploadForm(request.POST, request.FILES)
            if not upload.is_valid():
                raise ActionError("Choose a CSV or JSON file.")
            readings = wellbeing.parse(upload.cleaned_data["file"].read(wellbeing.MAX_BYTES + 1))
            count = actions.do_import_readings(me, readings)
            messages.success(request, f"{count} score{'s' if count != 1 else ''} imported.")
        elif action == "token":
            named = TokenForm(request.POST)
            named.is_valid()
            token, raw = actions.do_create_token(me, named.cleaned_data.get("name", ""))
            request.session["care_new_token"] = raw  # shown once, on the next page
            if token.screening is not None and token.screening.show_crisis_support:
                return respond_to_screening(request, token.screening, reverse("care:mine"), "")
        elif action == "revoke":
            actions.do_revoke_token(me, params.require_id(request.POST, "token"))
            messages.success(request, "That token no longer works.")
        else:
            raise ActionError("That isn't something this page can do.")
    return redirect("care:mine")


# --- The token endpoint ----------------------------------------------------------------------


@csrf_exempt  # authenticated by the bearer token, never by cookies
@require_POST
def wellbeing_api(request: HttpRequest) -> HttpResponse:
    """``POST /care/api/wellbeing/`` with ``Authorization: Bearer <token>`` and a CSV or JSON body."""
    header = request.headers.get("Authorization", "")
    raw = header[7:].strip() if header.lower().startswith("bearer ") else ""
    member = actions.member_for_token(raw)
    if member is None:
        return JsonResponse({"error": "That token isn't valid (revoked, or the wellbeing cue is off)."}, status=401)
    try:
        readings = wellbeing.parse(request.body, content_type=request.content_type or "")
        count = actions.do_import_readings(member, readings)
    except ActionError as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    return JsonResponse({"stored": count})
