"""Thin views: parse a form, call the access helper, call one action, render or redirect.

Every page works without JavaScript; ``static/chat/room.js`` enhances the room
with the websocket (live messages, typing, presence, hands, the meter).
"""

from __future__ import annotations

import math
import time
import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from hearth.chat import access, actions, home, ics, pushback
from hearth.chat.forms import (
    BookForm,
    BuddyPreferenceForm,
    CallRecordForm,
    CapacityForm,
    DropInForm,
    EditForm,
    GatheringForm,
    HandOffForm,
    HideForm,
    InviteForm,
    MessagesFromForm,
    NotesForm,
    OutcomeForm,
    PollAnswerForm,
    PollForm,
    PromptsForm,
    ProposeBuddiesForm,
    ReviewForm,
    RsvpForm,
    SendForm,
    SlotForm,
    StartCallForm,
)
from hearth.chat.models import (
    Attendance,
    AttendanceHow,
    Conversation,
    ConversationKind,
    DropIn,
    FollowUp,
    Gathering,
    GatheringFormat,
    GatheringInvitation,
    MessagesFrom,
    Prompt,
    RoomKind,
    Rsvp,
    RsvpAnswer,
    SlotWay,
)
from hearth.community.access import access_group_content, my_groups
from hearth.core import params
from hearth.core.errors import ActionError
from hearth.core.home import Panel, register_panel
from hearth.core.screening import respond_to_screening
from hearth.core.web import MemberRequest, show_errors
from hearth.members import policy
from hearth.members.models import Member
from hearth.members.policy import Perm

PAGE_SIZE = 50


@login_required
def index(request: MemberRequest) -> HttpResponse:
    member = request.member
    return render(
        request,
        "chat/index.html",
        {
            "groups": my_groups(member),
            "drop_ins": access.open_drop_ins_for(member),
            "coming_up": access.coming_up(member, days=14, limit=20),
            "conversations": access.inbox(member)[:5],
            "polls": access.open_polls(member)[:10],
        },
    )


@login_required
def inbox(request: MemberRequest) -> HttpResponse:
    """Messages: every conversation the member is in, latest first, with what's unread."""
    member = request.member
    pager = Paginator(access.inbox(member), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {"entry": e, "other": access.other_person(e, member), "conversation": getattr(e.room, "conversation", None)}
        for e in pager
    ]
    return render(
        request,
        "chat/inbox.html",
        {
            "rows": rows,
            "pager": pager,
            "member_messages": access.member_messages_on(),
            "messages_from": access.messages_from(member),
        },
    )


# --- Messages between members ------------------------------------------------------------------


@login_required
def message_settings(request: MemberRequest) -> HttpResponse:
    """The member's own choice about messages from other members, and the people they blocked."""
    member = request.member
    form = MessagesFromForm(request.POST or None, initial={"messages_from": access.messages_from(member)})
    if request.method == "POST" and form.is_valid():
        actions.do_set_messages_from(member, form.cleaned_data["messages_from"])
        messages.success(request, "Your choice is saved.")
        return redirect("chat:message_settings")
    return render(
        request,
        "chat/message_settings.html",
        {"form": form, "blocks": access.blocked_by(member), "member_messages": access.member_messages_on()},
    )


@login_required
def message_someone(request: MemberRequest) -> HttpResponse:
    """People in the member's groups who take messages from other members."""
    member = request.member
    return render(
        request,
        "chat/message_someone.html",
        {
            "people": access.people_to_message(member),
            "member_messages": access.member_messages_on(),
            "open_to_messages": access.messages_from(member) != MessagesFrom.NOBODY,
        },
    )


@login_required
@require_POST
def start_member_conversation(request: MemberRequest, member_id: int) -> HttpResponse:
    member = request.member
    other = access.access_peer(member, member_id)
    with show_errors(request) as attempt:
        conversation = actions.do_start_member_conversation(member, other)
    if attempt.failed:
        return redirect("chat:message_someone")
    return redirect("chat:room", conversation.room_id)


@login_required
@require_POST
def block_member(request: MemberRequest, member_id: int) -> HttpResponse:
    member = request.member
    other = access.access_peer(member, member_id)
    with show_errors(request) as attempt:
        actions.do_block(member, other)
    if attempt.ok:
        messages.success(
            request,
            f"You've blocked {other.display_name}. Neither of you can message the other, and they aren't told. "
            "If something they said worried you, you can report it too.",
        )
    return redirect("chat:message_settings")


@login_required
@require_POST
def unblock_member(request: MemberRequest, member_id: int) -> HttpResponse:
    member = request.member
    other = access.access_peer(member, member_id)
    actions.do_unblock(member, other)
    messages.success(request, f"You've unblocked {other.display_name}.")
    return redirect("chat:message_settings")


@login_required
def review_conversation(request: MemberRequest, conversation_id: int) -> HttpResponse:
    """Staff read a one-to-one they're not in: only once a report or a crisis opened it, with a reason
    (each read audited). GET asks for the reason; the messages are shown only in answer to it."""
    member = request.member
    conversation, openers = access.access_conversation_for_review(member, conversation_id)
    form = ReviewForm(request.POST or None)
    rows = None
    if request.method == "POST" and form.is_valid():
        with show_errors(request, form=form):
            rows = actions.do_review_conversation(member, conversation, form.cleaned_data["reason"], openers)
    return render(
        request,
        "chat/review.html",
        {"conversation": conversation, "openers": openers, "form": form, "rows": rows},
    )


@login_required
def coming_up(request: MemberRequest) -> HttpResponse:
    """The "Coming up" panel alone, for a page to refresh it when a gathering is announced."""
    member = request.member
    group = None
    group_id = params.get_id(request.GET, "group")
    if group_id is not None:
        group, _ = access_group_content(member, group_id)
    panel = home._coming_up(request, group=group) or {"items": [], "group": None, "refresh_url": request.path}
    return render(request, "chat/_coming_up.html", {"panel": panel})


@login_required
def group_room(request: MemberRequest, group_id: int) -> HttpResponse:
    room = actions.do_open_group_room(request.member, group_id)
    return redirect("chat:room", room.pk)


@login_required
def room_page(request: MemberRequest, room_id: int) -> HttpResponse:
    member = request.member
    room = access.access_room(member, room_id)
    # Read before the history: anything newer reaches the page through the socket's resume.
    last_seq = room.last_seq
    pager = Paginator(access.history(room), PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = list(reversed(pager.object_list))
    for m in rows:
        m.editable = m.sender_id == member.pk and m.kind == "text" and now - m.created_at <= actions.EDIT_WINDOW
    context: dict[str, Any] = {
        "room": room,
        "pager": pager,
        "rows": rows,
        "last_seq": last_seq,
        "form": SendForm(initial={"client_id": uuid.uuid4().hex}),
        "can_moderate": access.can_moderate(member, room),
        "edit_minutes": int(actions.EDIT_WINDOW.total_seconds() // 60),
        "facilitating": access.can_facilitate(member, room),
        "present": access.present(room),
        "hands": access.hand_queue(room),
        "raised": any(h.member_id == member.pk for h in access.hand_queue(room)),
    }
    if room.kind == RoomKind.CONVERSATION:
        conversation = Conversation.objects.select_related("member", "supporter").get(room=room)
        context["other"] = access.conversation_partner(conversation, member)
        context["conversation"] = conversation
        if conversation.kind == ConversationKind.SUPPORT:
            context["calls"] = access.recent_calls(conversation)
            if conversation.supporter_id == member.pk and conversation.closed_at is None:
                context["call_ways"] = [way for way in actions.CALL_WAYS if _may_offer(member, way)]
        if conversation.kind == ConversationKind.PEER:
            context["peer"] = True
            context["blocked"] = access.blocked_by(member).filter(blocked=context["other"]).exists()
            try:
                if conversation.closed_at is not None:
                    raise ActionError("This conversation is closed. You can still read it.")
                actions.check_can_message(member, context["other"])
            except ActionError as error:
                context["cannot_send"] = str(error)
        actions.do_mark_read(member, room)
    drop_in = DropIn.objects.filter(room=room).first()
    context["drop_in"] = drop_in
    context["hosting"] = drop_in is not None and drop_in.host_id == member.pk
    gathering = Gathering.objects.filter(room=room).first()
    context["gathering"] = gathering
    if context["facilitating"]:
        # "This session": the gathering's, once it has begun; otherwise the last couple of hours.
        since = now - timedelta(hours=2)
        if gathering is not None and gathering.session_start() <= now:
            since = gathering.session_start()
        shares = access.talk_share(room, since)
        if gathering is not None:
            newcomers = access.newcomer_ids(
                gathering, [p.pk for p in context["present"]] + [s.member_id for s in shares]
            )
            for share in shares:
                share.newcomer = share.member_id in newcomers
            context["newcomers"] = [p for p in context["present"] if p.pk in newcomers]
        context["shares"] = shares
        context["dominant"] = access.dominant_speaker(shares)
        context["dominant_share"] = access.DOMINANT_SHARE
        context["dominant_speakers"] = access.DOMINANT_MIN_SPEAKERS
        context["dominant_words"] = access.DOMINANT_MIN_WORDS
        context["prompts"] = Prompt.objects.filter(active=True)
        group_people = Member.objects.filter(memberships__group=room.group, is_active=True).order_by("display_name")
        context["handoff_form"] = HandOffForm(
            people=group_people,
            supporters=Member.objects.filter(role_grants__role__in=policy.roles_with(Perm.COVER_GROUPS), is_active=True)
            .distinct()
            .order_by("display_name"),
        )
    return render(request, "chat/room.html", context)


def _room_redirect(room_id: int) -> HttpResponse:
    response = redirect("chat:room", room_id)
    response["Location"] += "#latest"
    return response


@login_required
@require_POST
def send(request: MemberRequest, room_id: int) -> HttpResponse:
    room = access.access_room(request.member, room_id)
    form = SendForm(request.POST)
    if form.is_valid():
        entered = time.monotonic()
        retry = pushback.gate.enter(room.pk, entered)
        if retry is not None:  # over capacity: nothing stored; the form comes back with the words in it
            if not form.cleaned_data["client_id"]:  # so that sending it again posts it once
                form = SendForm({"body": form.cleaned_data["body"], "client_id": uuid.uuid4().hex})
            seconds = max(1, math.ceil(retry))
            response = render(
                request, "chat/busy.html", {"form": form, "room": room, "retry_after": seconds}, status=429
            )
            response["Retry-After"] = str(seconds)
            return response
        with show_errors(request) as attempt:
            message, _ = _store_message(
                request.member, room, form.cleaned_data["body"], form.cleaned_data["client_id"], entered
            )
        if attempt.ok and message.screening is not None:
            return respond_to_screening(request, message.screening, reverse("chat:room", args=[room.pk]), "Sent.")
    else:
        messages.error(request, "Write something before sending (up to 4,000 characters).")
    return _room_redirect(room.pk)


def _store_message(member: Any, room: Any, body: str, client_id: str, entered: float) -> tuple[Any, bool]:
    started = time.perf_counter()
    try:
        return actions.do_send_message(member, room, body, client_id)
    finally:
        pushback.gate.done(time.perf_counter() - started)
        pushback.gate.leave(room.pk, entered)


@login_required
def edit(request: MemberRequest, message_id: int) -> HttpResponse:
    message = access.access_message(request.member, message_id)
    # Only the author, within the edit window: anyone else gets the reason, not a form that can't be sent.
    _refuse_unless(actions.check_own_recent, request.member, message, timezone.now())
    form = EditForm(request.POST or None, initial={"body": message.body})
    if request.method == "POST" and form.is_valid():
        with show_errors(request, form=form):
            actions.do_edit_message(request.member, message, form.cleaned_data["body"])
            return _room_redirect(message.room_id)
    return render(request, "chat/edit.html", {"form": form, "message": message})


@login_required
@require_POST
def delete(request: MemberRequest, message_id: int) -> HttpResponse:
    message = access.access_message(request.member, message_id)
    with show_errors(request):
        actions.do_delete_message(request.member, message)
    return _room_redirect(message.room_id)


@login_required
@require_POST
def hide(request: MemberRequest, message_id: int) -> HttpResponse:
    message = access.access_message(request.member, message_id)
    form = HideForm(request.POST)
    form.is_valid()
    with show_errors(request):
        actions.do_hide_message(request.member, message, form.cleaned_data.get("reason", ""))
        messages.success(request, "The message is hidden. The audit log records it.")
    return _room_redirect(message.room_id)


@login_required
@require_POST
def hand(request: MemberRequest, room_id: int) -> HttpResponse:
    """Raise or lower your hand; a facilitator lowers someone else's with ``member``."""
    member = request.member
    room = access.access_room(member, room_id)
    with show_errors(request):
        if request.POST.get("raise") == "1":
            actions.do_raise_hand(member, room)
        else:
            actions.do_clear_hand(member, room, params.get_id(request.POST, "member") or member.pk)
    return _room_redirect(room.pk)


@login_required
@require_POST
def facilitate(request: MemberRequest, room_id: int) -> HttpResponse:
    """The facilitation panel's buttons without JavaScript: a prompt, the closing round, a hand-off."""
    member = request.member
    room = access.access_room(member, room_id)
    what = request.POST.get("what")
    with show_errors(request):
        if what == "prompt":
            actions.do_send_prompt(member, room, params.get_id(request.POST, "prompt") or 0)
        elif what == "closing":
            actions.do_start_closing_round(member, room)
        elif what == "handoff":
            people = Member.objects.filter(memberships__group=room.group)
            form = HandOffForm(request.POST, people=people, supporters=Member.objects.filter(is_active=True))
            if not form.is_valid():
                raise ActionError("Choose who to offer a one-to-one to, and the supporter.")
            actions.do_hand_off(
                member, room, form.cleaned_data["person"], form.cleaned_data["supporter"], form.cleaned_data["note"]
            )
            messages.success(request, "A private one-to-one is open and a follow-up is recorded.")
    return _room_redirect(room.pk)


# --- Drop-ins and gatherings ---------------------------------------------------------------


def _refuse_unless(check: Any, *args: Any) -> None:
    """A page whose form only some group members may use: the others get a 403 page, not a form that fails."""
    try:
        check(*args)
    except ActionError as error:
        raise PermissionDenied(str(error)) from error


@login_required
def new_drop_in(request: MemberRequest, group_id: int) -> HttpResponse:
    group, membership = access_group_content(request.member, group_id)
    _refuse_unless(actions.check_can_open_drop_in, membership)
    form = DropInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with show_errors(request, form=form):
            drop_in = actions.do_create_drop_in(request.member, group.pk, **form.cleaned_data)
            messages.success(request, f"The drop-in is set up: {drop_in.hours_label()}.")
            return redirect("chat:room", drop_in.room_id)
    return render(request, "chat/form_page.html", {"form": form, "group": group, "heading": "Open a drop-in"})


@login_required
def new_gathering(request: MemberRequest, group_id: int) -> HttpResponse:
    group, membership = access_group_content(request.member, group_id)
    _refuse_unless(actions.check_can_schedule, request.member, membership)
    people = Member.objects.filter(memberships__group=group, is_active=True).order_by("display_name")
    form = GatheringForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        repeat, until = fields.pop("repeat", ""), fields.pop("until", None)
        invite_only = fields.pop("invite_only", False)
        with show_errors(request, form=form):
            if repeat and invite_only:
                raise ActionError("A gathering only for people you invite is one date at a time: leave Repeats off.")
            if repeat:
                series = actions.do_schedule_series(
                    request.member,
                    group.pk,
                    repeat=repeat,
                    until=until,
                    **fields,
                )
                return redirect("chat:series", series.pk)
            gathering = actions.do_schedule_gathering(
                request.member,
                group.pk,
                invite_only=invite_only,
                **fields,
            )
            if invite_only:
                messages.info(request, "Now choose who to invite: only they will see it.")
            return redirect("chat:gathering", gathering.pk)
    return render(request, "chat/form_page.html", {"form": form, "group": group, "heading": "Schedule a gathering"})


@login_required
def gathering_page(request: MemberRequest, gathering_id: int) -> HttpResponse:
    member = request.member
    gathering = access.access_gathering(member, gathering_id)
    rsvp = Rsvp.objects.filter(gathering=gathering, member=member).first()
    form = RsvpForm(
        request.POST or None,
        initial={
            "answer": rsvp.answer if rsvp else "",
            "remind": str(rsvp.remind_minutes_before or "") if rsvp else "",
            "joining": rsvp.joining if rsvp else "",
        },
        place=gathering.place if gathering.format == GatheringFormat.HYBRID else None,
    )
    if request.method == "POST" and form.is_valid():
        remind = form.cleaned_data["remind"]
        with show_errors(request, form=form):
            rsvp = actions.do_rsvp(
                member,
                gathering,
                form.cleaned_data["answer"],
                int(remind) if remind else None,
                joining=form.cleaned_data.get("joining", ""),
            )
            if rsvp.waiting_since:
                messages.info(
                    request,
                    f"It's full at the moment, so you're on the waiting list (number {actions.waiting_position(rsvp)}). "
                    "If a place comes free it's yours, and we'll tell you.",
                )
            else:
                messages.success(request, "Thanks, your answer is saved.")
            return redirect("chat:gathering", gathering.pk)
    facilitating = member.pk in (gathering.facilitator_id, gathering.online_volunteer_id)
    staff_view = policy.can(member, Perm.VIEW_SESSION_NOTES)
    running = gathering.facilitator_id == member.pk or actions.can_run(member, gathering.group_id)
    context: dict[str, Any] = {
        "gathering": gathering,
        "form": form,
        "rsvp": rsvp,
        "facilitating": facilitating,
        "staff_view": staff_view,
        "running": running,
        "places_left": actions.places_left(gathering),
        "waiting_position": actions.waiting_position(rsvp) if rsvp else None,
        "capacity_form": CapacityForm(initial={"capacity": gathering.capacity}) if running else None,
        "online_link": actions.online_link(gathering),
        "sees_link": running or access.sees_online_link(member, gathering, rsvp),
        "hybrid": gathering.format == GatheringFormat.HYBRID,
    }
    if facilitating or staff_view:
        context["answers"] = Rsvp.objects.filter(gathering=gathering).select_related("member").order_by("answer")
        context["attendance"] = Attendance.objects.filter(gathering=gathering).select_related("member")
        context["both_ways"] = _both_ways(list(context["answers"]), list(context["attendance"]))
        context["people"] = Member.objects.filter(memberships__group=gathering.group, is_active=True).order_by(
            "display_name"
        )
    invitations = list(GatheringInvitation.objects.filter(gathering=gathering).select_related("member", "invited_by"))
    context["invited_by"] = next((i.invited_by for i in invitations if i.member_id == member.pk), None)
    if running or gathering.facilitator_id == member.pk:
        context["invitations"] = invitations
        context["invite_form"] = InviteForm(people=_invitable(gathering, member, invitations))
    if staff_view or gathering.facilitator_id == member.pk:
        context["notes_form"] = NotesForm(initial={"notes": gathering.notes})
    if staff_view:
        context["follow_ups"] = FollowUp.objects.filter(gathering=gathering).select_related("member", "supporter")
    return render(request, "chat/gathering.html", context)


def _invitable(gathering: Gathering, actor: Member, invitations: list[GatheringInvitation]) -> Any:
    """People in the group who could be invited: not the one inviting, not already invited."""
    return (
        Member.objects.filter(memberships__group=gathering.group, is_active=True)
        .exclude(pk__in=[actor.pk, *[i.member_id for i in invitations]])
        .order_by("display_name")
    )


@login_required
@require_POST
def invite_to_gathering(request: MemberRequest, gathering_id: int) -> HttpResponse:
    member = request.member
    gathering = access.access_gathering(member, gathering_id)
    invitations = list(GatheringInvitation.objects.filter(gathering=gathering))
    form = InviteForm(request.POST, people=_invitable(gathering, member, invitations))
    with show_errors(request):
        if not form.is_valid():
            raise ActionError("Choose who you'd like to invite from the people in the group.")
        made = actions.do_invite(member, gathering, form.cleaned_data["people"])
        messages.success(request, f"Invited {len(made)} {'person' if len(made) == 1 else 'people'}. They've been told.")
    return redirect("chat:gathering", gathering.pk)


def _both_ways(answers: list[Rsvp], attendance: list[Attendance]) -> list[dict[str, Any]]:
    """For the facilitator: how many said they'd come and how many were there, in person and online."""
    coming = [r for r in answers if r.answer != RsvpAnswer.NO and r.waiting_since is None]
    return [
        {
            "label": label,
            "said": sum(1 for r in coming if r.joining == how),
            "there": sum(1 for a in attendance if a.how == how),
        }
        for how, label in ((AttendanceHow.IN_PERSON, "In person"), (AttendanceHow.ONLINE, "Online"))
    ]


@login_required
@require_POST
def gathering_capacity(request: MemberRequest, gathering_id: int) -> HttpResponse:
    member = request.member
    gathering = access.access_gathering(member, gathering_id)
    form = CapacityForm(request.POST)
    with show_errors(request):
        if not form.is_valid():
            raise ActionError("Choose between 1 and 1,000 places, or leave it empty for no limit.")
        actions.do_set_capacity(member, gathering, form.cleaned_data["capacity"])
        messages.success(request, "The number of places is saved.")
    return redirect("chat:gathering", gathering.pk)


@login_required
@require_POST
def cancel_gathering(request: MemberRequest, gathering_id: int) -> HttpResponse:
    member = request.member
    gathering = access.access_gathering(member, gathering_id)
    with show_errors(request):
        actions.do_cancel_gathering(member, gathering)
        messages.success(request, "It's cancelled. Everyone who answered has been told.")
    return redirect("chat:gathering", gathering.pk)


def _ics_response(gatherings: Any, name: str, filename: str) -> HttpResponse:
    body = ics.calendar(gatherings, base_url=settings.HEARTH_BASE_URL, name=name, now=timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def gathering_ics(request: MemberRequest, gathering_id: int) -> HttpResponse:
    gathering = access.access_gathering(request.member, gathering_id)
    return _ics_response([gathering], gathering.title, f"gathering-{gathering.pk}.ics")


@login_required
def series_page(request: MemberRequest, series_id: int) -> HttpResponse:
    member = request.member
    series = access.access_series(member, series_id)
    return render(
        request,
        "chat/series.html",
        {
            "series": series,
            "next": access.next_dates(series),
            "running": series.facilitator_id == member.pk or actions.can_run(member, series.group_id),
        },
    )


@login_required
def series_ics(request: MemberRequest, series_id: int) -> HttpResponse:
    series = access.access_series(request.member, series_id)
    gatherings = series.gatherings.filter(ends_at__gte=timezone.now()).order_by("starts_at")
    return _ics_response(gatherings, series.title, f"series-{series.pk}.ics")


@login_required
@require_POST
def end_series(request: MemberRequest, series_id: int) -> HttpResponse:
    member = request.member
    series = access.access_series(member, series_id)
    with show_errors(request):
        actions.do_end_series(member, series)
        messages.success(request, "It's ended. People who said they'd come to the next ones have been told.")
    return redirect("chat:series", series.pk)


@login_required
@require_POST
def gathering_attendance(request: MemberRequest, gathering_id: int) -> HttpResponse:
    member = request.member
    gathering = access.access_gathering(member, gathering_id)
    person = Member.objects.filter(pk=params.get_id(request.POST, "member") or 0).first()
    how = params.get_choice(request.POST, "how", AttendanceHow.values, default=AttendanceHow.IN_PERSON)
    with show_errors(request):
        if person is None:
            raise ActionError("Choose who was there.")
        attendance = actions.do_mark_attendance(member, gathering, person, how)
        messages.success(request, f"{person.display_name}: {attendance.get_how_display().lower()}.")
    return redirect("chat:gathering", gathering.pk)


@login_required
@require_POST
def gathering_notes(request: MemberRequest, gathering_id: int) -> HttpResponse:
    member = request.member
    gathering = access.access_gathering(member, gathering_id)
    form = NotesForm(request.POST)
    form.is_valid()
    with show_errors(request):
        actions.do_save_notes(member, gathering, form.cleaned_data.get("notes", ""))
        messages.success(request, "Notes saved. Only staff can read them.")
    return redirect("chat:gathering", gathering.pk)


@login_required
def prompts(request: MemberRequest) -> HttpResponse:
    policy.require(request.member, Perm.EDIT_PROMPTS)
    current = "\n".join(Prompt.objects.values_list("text", flat=True))
    form = PromptsForm(request.POST or None, initial={"prompts": current})
    if request.method == "POST" and form.is_valid():
        with show_errors(request, form=form):
            actions.do_set_prompts(request.member, form.cleaned_data["prompts"].splitlines())
            messages.success(request, "The prompt deck is saved.")
            return redirect("chat:prompts")
    return render(request, "chat/form_page.html", {"form": form, "heading": "Conversation prompts"})


# --- Home page panel -----------------------------------------------------------------------------


def _home_panel(request: HttpRequest) -> dict[str, Any] | None:
    """ "Drop-in open now — 2 people here", for each open drop-in of the member's groups."""
    if not request.user.is_authenticated:
        return None
    drop_ins = access.open_drop_ins_for(request.user)
    return {"drop_ins": drop_ins} if drop_ins else None


register_panel(Panel("chat.drop_ins", "chat/_home_panel.html", _home_panel, order=5))


# --- Bookable slots --------------------------------------------------------------------------------


@login_required
def book(request: MemberRequest) -> HttpResponse:
    """Members: free times to book a one-to-one, and their own bookings (change or cancel)."""
    member = request.member
    if request.method == "POST":
        form = BookForm(request.POST)
        with show_errors(request):
            if not form.is_valid():
                raise ActionError("Choose a time to book.")
            slot = actions.do_book_slot(member, form.cleaned_data["slot"])
            messages.success(
                request,
                f"Booked: {slot.supporter.display_name}, {access.when_label(slot.starts_at, timezone.now())}. "
                "It opens in your Messages a few minutes before, and we'll remind you an hour ahead.",
            )
        return redirect("chat:book")
    return render(
        request,
        "chat/book.html",
        {"slots": access.bookable_slots(member)[:100], "bookings": access.my_bookings(member), "now": timezone.now()},
    )


@login_required
def change_booking(request: MemberRequest, slot_id: int) -> HttpResponse:
    member = request.member
    slot = access.access_my_booking(member, slot_id)
    if request.method == "POST":
        form = BookForm(request.POST)
        with show_errors(request):
            if not form.is_valid():
                raise ActionError("Choose the new time.")
            new = actions.do_change_booking(member, slot, form.cleaned_data["slot"])
            messages.success(request, f"Changed to {access.when_label(new.starts_at, timezone.now())}.")
            return redirect("chat:book")
    return render(
        request,
        "chat/change_booking.html",
        {"booking": slot, "slots": access.bookable_slots(member)[:100], "now": timezone.now()},
    )


@login_required
@require_POST
def cancel_booking(request: MemberRequest, slot_id: int) -> HttpResponse:
    member = request.member
    slot = access.access_my_booking(member, slot_id)
    with show_errors(request):
        actions.do_cancel_booking(member, slot)
        messages.success(request, "Cancelled. Thanks for letting us know, and book again whenever suits you.")
    return redirect("chat:book")


@login_required
def my_slots(request: MemberRequest) -> HttpResponse:
    """Supporters: publish times members can book, see who booked, record how it went."""
    member = request.member
    policy.require(member, Perm.OFFER_SLOTS)
    ways = [way for way in SlotWay.values if _may_offer(member, way)]
    form = SlotForm(request.POST or None, ways=ways)
    if request.method == "POST" and form.is_valid():
        with show_errors(request, form=form):
            actions.do_publish_slot(member, **form.cleaned_data)
            messages.success(request, "The time is offered. Members can book it from 'Book a time to talk'.")
            return redirect("chat:my_slots")
    return render(
        request,
        "chat/my_slots.html",
        {"form": form, "slots": access.my_slots(member), "now": timezone.now(), "outcome_form": OutcomeForm()},
    )


@login_required
@require_POST
def withdraw_slot(request: MemberRequest, slot_id: int) -> HttpResponse:
    member = request.member
    slot = access.access_own_slot(member, slot_id)
    with show_errors(request):
        actions.do_withdraw_slot(member, slot)
        messages.success(request, "The time is taken back. Anyone who booked it has been told.")
    return redirect("chat:my_slots")


@login_required
@require_POST
def slot_outcome(request: MemberRequest, slot_id: int) -> HttpResponse:
    member = request.member
    slot = access.access_own_slot(member, slot_id)
    form = OutcomeForm(request.POST)
    with show_errors(request):
        if not form.is_valid():
            raise ActionError("Choose what happened.")
        actions.do_record_booking(member, slot, form.cleaned_data["outcome"])
        messages.success(request, "Recorded.")
    return redirect("chat:my_slots")


# --- Buddies ---------------------------------------------------------------------------------------


@login_required
def my_buddy(request: MemberRequest) -> HttpResponse:
    """A member's own page: whether they'd like a buddy and what they'd like, and their pairing."""
    member = request.member
    pref = access.buddy_preference(member)
    initial = (
        {"looking": pref.looking, "same_gender": pref.same_gender, "similar_age": pref.similar_age, "ways": pref.ways}
        if pref
        else {}
    )
    form = BuddyPreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.do_set_buddy_preference(member, **form.cleaned_data)
        messages.success(request, "Saved. A coordinator will suggest someone when there's a good match.")
        return redirect("chat:my_buddy")
    pair = access.buddy_pair_of(member)
    accepted = bool(pair and (pair.first_accepted_at if pair.first_id == member.pk else pair.second_accepted_at))
    return render(
        request,
        "chat/my_buddy.html",
        {
            "form": form,
            "pair": pair,
            "buddy": pair.other(member.pk) if pair else None,
            "accepted": accepted,
            "member_messages": access.member_messages_on(),
        },
    )


@login_required
@require_POST
def answer_buddy(request: MemberRequest, pair_id: int) -> HttpResponse:
    member = request.member
    pair = access.access_my_pair(member, pair_id)
    what = request.POST.get("answer", "")
    with show_errors(request):
        if what == "end":
            actions.do_end_buddies(member, pair)
            messages.success(request, "The pairing has ended. Thank you for giving it a go.")
        elif what in ("yes", "no"):
            pair = actions.do_answer_buddy(member, pair, accept=what == "yes")
            if pair.state == pair.State.ACTIVE and pair.conversation is not None:
                return redirect("chat:room", pair.conversation.room_id)
            messages.success(request, "Thanks, your answer is saved.")
        else:
            raise ActionError("Choose yes, not this time, or end the pairing.")
    return redirect("chat:my_buddy")


@login_required
def buddies(request: MemberRequest) -> HttpResponse:
    """Staff: members who asked for a buddy, with suggestions that meet both people's wishes; propose a pair."""
    member = request.member
    policy.require(member, Perm.PAIR_BUDDIES)
    if request.method == "POST":
        form = ProposeBuddiesForm(request.POST)
        with show_errors(request):
            if not form.is_valid():
                raise ActionError("Choose two people.")
            people = {m.pk: m for m in access.looking_for_buddies()}
            first, second = people.get(form.cleaned_data["first"]), people.get(form.cleaned_data["second"])
            if first is None or second is None:
                raise ActionError("One of them isn't looking for a buddy any more.")
            actions.do_propose_buddies(member, first, second)
            messages.success(request, f"Suggested {first.display_name} and {second.display_name}. Both are asked.")
        return redirect("chat:buddies")
    from hearth.chat.buddies import suggestions

    looking = access.looking_for_buddies()
    matching = access.buddy_people(looking)
    rows = []
    for person in matching:
        others = [p for p in matching if p.id not in person.blocked]
        rows.append({"person": person, "suggestions": suggestions(person, others)})
    return render(
        request,
        "chat/buddies.html",
        {"rows": rows, "pairs": access.open_pairs(), "member_messages": access.member_messages_on()},
    )


# --- Calls ----------------------------------------------------------------------------------------


def _may_offer(member: Member, way: str) -> bool:
    try:
        actions.check_can_offer_way(member, way)
    except ActionError:
        return False
    return True


@login_required
@require_POST
def start_call(request: MemberRequest, conversation_id: int) -> HttpResponse:
    """The supporter turns a one-to-one into a phone or video call."""
    member = request.member
    conversation = access.access_conversation(member, conversation_id)
    form = StartCallForm(request.POST)
    with show_errors(request) as attempt:
        if not form.is_valid():
            raise ActionError("Choose a phone call or a video call.")
        call = actions.do_start_call(member, conversation, form.cleaned_data["way"])
    if attempt.failed:
        return redirect("chat:room", room_id=conversation.room_id)
    return redirect("chat:call", call_id=call.pk)


@login_required
def call_page(request: MemberRequest, call_id: int) -> HttpResponse:
    """A call's page, for its two people: the video link, or (for the supporter) the number and the record."""
    member = request.member
    call = access.access_call(member, call_id)
    conversation = call.conversation
    supporting = conversation.supporter_id == member.pk
    number = None
    record_form = CallRecordForm(
        request.POST if request.POST.get("action") == "record" else None,
        initial={"outcome": call.outcome, "minutes": call.minutes},
    )
    if request.method == "POST":
        try:
            if request.POST.get("action") == "number":
                # Rendered, never redirected: the number is on this response only, and the look is audited.
                number = actions.call_number(member, call)
            elif request.POST.get("action") == "record" and supporting:
                if record_form.is_valid():
                    actions.do_record_call(member, call, **record_form.cleaned_data)
                    messages.success(request, "Thank you: the call is recorded.")
                    return redirect("chat:call", call_id=call.pk)
            else:
                raise ActionError("Only the supporter on the call can do that.")
        except (ActionError, PermissionDenied) as error:
            messages.error(request, str(error) or "Only the supporter making this call can see the number.")
    return render(
        request,
        "chat/call.html",
        {
            "call": call,
            "conversation": conversation,
            "other": access.conversation_partner(conversation, member),
            "supporting": supporting,
            "number": number,
            "link": actions.video_link(call.video_room),
            "video_host": actions.video_service().split("://", 1)[-1],
            "record_form": record_form if supporting else None,
        },
    )


# --- Finding a time ---------------------------------------------------------------------------------


@login_required
def new_poll(request: MemberRequest, group_id: int) -> HttpResponse:
    """A host asks the group "when suits?" before scheduling."""
    member = request.member
    group, membership = access_group_content(member, group_id)
    _refuse_unless(actions.check_can_schedule, member, membership)
    form = PollForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with show_errors(request, form=form):
            data = form.cleaned_data
            poll = actions.do_start_poll(
                member,
                group.pk,
                title=data["title"],
                times=form.times(),
                format=data["format"],
                place=data["place"],
                minutes=data["minutes"],
            )
            messages.success(request, "Asked. Everyone in the group can now say which times suit them.")
            return redirect("chat:poll", poll.pk)
    return render(
        request, "chat/form_page.html", {"form": form, "group": group, "heading": f"Find a time with {group.name}"}
    )


@login_required
def poll_page(request: MemberRequest, poll_id: int) -> HttpResponse:
    """Say which times suit (members), see the best time first and choose it (the host)."""
    member = request.member
    poll = access.access_poll(member, poll_id)
    options = list(poll.options.all())
    mine = poll.responses.filter(member=member).first()
    initial: dict[str, Any] = {"travel_minutes": mine.travel_minutes} if mine else {}
    if mine:
        initial.update({f"option_{pk}": answer for pk, answer in mine.answers.items()})
    form = PollAnswerForm(
        request.POST if request.POST.get("action") == "answer" else None,
        options=options,
        in_person=poll.in_person,
        initial=initial,
    )
    running = poll.created_by_id == member.pk or actions.can_run(member, poll.group_id)
    if request.method == "POST":
        with show_errors(request):
            if request.POST.get("action") == "choose":
                gathering = actions.do_choose_time(member, poll, params.require_id(request.POST, "option"))
                messages.success(request, "It's on. Everyone in the group has been told.")
                return redirect("chat:gathering", gathering.pk)
            if request.POST.get("action") == "answer" and form.is_valid():
                actions.do_answer_poll(member, poll, form.answers(), form.cleaned_data.get("travel_minutes"))
                messages.success(request, "Thanks, your answer is saved. You can change it until a time is chosen.")
                return redirect("chat:poll", poll.pk)
    return render(
        request,
        "chat/poll.html",
        {
            "poll": poll,
            "form": form,
            "rows": actions.poll_results(poll),
            "running": running,
            "answered": mine is not None,
            "responses": poll.responses.count(),
        },
    )
