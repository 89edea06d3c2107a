"""Every change to rooms, messages, conversations, drop-ins and gatherings goes through here.

``check_*`` functions validate and authorise; ``do_*`` functions change state
atomically, audit what needs auditing and send live events after commit to
explicit channel groups. The websocket consumer, the HTML views and the
management commands call these and nothing else.

The send path (:func:`do_send_message`) is the heart of chat: inside one
transaction it allocates the room's next ``seq`` and inserts the row; the
broadcast is queued with ``send_event_on_commit``; the caller acknowledges the
sender only after this returns. So nobody — sender or receiver — hears of a
message that isn't durably stored. Websocket sends go through
:func:`do_send_messages`: the sends waiting in a process share one commit, and
triage runs just after it (:func:`do_triage_messages`), off the delivery path.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
import time
import uuid
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, InterfaceError, OperationalError, connection, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from hearth.chat.access import (
    PRESENCE_EXPIRY,
    are_buddies,
    blocked_between,
    can_facilitate,
    can_moderate,
    member_messages_on,
    messages_from,
    presence_list,
    room_channel,
    shares_a_group,
)
from hearth.chat.models import (
    TAKES_A_PLACE,
    Attendance,
    AttendanceHow,
    Block,
    BuddyPair,
    BuddyPreference,
    Call,
    CallOutcome,
    Conversation,
    ConversationKind,
    DropIn,
    FollowUp,
    Gathering,
    GatheringFormat,
    GatheringInvitation,
    GatheringSeries,
    HandRaise,
    InboxEntry,
    Message,
    MessageKind,
    MessagePreference,
    MessagesFrom,
    PollAnswer,
    Prompt,
    Repeat,
    Room,
    RoomKind,
    RoomVisit,
    Rsvp,
    RsvpAnswer,
    Slot,
    SlotOutcome,
    SlotWay,
    TimeOption,
    TimePoll,
    TimePollResponse,
)
from hearth.chat.signals import follow_up_wanted
from hearth.community.access import access_group_content, group_channel
from hearth.community.models import Group, Membership
from hearth.core import audit, deliveries, notifications, params
from hearth.core.deliveries import send_email, send_live
from hearth.core.errors import ActionError
from hearth.core.events import member_group, send_event_on_commit
from hearth.core.logs import log_event
from hearth.core.notifications import Kind
from hearth.core.screening import not_member_words, screen, screened_later
from hearth.members import policy
from hearth.members.policy import Perm
from hearth.safety.actions import WritingRules, check_can_write, writing_rules_of

if TYPE_CHECKING:
    from hearth.members.models import Member

audit.register(
    {
        "chat.message.hidden": "{actor} hid a chat message by {subject} ({reason})",
        "chat.handoff.made": "{actor} offered {subject} a one-to-one with {supporter}",
        "chat.conversation.handed_over": "{actor} handed {subject}'s one-to-one with {old} on to {new}",
        "chat.notes.saved": "{actor} saved notes for the gathering '{title}'",
        "chat.prompts.changed": "{actor} changed the conversation prompt deck",
        "chat.member.blocked": "{actor} blocked {subject} from messaging them",
        "chat.buddies.proposed": "{actor} suggested {subject} and {other} as buddies",
        "chat.member.unblocked": "{actor} unblocked {subject}",
        "chat.call.started": "{actor} started a {way} with {subject}",
        "chat.call.number_viewed": "{actor} looked at {subject}'s phone number to call them",
        "chat.call.recorded": "{actor} recorded a {way} with {subject}: {outcome}",
        "chat.conversation.reviewed": "{actor} read a one-to-one of {subject} with {other} ({opened_by}): {reason}",
    }
)

MAX_BODY = 4000
EDIT_WINDOW = timedelta(minutes=10)
# Floods: at most RATE_COUNT messages per RATE_WINDOW per person per room.
RATE_COUNT = 5
RATE_WINDOW = timedelta(seconds=5)
RATE_LIMIT_MESSAGE = "You're sending messages very quickly. Wait a few seconds, then send again."
# A prompt from the organisation's deck or the closing round, posted by the facilitator in that role.
NOT_A_MEMBERS_MESSAGE = "a conversation prompt or closing round: the organisation's words, posted by a facilitator"
CLOSING_ROUND_TEXT = "Closing round: before we finish, could each person share one good thing from today or this week?"

_MESSAGES = "Messages and one-to-ones"
_GATHERINGS = "Gatherings and drop-ins"
notifications.register(
    Kind(
        "chat.message",
        "New messages in your one-to-ones",
        _MESSAGES,
        urgent=True,
        elsewhere="Messages",
        email_after=timedelta(minutes=10),  # only if still unread by then: opening the conversation cancels it
    )
)
notifications.register(Kind("chat.conversation", "A one-to-one opened with you", _MESSAGES, urgent=True))
notifications.register(
    Kind("chat.handoff", "A facilitator offers you a one-to-one after a session", _MESSAGES, urgent=True)
)
notifications.register(Kind("chat.gathering", "New gatherings in your groups", _GATHERINGS))
notifications.register(Kind("chat.reminder", "Reminders you asked for before a gathering", _GATHERINGS, urgent=True))
notifications.register(
    Kind("chat.gathering_changed", "A gathering you answered is called off", _GATHERINGS, urgent=True)
)
notifications.register(
    Kind("chat.place_free", "A place comes free at a gathering you're waiting for", _GATHERINGS, urgent=True)
)
notifications.register(
    Kind(
        "chat.drop_in",
        "Someone arrives at a drop-in you host",
        "For hosts and the team",
        urgent=True,
        defaults=frozenset({"app", "email", "push"}),
    )
)
# Kinds whose held-back email a reading of the conversation makes unnecessary.
READ_CANCELS = ("chat.message", "care.check_in")


class RateLimited(ActionError):
    """Too many messages too fast; the message says when to try again."""


# --- Payloads -----------------------------------------------------------------------


def message_payload(message: Message, kind: str = "chat.message") -> dict[str, Any]:
    """What clients see of a message. Deleted and hidden messages carry no body."""
    sender = message.sender
    return {
        "kind": kind,
        "room": message.room_id,
        "id": message.pk,
        "seq": message.seq,
        "changed_seq": message.changed_seq,
        "client_id": message.client_id,
        "message_kind": message.kind,
        "sender": {"id": sender.pk, "name": sender.display_name} if sender else None,
        "body": message.body if message.visible else "",
        "state": "hidden"
        if message.hidden_at
        else "deleted"
        if message.deleted_at
        else "edited"
        if message.edited_at
        else "",
        "created_at": message.created_at.isoformat(),
    }


# --- Sending ------------------------------------------------------------------------


def check_body(body: str) -> str:
    body = body.strip()
    if not body:
        raise ActionError("Write something before sending.")
    if not params.storable(body):  # a NUL or half an emoji: no keyboard types it, and no database keeps it
        raise ActionError("That message has a character we can't keep in it. Copy your words into a new message.")
    if len(body) > MAX_BODY:
        raise ActionError(f"That message is too long: keep it under {MAX_BODY:,} characters, or send it in parts.")
    return body


def check_client_id(client_id: str) -> str:
    client_id = (client_id or "").strip()
    if not client_id:
        return uuid.uuid4().hex
    if len(client_id) > 64 or not params.storable(client_id):  # not what a page of ours sends
        raise ActionError("The message id from your browser isn't one we can use. Reload the page and send again.")
    return client_id


def _next_seq(room_id: int) -> int:
    """Take the room's next sequence number. Holds the room row's write lock until commit (see models)."""
    table = connection.ops.quote_name(Room._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET last_seq = last_seq + 1 WHERE id = %s RETURNING last_seq", [room_id])  # noqa: S608 (our own table name)
        row = cursor.fetchone()
    if row is None:
        raise ActionError("This room no longer exists.")
    return int(row[0])


def _recent_sends(room: Room, sender: Member, now: datetime) -> bool:
    """The cross-process flood check: has ``sender`` sent RATE_COUNT messages here within RATE_WINDOW?

    Written out (the index on room, sender, -seq answers it): compiling the query took longer than running it,
    once for every message."""
    table = connection.ops.quote_name(Message._meta.db_table)
    since = connection.ops.adapt_datetimefield_value(now - RATE_WINDOW)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT created_at > %s FROM {table} WHERE room_id = %s AND sender_id = %s "  # noqa: S608 (our table)
            "ORDER BY seq DESC LIMIT 1 OFFSET %s",
            [since, room.pk, sender.pk, RATE_COUNT - 1],
        )
        row = cursor.fetchone()
    return bool(row and row[0])


def do_send_message(
    member: Member,
    room: Room,
    body: str,
    client_id: str = "",
    *,
    kind: str = MessageKind.TEXT,
    notify_as: str = "chat.message",
) -> tuple[Message, bool]:
    """Store a message, triaged, and broadcast it after commit. Returns ``(message, created)``.

    The caller must already have checked access (:func:`hearth.chat.access.access_room`).
    A retry with the same ``client_id`` returns the stored message with
    ``created=False`` and broadcasts nothing. In a one-to-one the others are
    told as ``notify_as`` (a check-in round says ``care.check_in``).
    """
    body = check_body(body)
    client_id = check_client_id(client_id)
    between_members = False
    if kind == MessageKind.TEXT:
        check_can_write(member)  # muted, suspended, or slowed down after hostile messages
        between_members = _check_peer_room(member, room)
    return _store(member, room, body, client_id, kind, notify_as, between_members, triage_now=True)


@dataclass
class Send:
    """One message waiting to be stored by :func:`do_send_messages` (a websocket send)."""

    member: Member
    room: Room
    body: str
    client_id: str
    rules: WritingRules | None = None  # the member's writing rules as the socket keeps them (None: read them)


@dataclass
class Sent:
    """What became of a :class:`Send`: stored (``created`` False for a retry), or refused with ``error``.

    ``triage_later``: stored without triage, which the caller must now run with :func:`do_triage_messages`
    (the recovery job :func:`triage_missed_messages` catches any the process could not)."""

    message: Message | None = None
    created: bool = False
    error: ActionError | None = None
    triage_later: bool = False
    triaged: Any = None  # set by the caller: an asyncio future for the triage result (chat/sending.py)
    failure: Exception | None = None  # the database was busy or away (nothing stored): the caller re-raises it
    rules: WritingRules | None = None  # the writing rules the send was judged by, for the socket to keep


def triage_first(room: Room) -> bool:
    """Whether a room's messages must be triaged before anyone sees them: a pre-moderated group holds
    hostile or crisis messages back until a moderator has looked."""
    return room.group is not None and room.group.premoderated


def do_send_messages(sends: list[Send]) -> list[Sent]:
    """Store several sends in one transaction: one durable commit for all (a group commit).

    Each is stored exactly as :func:`do_send_message` stores it (in a savepoint of its own, so one refused
    send leaves the others alone), except that triage waits until after the commit, off the delivery path —
    the caller acknowledges, the room hears it, then :func:`do_triage_messages` runs — unless the room
    pre-moderates (:func:`triage_first`). Broadcasts go after the commit, in order. A send that carries its
    member's :class:`~hearth.safety.actions.WritingRules` (kept by the socket, which forgets them when they
    change) is judged by those instead of reading them again.
    """
    results: list[Sent | None] = [None] * len(sends)
    now = timezone.now()
    # Rooms in one order (by id; each room's sends keep theirs): every batch takes the rooms' seq locks in the
    # same order, so two processes' batches wait for each other instead of deadlocking (PostgreSQL).
    order = sorted(range(len(sends)), key=lambda i: sends[i].room.pk)
    with transaction.atomic():
        read = writing_rules_of([send.member.pk for send in sends if send.rules is None], now)  # two queries
        for i in order:
            send = sends[i]
            rules = send.rules or read[send.member.pk]
            try:
                with transaction.atomic():  # a savepoint: what fails here leaves the batch's others alone
                    body = check_body(send.body)
                    client_id = check_client_id(send.client_id)
                    rules.check(now)
                    between_members = _check_peer_room(send.member, send.room)
                    later = not triage_first(send.room)
                    message, created = _store(
                        send.member,
                        send.room,
                        body,
                        client_id,
                        MessageKind.TEXT,
                        "chat.message",
                        between_members,
                        triage_now=not later,
                        now=now,
                    )
                if later and created:
                    screened_later("chat.message", message.pk)  # do_triage_messages, just after the commit
                results[i] = Sent(message, created, triage_later=later and created, rules=rules)
            except ActionError as error:
                results[i] = Sent(error=error, rules=rules)
            except Exception as error:  # its savepoint is rolled back; the others go on
                results[i] = send_failed(error, send)
    return [r for r in results if r is not None]


STORE_FAILED_MESSAGE = "We couldn't keep that message. Copy your words into a new message, or reload the page."


def send_failed(error: Exception, send: Send) -> Sent:
    """What becomes of a send the database didn't store (call it in the ``except``: it logs the traceback).

    When the database was busy or away (locked, deadlocked, its connection lost: ``OperationalError``,
    ``InterfaceError``) the send may go through next time: ``failure``, which the page hears as "slow down" and
    sends again with the same client id. Anything else is about this send (text or ids a database won't keep,
    a row it refers to gone): sending it again would fail again, so it is refused to its sender alone."""
    transient = isinstance(error, (OperationalError, InterfaceError))
    log_event("chat.send_failed", level=logging.ERROR, exc_info=True, room=send.room.pk, transient=transient)
    if transient:
        return Sent(failure=error)
    return Sent(error=ActionError(STORE_FAILED_MESSAGE))


def _store(
    member: Member,
    room: Room,
    body: str,
    client_id: str,
    kind: str,
    notify_as: str,
    between_members: bool,
    *,
    triage_now: bool,
    now: datetime | None = None,
) -> tuple[Message, bool]:
    """Inside the caller's transaction: flood check, seq, row, triage (``triage_now``) and the broadcast."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            if kind == MessageKind.TEXT and _recent_sends(room, member, now):
                raise RateLimited(RATE_LIMIT_MESSAGE)
            seq = _next_seq(room.pk)
            with contextlib.nullcontext() if kind == MessageKind.TEXT else not_member_words(NOT_A_MEMBERS_MESSAGE):
                message = Message.objects.create(
                    room=room,
                    seq=seq,
                    sender=member,
                    client_id=client_id,
                    kind=kind,
                    body=body,
                    word_count=len(body.split()),
                    created_at=now,
                )
            if kind == MessageKind.TEXT and triage_now:
                # Triaged before anyone else sees it, in the same transaction as the store.
                message.screening = _triage(message, member, room, between_members)
                if message.screening.held:
                    message.refresh_from_db()
                    return message, True  # kept from the room until a moderator reviews it
            send_event_on_commit([room_channel(room.pk)], message_payload(message))
            if room.kind == RoomKind.CONVERSATION:
                _count_unread(room, member, now, notify_as)
    except (IntegrityError, RateLimited):
        existing = Message.objects.filter(room=room, sender=member, client_id=client_id).first()
        if existing is None:
            raise
        return existing, False
    return message, True


def _triage(message: Message, sender: Member, room: Room, between_members: bool) -> Any:
    return screen(
        author=sender,
        text=message.body,
        path="chat.message",
        object_id=message.pk,
        group_id=room.group_id,
        premoderated=triage_first(room),
        reply=True,
        between_members=between_members,
        now=message.created_at,
    )


def do_triage_messages(messages: list[Message]) -> None:
    """Triage messages already stored and delivered (:func:`do_send_messages`), in one transaction.

    What triage finds is acted on as for any writing — a crisis alert to whoever is on duty, the care queue,
    the moderation queue — and each result is put on ``message.screening`` for the caller (the writer's page
    is offered crisis support). One that fails is logged and left for :func:`triage_missed_messages`.
    """
    with transaction.atomic():
        for message in messages:
            try:
                sender = message.sender
                if sender is None:  # erased since: a removed placeholder, no words left to read
                    continue
                with transaction.atomic():
                    between = message.room.kind == RoomKind.CONVERSATION and _is_peer_room(message.room)
                    message.screening = _triage(message, sender, message.room, between)
            except Exception:
                log_event("chat.triage_failed", level=logging.ERROR, exc_info=True, message=message.pk)


TRIAGE_MISSED_AFTER = timedelta(seconds=30)  # younger ones may still be in a process's triage backlog
TRIAGE_MISSED_WITHIN = timedelta(hours=12)  # and no older (a worker runs always; demo history is older)
TRIAGE_MISSED_LOOKBACK = 50_000  # the newest messages looked at (hours of the busiest chat; by pk, indexed)


def triage_missed_messages(now: datetime | None = None) -> int:
    """Triage chat messages stored but never triaged (the process stopped between the two): the worker's
    safety net behind :func:`do_send_messages`. Returns how many it triaged."""
    from hearth.safety.models import TriageRecord

    now = now or timezone.now()
    newest = Message.objects.order_by("-pk").values_list("pk", flat=True).first()
    if newest is None:
        return 0
    triaged = TriageRecord.objects.filter(content_key="chat.message", object_id=OuterRef("pk"))
    missed = list(
        Message.objects.filter(
            pk__gt=newest - TRIAGE_MISSED_LOOKBACK,
            kind=MessageKind.TEXT,
            created_at__lt=now - TRIAGE_MISSED_AFTER,
            created_at__gte=now - TRIAGE_MISSED_WITHIN,
            deleted_at__isnull=True,
            sender__isnull=False,
        )
        .exclude(Exists(triaged))
        .select_related("room", "room__group", "sender")
        .order_by("pk")[:500]
    )
    if missed:
        log_event("chat.triage_missed", level=logging.WARNING, count=len(missed))
        do_triage_messages(missed)
    return len(missed)


def _is_peer_room(room: Room) -> bool:
    return Conversation.objects.filter(room=room, kind=ConversationKind.PEER).exists()


def _check_peer_room(member: Member, room: Room) -> bool:
    """In a conversation between members, may ``member`` still write to the other? True when it is one
    (its messages are then screened for contact details and meet-ups too); raises when they may not."""
    if room.kind != RoomKind.CONVERSATION:
        return False
    conversation = Conversation.objects.filter(room=room).select_related("member", "supporter").first()
    if conversation is None or conversation.kind != ConversationKind.PEER:
        return False
    other = conversation.supporter if conversation.member_id == member.pk else conversation.member
    if conversation.closed_at is not None:
        raise ActionError("This conversation is closed. You can still read it.")
    check_can_message(member, other)
    return True


def _count_unread(room: Room, sender: Member, now: datetime, notify_as: str) -> None:
    """A new message in a conversation: one more unread for everyone else in it; sending counts as reading.

    The others are told (never the words: "A new message from Priya"); the
    email waits ten minutes and is cancelled if they read it first.
    """
    entries = InboxEntry.objects.filter(room=room)
    entries.exclude(member=sender).update(unread=F("unread") + 1, last_message_at=now)
    entries.filter(member=sender).update(unread=0, last_message_at=now, last_read_at=now)
    people = list(entries.values_list("member_id", flat=True))
    send_event_on_commit([member_group(pk) for pk in people], {"kind": "inbox.changed", "room": room.pk})
    others = [e.member for e in entries.exclude(member=sender).select_related("member")]
    url = reverse("chat:room", args=[room.pk])
    text = (
        f"{sender.display_name} checked in with you"
        if notify_as == "care.check_in"
        else f"A new message from {sender.display_name}"
    )
    notifications.notify(
        others,
        notify_as,
        text,
        url,
        actor=sender,
        about=room,
        email_template="chat/email/new_message",
        email_context={"room": room, "sender": sender, "url": url, "check_in": notify_as == "care.check_in"},
        now=now,
    )


def do_mark_read(member: Member, room: Room) -> None:
    """``member`` has the conversation open: nothing in it is unread for them any more.

    The caller has checked access. Tells the member's other pages (the header's count) only when
    something was unread, so opening a read conversation writes nothing.
    """
    with transaction.atomic():
        changed = InboxEntry.objects.filter(room=room, member=member, unread__gt=0).update(
            unread=0, last_read_at=timezone.now()
        )
        if changed:
            send_event_on_commit([member_group(member.pk)], {"kind": "inbox.changed", "room": room.pk})
            for key in READ_CANCELS:
                notifications.cancel_email(member, key, room)


def _change(message: Message, fields: list[str]) -> None:
    message.changed_seq = _next_seq(message.room_id)
    message.save(update_fields=[*fields, "changed_seq"])
    send_event_on_commit([room_channel(message.room_id)], message_payload(message, "chat.message.changed"))


def check_own_recent(member: Member, message: Message, now: datetime) -> None:
    if message.sender_id != member.pk:
        raise ActionError("You can only change your own messages.")
    if message.deleted_at or message.hidden_at:
        raise ActionError("That message has already been removed.")
    if now - message.created_at > EDIT_WINDOW:
        minutes = int(EDIT_WINDOW.total_seconds() // 60)
        raise ActionError(f"Messages can be changed for {minutes} minutes after sending. Send a new message instead.")


def do_edit_message(member: Member, message: Message, body: str) -> Message:
    now = timezone.now()
    check_own_recent(member, message, now)
    body = check_body(body)
    with transaction.atomic():
        message.body = body
        message.word_count = len(body.split())
        message.edited_at = now
        message.save(update_fields=["body", "word_count", "edited_at"])
        if message.kind == MessageKind.TEXT:
            # New words are screened like new messages (an edit can say what the first version didn't).
            message.screening = screen(
                author=member,
                text=body,
                path="chat.message_edit",
                content_key="chat.message",
                object_id=message.pk,
                group_id=message.room.group_id,
                premoderated=triage_first(message.room),
                reply=True,
                between_members=_check_peer_room(member, message.room),
                now=now,
            )
            if message.screening.held:
                message.refresh_from_db()
                return message  # hidden from the room (and said so) until a moderator reviews it
        _change(message, ["body", "word_count", "edited_at"])
    return message


def do_delete_message(member: Member, message: Message) -> Message:
    """The author takes a message back: its text is gone for everyone, a placeholder stays."""
    now = timezone.now()
    check_own_recent(member, message, now)
    with transaction.atomic():
        message.body = ""
        message.deleted_at = now
        _change(message, ["body", "deleted_at"])
    return message


def do_hide_message(moderator: Member, message: Message, reason: str = "") -> Message:
    """A moderator hides a message from the room (the text is kept for the audit trail). Audited."""
    if not can_moderate(moderator, message.room):
        raise ActionError("Only moderators can hide messages. Report it to the team instead.")
    if message.hidden_at:
        return message
    with transaction.atomic():
        message.hidden_at = timezone.now()
        message.hidden_by = moderator
        _change(message, ["hidden_at", "hidden_by"])
        audit.log_action(
            "chat.message.hidden",
            actor=moderator,
            subject=message.sender,
            obj=message,
            data={"reason": reason.strip()[:200] or "no reason given", "room": message.room_id},
        )
    return message


def do_signal_typing(member: Member, room: Room) -> None:
    """Ephemeral: tell the room someone is typing. Nothing is stored."""
    send_event_on_commit(
        [room_channel(room.pk)],
        {"kind": "chat.typing", "room": room.pk, "member": member.pk, "name": member.display_name},
    )


# --- The in-process flood guard ----------------------------------------------------


@dataclass
class TokenBucket:
    """Per connection: RATE_COUNT sends, refilled over RATE_WINDOW. Refuses floods before any query;
    :func:`_recent_sends` is the check that holds across processes."""

    capacity: float
    per_second: float
    tokens: float = 0.0
    updated: float = field(default_factory=time.monotonic)

    @classmethod
    def for_chat(cls) -> TokenBucket:
        return cls(RATE_COUNT, RATE_COUNT / RATE_WINDOW.total_seconds(), tokens=RATE_COUNT)

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.per_second)
        self.updated = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


# --- Presence ---------------------------------------------------------------------


def presence_snapshot(room: Room) -> dict[str, Any]:
    """Everyone in the room now: sent to a newcomer's socket only (the room hears differences)."""
    return {"kind": "chat.presence", "room": room.pk, "present": presence_list(room.pk)}


def _open_visits(room_id: int, member_id: int, now: datetime) -> Any:
    return RoomVisit.objects.filter(
        room_id=room_id, member_id=member_id, left_at__isnull=True, seen_at__gte=now - PRESENCE_EXPIRY
    )


def do_enter_room(member: Member, room: Room, channel_name: str = "") -> RoomVisit:
    """Someone opened the room: attendance for a gathering, a ping for a drop-in's host, and — unless they
    were already here (another tab) — one ``chat.presence.arrived`` to the room. Presence goes by
    differences: the whole list (:func:`presence_snapshot`) goes only to the newcomer's socket, so a room
    filling up costs one small event per arrival, not the list to everyone each time."""
    return do_enter_room_with_presence(member, room, channel_name)[0]


def do_enter_room_with_presence(member: Member, room: Room, channel_name: str = "") -> tuple[RoomVisit, dict[str, Any]]:
    """:func:`do_enter_room` for a socket: also the presence list for the newcomer (as
    :func:`presence_snapshot`, the newcomer included), read in the same query that says whether they were
    already here — every socket's handshake comes through here, so its queries are kept few."""
    now = timezone.now()
    # No savepoint of its own when nested: the socket's caller (chat.sending) gives each write one already.
    with transaction.atomic(savepoint=False):
        here = presence_list(room.pk, now)
        already_here = any(person["id"] == member.pk for person in here)
        visit = RoomVisit.objects.create(
            room=room, member=member, channel_name=channel_name[:200], entered_at=now, seen_at=now
        )
        if not already_here:
            here.append({"id": member.pk, "name": member.display_name, "since": now.isoformat()})
        gathering = Gathering.objects.filter(room=room).first() if room.kind == RoomKind.GATHERING else None
        if gathering is not None and gathering.starts_at - timedelta(hours=1) <= now <= gathering.ends_at:
            Attendance.objects.get_or_create(gathering=gathering, member=member, defaults={"how": AttendanceHow.ONLINE})
        if room.kind == RoomKind.DROP_IN:
            _tell_host_someone_arrived(room, member, now)
        if not already_here:
            send_event_on_commit(
                [room_channel(room.pk)],
                {
                    "kind": "chat.presence.arrived",
                    "room": room.pk,
                    "member": {"id": member.pk, "name": member.display_name, "since": now.isoformat()},
                },
            )
    return visit, {"kind": "chat.presence", "room": room.pk, "present": here}


def _tell_host_someone_arrived(room: Room, member: Member, now: datetime) -> None:
    drop_in = DropIn.objects.filter(room=room).select_related("host").first()
    if drop_in is None or drop_in.host is None or drop_in.host_id == member.pk:
        return
    host = drop_in.host
    url = reverse("chat:room", args=[room.pk])
    send_event_on_commit(
        [member_group(host.pk)],
        {
            "kind": "chat.drop_in.arrived",
            "room": room.pk,
            "name": member.display_name,
            "since": now.isoformat(),
            "url": url,
            "text": f"{member.display_name} has arrived at {room.title}.",
        },
    )
    host_here = _open_visits(room.pk, host.pk, now).exists()  # a visit left by a crash isn't the host here
    if drop_in.email_host and not host_here:
        notifications.notify(
            [host],
            "chat.drop_in",
            f"{member.display_name} has arrived at {room.title}.",
            url,
            about=room,
            email_template="chat/email/drop_in_arrival",
            email_context={"room": room, "arrived": member, "url": url},
            now=now,
        )


def do_leave_room(visit_id: int) -> None:
    with transaction.atomic():
        visit = RoomVisit.objects.filter(pk=visit_id, left_at__isnull=True).select_related("room").first()
        if visit is None:
            return
        visit.left_at = timezone.now()
        visit.save(update_fields=["left_at"])
        if not _open_visits(visit.room_id, visit.member_id, visit.left_at).exists():  # not in another tab either
            send_event_on_commit(
                [room_channel(visit.room_id)],
                {"kind": "chat.presence.left", "room": visit.room_id, "member": visit.member_id},
            )


def keep_visits(visit_ids: Collection[int], now: datetime | None = None) -> int:
    """The heartbeat: these visits' pages are still open (one write per process and beat, whatever the count)."""
    now = now or timezone.now()
    ids = sorted(visit_ids)
    kept = 0
    for start in range(0, len(ids), 500):
        kept += RoomVisit.objects.filter(pk__in=ids[start : start + 500], left_at__isnull=True).update(seen_at=now)
    return kept


def close_stale_visits(now: datetime | None = None) -> int:
    """Visits no server has marked seen for :data:`PRESENCE_EXPIRY` (it crashed or was killed): left when last
    seen, and the room told, so nobody stays "here now" on an open page. The worker runs it every minute."""
    now = now or timezone.now()
    with transaction.atomic():
        stale = list(
            RoomVisit.objects.select_for_update(skip_locked=True)
            .filter(left_at__isnull=True, seen_at__lt=now - PRESENCE_EXPIRY)
            .order_by("pk")[:2000]
        )
        for visit in stale:
            visit.left_at = visit.seen_at
        RoomVisit.objects.bulk_update(stale, ["left_at"])
        for room_id, member_id in sorted({(v.room_id, v.member_id) for v in stale}):
            if not _open_visits(room_id, member_id, now).exists():  # not still here in another tab
                send_event_on_commit(
                    [room_channel(room_id)], {"kind": "chat.presence.left", "room": room_id, "member": member_id}
                )
    return len(stale)


# --- Group rooms and one-to-ones --------------------------------------------------------


def do_open_group_room(member: Member, group_id: int) -> Room:
    """The group's everyday chat room, made the first time a member opens it."""
    group, _ = access_group_content(member, group_id)
    with transaction.atomic():
        room = Room.objects.filter(group=group, kind=RoomKind.GROUP).order_by("pk").first()
        if room is None:
            room = Room.objects.create(group=group, kind=RoomKind.GROUP, title=f"{group.name} chat", created_by=member)
    return room


def supporter_conversations(supporter: Member) -> list[Conversation]:
    """Open one-to-ones where ``supporter`` is the supporter (for a hand-over when they step back)."""
    return list(
        Conversation.objects.filter(supporter=supporter, closed_at__isnull=True)
        .select_related("member", "room")
        .order_by("opened_at")
    )


def do_hand_over_conversation(actor: Member, conversation: Conversation, new_supporter: Member) -> Conversation:
    """Close a one-to-one and open one between the same member and ``new_supporter`` (nobody is dropped).

    For a coordinator when a supporter steps back, or the supporter themselves. The old conversation stays
    readable by both people; the member is told live who they can talk to now.
    """
    if actor.pk != conversation.supporter_id and not policy.can(actor, Perm.MANAGE_ROLES):
        raise ActionError("Only the supporter in this conversation, or a coordinator, can hand it on.")
    if new_supporter.pk in (conversation.supporter_id, conversation.member_id):
        raise ActionError("Choose a different supporter to hand it to.")
    old = conversation.supporter
    with transaction.atomic():
        Conversation.objects.filter(pk=conversation.pk, closed_at__isnull=True).update(closed_at=timezone.now())
        new = do_open_conversation(
            conversation.member, new_supporter, opened_by=actor, reason=f"handed on from {old.display_name}"
        )
        audit.log_action(
            "chat.conversation.handed_over",
            actor=actor,
            subject=conversation.member,
            obj=new,
            data={"old": old.display_name, "new": new_supporter.display_name},
        )
    return new


def do_open_conversation(
    member: Member,
    supporter: Member,
    *,
    opened_by: Member,
    reason: str = "",
    tell: Iterable[Member] | None = None,
) -> Conversation:
    """A one-to-one between ``member`` and ``supporter``; the open one if they already have one.

    No time limit: either person can come back to it whenever they like.
    ``opened_by`` is one of the two, or a supporter arranging it (a hand-off,
    a talk-now match, a check-in). Both people are told (``tell`` narrows it,
    when the caller tells someone in its own words), never the one who opened it.
    """
    if member.pk == supporter.pk:
        raise ActionError("A one-to-one needs two different people.")
    pair = (Q(member=member, supporter=supporter) | Q(member=supporter, supporter=member)) & Q(
        kind=ConversationKind.SUPPORT
    )
    existing = Conversation.objects.filter(pair, closed_at__isnull=True).select_related("room").first()
    if existing is not None and opened_by.pk in (member.pk, supporter.pk, existing.opened_by_id):
        return existing  # either person coming back to it, whichever way round they ask
    if not policy.is_supporter(supporter):
        raise ActionError("One-to-ones are with a volunteer or a member of staff. Choose one of them.")
    if opened_by.pk not in (member.pk, supporter.pk) and not policy.is_supporter(opened_by):
        raise ActionError("Only the two people, or a supporter, can start a one-to-one.")
    with transaction.atomic():
        existing = Conversation.objects.filter(pair, closed_at__isnull=True).select_related("room").first()
        if existing is not None:
            return existing
        room = Room.objects.create(
            kind=RoomKind.CONVERSATION,
            title=f"{member.display_name} and {supporter.display_name}",
            created_by=opened_by,
        )
        conversation = Conversation.objects.create(
            room=room, member=member, supporter=supporter, opened_by=opened_by, reason=reason.strip()[:200]
        )
        now = timezone.now()
        InboxEntry.objects.bulk_create(
            [InboxEntry(room=room, member=person, last_message_at=now) for person in (member, supporter)]
        )
        url = reverse("chat:room", args=[room.pk])
        told = {p.pk for p in tell} if tell is not None else {member.pk, supporter.pk}
        for person, other in ((member, supporter), (supporter, member)):
            if person.pk in told:
                notifications.notify(
                    [person],
                    "chat.conversation",
                    f"A one-to-one with {other.display_name} is open.",
                    url,
                    actor=opened_by,
                    about=room,
                )
    return conversation


# --- Messages between members -----------------------------------------------------------------


def check_can_message(sender: Member, recipient: Member) -> None:
    """May ``sender`` write to ``recipient`` one-to-one, as a fellow member? Raises with the reason if not.

    The organisation has turned it on; both chose to take messages from other members (it goes both ways)
    and share a group; neither has blocked the other; the sender isn't muted. The refusal for a block
    doesn't say who blocked whom.
    """
    if not member_messages_on():
        raise ActionError("Messages between members aren't switched on here. You can talk to a supporter any time.")
    if sender.pk == recipient.pk:
        raise ActionError("A conversation needs two different people.")
    if not recipient.is_active:
        raise ActionError(f"{recipient.display_name} isn't here any more.")
    if blocked_between(sender, recipient):
        raise ActionError(f"You can't send messages to {recipient.display_name}.")
    if are_buddies(sender, recipient):
        check_can_write(sender)
        return  # buddies both agreed to write to each other, whatever their general message settings
    if messages_from(sender) == MessagesFrom.NOBODY:
        raise ActionError(
            "Messages between members go both ways: first choose to take messages from other members "
            "in your message settings."
        )
    if messages_from(recipient) == MessagesFrom.NOBODY or not shares_a_group(sender, recipient):
        raise ActionError(f"{recipient.display_name} isn't taking messages from other members at the moment.")
    check_can_write(sender)


def do_set_messages_from(member: Member, choice: str) -> MessagePreference:
    """The member's own choice about messages from other members. Choosing nobody closes nothing that is
    already written (it stays readable), but no more messages go either way."""
    if choice not in MessagesFrom.values:
        raise ActionError("Choose who may message you.")
    with transaction.atomic():
        pref, _ = MessagePreference.objects.update_or_create(
            member=member, defaults={"messages_from": choice, "updated_at": timezone.now()}
        )
    return pref


def do_start_member_conversation(sender: Member, recipient: Member) -> Conversation:
    """A one-to-one between two members (the open one if they have one). The recipient hears nothing until
    the first message arrives (their inbox changes then)."""
    check_can_message(sender, recipient)
    pair = Q(member=sender, supporter=recipient) | Q(member=recipient, supporter=sender)
    with transaction.atomic():
        existing = (
            Conversation.objects.filter(pair, kind=ConversationKind.PEER, closed_at__isnull=True)
            .select_related("room")
            .first()
        )
        if existing is not None:
            return existing
        room = Room.objects.create(
            kind=RoomKind.CONVERSATION,
            title=f"{sender.display_name} and {recipient.display_name}",
            created_by=sender,
        )
        conversation = Conversation.objects.create(
            room=room, kind=ConversationKind.PEER, member=sender, supporter=recipient, opened_by=sender
        )
        InboxEntry.objects.bulk_create(
            [
                InboxEntry(room=room, member=sender, last_message_at=timezone.now()),
                InboxEntry(room=room, member=recipient),
            ]
        )
    return conversation


def do_block(blocker: Member, blocked: Member) -> Block:
    """``blocker`` stops messages with ``blocked`` both ways; their open conversation closes (it stays
    readable to both). The blocked person isn't told. Audited (ids only), so a pattern can be seen."""
    if blocker.pk == blocked.pk:
        raise ActionError("You can't block yourself.")
    with transaction.atomic():
        block, created = Block.objects.get_or_create(blocker=blocker, blocked=blocked)
        if created:
            conversations = Conversation.objects.filter(
                Q(member=blocker, supporter=blocked) | Q(member=blocked, supporter=blocker),
                kind=ConversationKind.PEER,
                closed_at__isnull=True,
            )
            rooms = list(conversations.values_list("room_id", flat=True))
            conversations.update(closed_at=timezone.now())
            audit.log_action("chat.member.blocked", actor=blocker, subject=blocked, obj=block)
            for pair in BuddyPair.objects.filter(
                Q(first=blocker, second=blocked) | Q(first=blocked, second=blocker),
                state__in=(BuddyPair.State.PROPOSED, BuddyPair.State.ACTIVE),
            ):
                _end_pair(pair, ended_by=blocker, notice=f"Your buddy pairing with {blocker.display_name} has ended.")
            for room_id in rooms:
                send_event_on_commit([member_group(blocker.pk)], {"kind": "inbox.changed", "room": room_id})
    return block


def do_unblock(blocker: Member, blocked: Member) -> None:
    with transaction.atomic():
        deleted, _ = Block.objects.filter(blocker=blocker, blocked=blocked).delete()
        if deleted:
            audit.log_action("chat.member.unblocked", actor=blocker, subject=blocked)


def do_review_conversation(staff: Member, conversation: Conversation, reason: str, openers: list[str]) -> list[Message]:
    """Staff read a one-to-one they are not in, once a report or crisis opened it (see
    :func:`hearth.chat.access.access_conversation_for_review`, which the caller used). Every read is audited
    with its reason; the two people's messages come back oldest first."""
    reason = " ".join(reason.split())
    if len(reason) < 10:
        raise ActionError("Say why you need to read it (a sentence): it's kept in the audit log.")
    with transaction.atomic():
        audit.log_action(
            "chat.conversation.reviewed",
            actor=staff,
            subject=conversation.member,
            obj=conversation,
            data={
                "other": conversation.supporter.display_name,
                "opened_by": "; ".join(openers),
                "reason": reason[:300],
            },
        )
    return list(Message.objects.filter(room_id=conversation.room_id).select_related("sender").order_by("seq"))


# --- Drop-ins -------------------------------------------------------------------------


def check_drop_in_hours(weekday: int, opens_at: Any, closes_at: Any) -> None:
    if not 0 <= weekday <= 6:
        raise ActionError("Choose a day of the week.")
    if closes_at <= opens_at:
        raise ActionError("The closing time must be after the opening time, on the same day.")


def do_create_drop_in(
    host: Member, group_id: int, *, title: str, weekday: int, opens_at: Any, closes_at: Any, email_host: bool = True
) -> DropIn:
    """A group host opens a weekly drop-in; the group hears about it."""
    group, membership = access_group_content(host, group_id)
    check_can_open_drop_in(membership)
    check_drop_in_hours(weekday, opens_at, closes_at)
    title = title.strip() or f"{group.name} drop-in"
    with transaction.atomic():
        room = Room.objects.create(group=group, kind=RoomKind.DROP_IN, title=title[:80], created_by=host)
        drop_in = DropIn.objects.create(
            room=room,
            group=group,
            host=host,
            weekday=weekday,
            opens_at=opens_at,
            closes_at=closes_at,
            email_host=email_host,
        )
        send_event_on_commit(
            [group_channel(group.pk)],
            {
                "kind": "chat.drop_in.announced",
                "group": group.pk,
                "room": room.pk,
                "text": f"{title} is open {drop_in.hours_label()}. Drop in whenever you like.",
            },
        )
    return drop_in


def do_end_drop_in(host: Member, drop_in: DropIn) -> None:
    if (
        drop_in.host_id != host.pk
        and not Membership.objects.filter(group=drop_in.group, member=host, is_host=True).exists()
    ):
        raise ActionError("Only the drop-in's host or a group host can stop it.")
    with transaction.atomic():
        drop_in.ended_at = timezone.now()
        drop_in.save(update_fields=["ended_at"])


# --- Gatherings -----------------------------------------------------------------------


def _member_of(group: Group, person: Member | None, what: str) -> None:
    if person is not None and not Membership.objects.filter(group=group, member=person).exists():
        raise ActionError(f"The {what} needs to be a member of the group. Invite them to it first.")


def check_gathering(group: Group, fields: dict[str, Any]) -> None:
    if fields["ends_at"] <= fields["starts_at"]:
        raise ActionError("The gathering must end after it starts.")
    fmt = fields.get("format", GatheringFormat.ONLINE)
    if fmt == GatheringFormat.VIDEO and not fields.get("video_link") and not video_service():
        raise ActionError("Add the video call link, so people know where to go.")
    if fmt in (GatheringFormat.IN_PERSON, GatheringFormat.HYBRID) and not fields.get("place"):
        raise ActionError("Add the place, so people know where to go.")
    if fmt == GatheringFormat.HYBRID and not fields.get("online_volunteer"):
        raise ActionError("A hybrid gathering needs an online volunteer to make sure people online are heard.")
    _member_of(group, fields.get("facilitator"), "facilitator")
    _member_of(group, fields.get("online_volunteer"), "online volunteer")


def _online_places(gathering: Gathering, group: Group, by: Member | None) -> None:
    """An online or hybrid gathering gets its Hearth room; a video or hybrid one without a link of its own gets
    a room on the organisation's video server (each date its own, so an old link never opens a new session)."""
    if gathering.format in (GatheringFormat.ONLINE, GatheringFormat.HYBRID):
        gathering.room = Room.objects.create(
            group=group, kind=RoomKind.GATHERING, title=gathering.title[:80], created_by=by
        )
    if gathering.format in (GatheringFormat.VIDEO, GatheringFormat.HYBRID) and not gathering.video_link:
        gathering.video_room = new_video_room() if video_service() else ""


def online_link(gathering: Gathering) -> str:
    """The gathering's video link (the facilitator's, or its room on the organisation's server), or "".

    Shown only to people coming online and to those running it (``access.sees_online_link``)."""
    return gathering.video_link or video_link(gathering.video_room)


def check_can_schedule(actor: Member, membership: Membership) -> None:
    if not (membership.is_host or policy.can(actor, Perm.RUN_GATHERINGS)):
        raise ActionError("Only the group's hosts and supporters can schedule gatherings. Suggest one to a host.")


def check_can_open_drop_in(membership: Membership) -> None:
    if not membership.is_host:
        raise ActionError("Only a host of this group can open a drop-in. Ask one of its hosts.")


def do_schedule_gathering(actor: Member, group_id: int, **fields: Any) -> Gathering:
    """A group host, or a supporter in the group, schedules a gathering (with a room if online or hybrid)."""
    group, membership = access_group_content(actor, group_id)
    check_can_schedule(actor, membership)
    fields.setdefault("facilitator", actor)
    check_gathering(group, fields)
    with transaction.atomic():
        gathering = Gathering(group=group, created_by=actor, **fields)
        _online_places(gathering, group, actor)
        gathering.save()
        if gathering.invite_only:
            return gathering  # nobody hears of it but the people invited (do_invite): no group event, no notice
        send_event_on_commit(
            [group_channel(group.pk)],
            {"kind": "chat.gathering.scheduled", "group": group.pk, "gathering": gathering.pk, "text": gathering.title},
        )
        when = timezone.localtime(gathering.starts_at)
        notifications.notify(
            [m.member for m in Membership.objects.filter(group=group).select_related("member")],
            "chat.gathering",
            f"New in {group.name}: {gathering.title}, {when:%A} {when.day} {when:%B at %H:%M}",
            reverse("chat:gathering", args=[gathering.pk]),
            actor=actor,
            about=gathering,
        )
    return gathering


def _places_taken(gathering: Gathering) -> int:
    return Rsvp.objects.filter(gathering=gathering, answer__in=TAKES_A_PLACE, waiting_since__isnull=True).count()


def places_left(gathering: Gathering) -> int | None:
    """Free places, or None when the gathering has no capacity."""
    if gathering.capacity is None:
        return None
    return max(0, gathering.capacity - _places_taken(gathering))


def joining_for(gathering: Gathering, answer: str, joining: str = "") -> str:
    """How someone answering ``answer`` will join: their choice at a hybrid gathering (required), otherwise the
    gathering's own way; "" for "can't come"."""
    if answer == RsvpAnswer.NO:
        return ""
    if gathering.format == GatheringFormat.HYBRID:
        if joining not in AttendanceHow.values:
            raise ActionError(f"Say whether you'll come in person ({gathering.place}) or join online.")
        return joining
    return AttendanceHow.IN_PERSON if gathering.format == GatheringFormat.IN_PERSON else AttendanceHow.ONLINE


def do_rsvp(
    member: Member,
    gathering: Gathering,
    answer: str,
    remind_minutes_before: int | None = None,
    *,
    joining: str = "",
) -> Rsvp:
    """Going / maybe / "I might just listen" / can't come, and an optional reminder that many minutes before.
    At a hybrid gathering, also in person or online (``joining``): only people joining online see its link.

    With a capacity, "going" and "listen" take a place; when none is free the answer is kept on the waiting list
    (``waiting_since``), first come first served. Someone giving up a place moves the first person waiting up
    (:func:`_offer_places`). The gathering row is locked while places are counted, so two people can't take the
    last place (SQLite's IMMEDIATE transactions queue writers; PostgreSQL's ``SELECT … FOR UPDATE``).
    """
    if answer not in RsvpAnswer.values:
        raise ActionError("Choose going, maybe, 'I might just listen' or can't come.")
    if gathering.cancelled_at is not None:
        raise ActionError("This gathering is cancelled.")
    if remind_minutes_before is not None and not 0 < remind_minutes_before <= 7 * 24 * 60:
        raise ActionError("Choose a reminder between a few minutes and a week before.")
    now = timezone.now()
    due = gathering.starts_at - timedelta(minutes=remind_minutes_before) if remind_minutes_before else None
    if due is not None and due <= now:
        due = None if gathering.starts_at <= now else now
    if answer == RsvpAnswer.NO:
        due = None
    joining = joining_for(gathering, answer, joining)
    with transaction.atomic():
        Gathering.objects.select_for_update().filter(pk=gathering.pk).first()
        before = Rsvp.objects.filter(gathering=gathering, member=member).first()
        waiting_since = None
        if gathering.capacity is not None and answer in TAKES_A_PLACE:
            had_place = before is not None and before.answer in TAKES_A_PLACE and before.waiting_since is None
            if not had_place and _places_taken(gathering) >= gathering.capacity:
                waiting_since = before.waiting_since if before and before.waiting_since else now
        rsvp, _ = Rsvp.objects.update_or_create(
            gathering=gathering,
            member=member,
            defaults={
                "answer": answer,
                "remind_minutes_before": remind_minutes_before,
                "due_at": due if waiting_since is None else None,
                "reminded_at": None,
                "answered_at": now,
                "waiting_since": waiting_since,
                "joining": joining,
            },
        )
        _offer_places(gathering)
    rsvp.refresh_from_db()
    return rsvp


def waiting_position(rsvp: Rsvp) -> int | None:
    """1 for the first person waiting; None when not waiting."""
    if rsvp.waiting_since is None:
        return None
    return (
        Rsvp.objects.filter(
            gathering_id=rsvp.gathering_id, waiting_since__isnull=False, waiting_since__lte=rsvp.waiting_since
        )
        .exclude(waiting_since=rsvp.waiting_since, pk__gt=rsvp.pk)
        .count()
    )


def _offer_places(gathering: Gathering) -> None:
    """Free places go to the people waiting, longest first; each is told (live and, if they like, email)."""
    if gathering.capacity is None:
        return
    free = gathering.capacity - _places_taken(gathering)
    if free <= 0:
        return
    url = reverse("chat:gathering", args=[gathering.pk])
    for rsvp in (
        Rsvp.objects.filter(gathering=gathering, waiting_since__isnull=False)
        .select_related("member")
        .order_by("waiting_since", "pk")[:free]
    ):
        due = None
        if rsvp.remind_minutes_before:
            due = max(gathering.starts_at - timedelta(minutes=rsvp.remind_minutes_before), timezone.now())
        Rsvp.objects.filter(pk=rsvp.pk).update(waiting_since=None, due_at=due)
        notifications.notify(
            [rsvp.member],
            "chat.place_free",
            f"A place came free: you're going to {gathering.title}.",
            url,
            about=gathering,
            email_template="chat/email/place_free",
            email_context={"gathering": gathering, "url": url},
        )


def do_set_capacity(actor: Member, gathering: Gathering, capacity: int | None) -> Gathering:
    """The facilitator or a host changes how many places there are; more places go to people waiting."""
    if gathering.facilitator_id != actor.pk and not can_run(actor, gathering.group_id):
        raise ActionError("Only the facilitator or the group's hosts can change the number of places.")
    if capacity is not None and not 1 <= capacity <= 1000:
        raise ActionError("Choose between 1 and 1,000 places, or leave it empty for no limit.")
    with transaction.atomic():
        Gathering.objects.select_for_update().filter(pk=gathering.pk).update(capacity=capacity)
        gathering.capacity = capacity
        _offer_places(gathering)
    return gathering


def can_run(actor: Member, group_id: int) -> bool:
    """A host of the group, or a supporter in it (who may schedule its gatherings)."""
    membership = Membership.objects.filter(group_id=group_id, member=actor).first()
    return membership is not None and (membership.is_host or policy.can(actor, Perm.RUN_GATHERINGS))


notifications.register(Kind("chat.invitation", "Someone invites you to a gathering", _GATHERINGS, urgent=True))


def do_invite(actor: Member, gathering: Gathering, people: Iterable[Member]) -> list[GatheringInvitation]:
    """Invite chosen people in the group to a gathering; each is told. Inviting someone twice does nothing.

    For an invite-only gathering this is who may see it (with the people running it)."""
    if gathering.facilitator_id != actor.pk and not can_run(actor, gathering.group_id):
        raise ActionError("Only the facilitator or the group's hosts can invite people.")
    if gathering.cancelled_at is not None or gathering.ends_at <= timezone.now():
        raise ActionError("This gathering is over or called off, so there's nobody to invite.")
    people = [p for p in people if p.pk != actor.pk]
    if not people:
        raise ActionError("Choose who you'd like to invite.")
    for person in people:
        _member_of(gathering.group, person, "person you invite")
    with transaction.atomic():
        already = set(GatheringInvitation.objects.filter(gathering=gathering).values_list("member_id", flat=True))
        made = GatheringInvitation.objects.bulk_create(
            [
                GatheringInvitation(gathering=gathering, member=p, invited_by=actor)
                for p in people
                if p.pk not in already
            ]
        )
        when = timezone.localtime(gathering.starts_at)
        notifications.notify(
            [i.member for i in made],
            "chat.invitation",
            f"{actor.display_name} invites you to {gathering.title}, {when:%A} {when.day} {when:%B at %H:%M}.",
            reverse("chat:gathering", args=[gathering.pk]),
            actor=actor,
            about=gathering,
        )
    return made


def do_cancel_gathering(actor: Member, gathering: Gathering) -> Gathering:
    """Call one gathering off (for a series: skip that date; it isn't made again). Everyone who answered
    going, maybe or listen is told; reminders stop."""
    if gathering.facilitator_id != actor.pk and not can_run(actor, gathering.group_id):
        raise ActionError("Only the facilitator or the group's hosts can cancel a gathering.")
    if gathering.cancelled_at is not None:
        return gathering
    now = timezone.now()
    with transaction.atomic():
        gathering.cancelled_at = now
        gathering.save(update_fields=["cancelled_at"])
        Rsvp.objects.filter(gathering=gathering).update(due_at=None)
        url = reverse("chat:gathering", args=[gathering.pk])
        when = timezone.localtime(gathering.starts_at)
        people = Rsvp.objects.filter(gathering=gathering).exclude(answer=RsvpAnswer.NO).select_related("member")
        notifications.notify(
            [rsvp.member for rsvp in people],
            "chat.gathering_changed",
            f"{gathering.title} on {when:%A} {when.day} {when:%B} won't happen. Sorry!",
            url,
            actor=actor,
            about=gathering,
        )
        send_event_on_commit(
            [group_channel(gathering.group_id)],
            {"kind": "chat.gathering.scheduled", "group": gathering.group_id, "gathering": gathering.pk, "text": ""},
        )
    return gathering


# --- Recurring gatherings ---------------------------------------------------------------------

# How far ahead a series' gatherings exist (enough for three monthly ones).
SERIES_HORIZON = timedelta(days=100)


def do_schedule_series(
    actor: Member,
    group_id: int,
    *,
    repeat: str,
    starts_at: datetime,
    ends_at: datetime,
    until: Any = None,
    **fields: Any,
) -> GatheringSeries:
    """A host or supporter sets up a recurring gathering; its gatherings up to the horizon are made at once."""
    group, membership = access_group_content(actor, group_id)
    check_can_schedule(actor, membership)
    if repeat not in Repeat.values:
        raise ActionError("Choose how often it happens.")
    fields.setdefault("facilitator", actor)
    check_gathering(group, {**fields, "starts_at": starts_at, "ends_at": ends_at})
    local = timezone.localtime(starts_at)
    if until is not None and until < local.date():
        raise ActionError("The last date must be on or after the first.")
    with transaction.atomic():
        series = GatheringSeries.objects.create(
            group=group,
            repeat=repeat,
            starts_on=local.date(),
            start_time=local.time().replace(second=0, microsecond=0),
            duration=ends_at - starts_at,
            until=until,
            created_by=actor,
            **{k: v for k, v in fields.items() if k in _SERIES_FIELDS},
        )
        made = extend_series(series)
        send_event_on_commit(
            [group_channel(group.pk)],
            {
                "kind": "chat.gathering.scheduled",
                "group": group.pk,
                "gathering": made[0].pk if made else None,
                "text": f"{series.title}: {series.rule_label()}",
            },
        )
    return series


_SERIES_FIELDS = (
    "title",
    "description",
    "format",
    "activity",
    "bring",
    "video_link",
    "place",
    "capacity",
    "facilitator",
    "online_volunteer",
)


def extend_series(series: GatheringSeries, now: datetime | None = None) -> list[Gathering]:
    """Make the series' gatherings from where it got to up to the horizon (idempotent: a date that already has
    a row, cancelled or not, is left alone). Returns the new ones."""
    from hearth.chat import recurrence

    if series.ended_at is not None:
        return []
    now = now or timezone.now()
    horizon = timezone.localtime(now + SERIES_HORIZON).date()
    if series.until is not None:
        horizon = min(horizon, series.until)
    since = max(series.starts_on, timezone.localtime(now).date())
    existing = set(series.gatherings.values_list("occurrence_date", flat=True))
    made = []
    for day in recurrence.dates(series.repeat, series.starts_on, since=since, until=horizon):
        if day in existing:
            continue
        start = recurrence.local_start(day, series.start_time)
        gathering = Gathering(
            group=series.group,
            series=series,
            occurrence_date=day,
            starts_at=start,
            ends_at=start + series.duration,
            created_by=series.created_by,
            **{f: getattr(series, f) for f in _SERIES_FIELDS},
        )
        _online_places(gathering, series.group, series.created_by)
        gathering.save()
        made.append(gathering)
    GatheringSeries.objects.filter(pk=series.pk).update(made_until=horizon)
    return made


def extend_all_series(now: datetime | None = None) -> int:
    """The daily job: every running series keeps its horizon of gatherings."""
    made = 0
    for series in GatheringSeries.objects.filter(ended_at__isnull=True).select_related("group"):
        with transaction.atomic():
            made += len(extend_series(series, now))
    return made


def do_end_series(actor: Member, series: GatheringSeries) -> None:
    """Stop a series: its gatherings still to come are cancelled (people who answered are told)."""
    if series.facilitator_id != actor.pk and not can_run(actor, series.group_id):
        raise ActionError("Only the facilitator or the group's hosts can end this.")
    with transaction.atomic():
        GatheringSeries.objects.filter(pk=series.pk).update(ended_at=timezone.now())
        for gathering in series.gatherings.filter(starts_at__gt=timezone.now(), cancelled_at__isnull=True):
            do_cancel_gathering(actor, gathering)


def send_due_reminders(now: datetime | None = None) -> int:
    """Send every reminder that is due. Each is claimed by a conditional UPDATE, so it goes once."""
    now = now or timezone.now()
    sent = 0
    for rsvp_id in list(
        Rsvp.objects.filter(due_at__lte=now, reminded_at__isnull=True).values_list("pk", flat=True)[:200]
    ):
        with transaction.atomic():
            if not Rsvp.objects.filter(pk=rsvp_id, reminded_at__isnull=True).update(reminded_at=now):
                continue  # another worker claimed it
            rsvp = Rsvp.objects.select_related("gathering", "member").get(pk=rsvp_id)
            gathering = rsvp.gathering
            url = reverse("chat:gathering", args=[gathering.pk])
            text = f"Reminder: {gathering.title} starts at {timezone.localtime(gathering.starts_at):%H:%M}."
            notifications.notify(
                [rsvp.member],
                "chat.reminder",
                text,
                url,
                about=gathering,
                email_template="chat/email/reminder",
                email_context={
                    "gathering": gathering,
                    "url": url,
                    "rsvp": rsvp,
                    "online_link": online_link(gathering) if rsvp.joining == AttendanceHow.ONLINE else "",
                },
                now=now,
            )
            sent += 1
    return sent


def _require_facilitator(actor: Member, room: Room) -> None:
    if not can_facilitate(actor, room):
        raise ActionError("Only the facilitator, the online volunteer or a host can do that here.")


def do_mark_attendance(
    actor: Member, gathering: Gathering, person: Member, how: str = AttendanceHow.IN_PERSON
) -> Attendance:
    if (
        gathering.facilitator_id != actor.pk
        and gathering.online_volunteer_id != actor.pk
        and not policy.is_staff(actor)
    ):
        raise ActionError("Only the facilitator or the online volunteer can mark who was there.")
    if how not in AttendanceHow.values:
        raise ActionError("Choose in person or online.")
    _member_of(gathering.group, person, "person")
    with transaction.atomic():
        attendance, _ = Attendance.objects.update_or_create(
            gathering=gathering, member=person, defaults={"how": how, "marked_by": actor}
        )
    return attendance


def do_save_notes(actor: Member, gathering: Gathering, notes: str) -> None:
    """The facilitator's notes after the session (staff read them; audited)."""
    if gathering.facilitator_id != actor.pk and not policy.is_staff(actor):
        raise ActionError("Only the facilitator or staff can write the session notes.")
    with transaction.atomic():
        gathering.notes = notes.strip()[:4000]
        gathering.save(update_fields=["notes"])
        audit.log_action("chat.notes.saved", actor=actor, obj=gathering, data={"title": gathering.title})


# --- Facilitation ---------------------------------------------------------------------


def _hands_event(room: Room) -> dict[str, Any]:
    queue = HandRaise.objects.filter(room=room, cleared_at__isnull=True).select_related("member")
    return {
        "kind": "chat.hands",
        "room": room.pk,
        "queue": [{"id": h.member_id, "name": h.member.display_name, "since": h.raised_at.isoformat()} for h in queue],
    }


def do_raise_hand(member: Member, room: Room) -> HandRaise:
    with transaction.atomic():
        hand = HandRaise.objects.filter(room=room, member=member, cleared_at__isnull=True).first()
        if hand is None:
            hand = HandRaise.objects.create(room=room, member=member)
        send_event_on_commit([room_channel(room.pk)], _hands_event(room))
    return hand


def do_clear_hand(actor: Member, room: Room, member_id: int) -> None:
    """Lower a hand: your own, or anyone's if you facilitate the room."""
    if actor.pk != member_id:
        _require_facilitator(actor, room)
    with transaction.atomic():
        HandRaise.objects.filter(room=room, member_id=member_id, cleared_at__isnull=True).update(
            cleared_at=timezone.now()
        )
        send_event_on_commit([room_channel(room.pk)], _hands_event(room))


def do_send_prompt(actor: Member, room: Room, prompt_id: int) -> Message:
    _require_facilitator(actor, room)
    prompt = Prompt.objects.filter(pk=prompt_id, active=True).first()
    if prompt is None:
        raise ActionError("That prompt isn't in the deck any more. Choose another.")
    message, _ = do_send_message(actor, room, prompt.text, kind=MessageKind.PROMPT)
    return message


def do_start_closing_round(actor: Member, room: Room) -> Message:
    """Ask each person for one good thing, so the session ends on a positive note."""
    _require_facilitator(actor, room)
    with transaction.atomic():
        Gathering.objects.filter(room=room).update(closing_round_at=timezone.now())
        message, _ = do_send_message(actor, room, CLOSING_ROUND_TEXT, kind=MessageKind.CLOSING)
    return message


def do_hand_off(actor: Member, room: Room, person: Member, supporter: Member, note: str = "") -> FollowUp:
    """Privately offer an upset participant a one-to-one with a supporter, and record a follow-up.

    Only the person, the supporter and the facilitator hear about it; the room sees nothing. Audited.
    """
    _require_facilitator(actor, room)
    if not Membership.objects.filter(group=room.group, member=person).exists():
        raise ActionError("That person isn't in this group.")
    gathering = Gathering.objects.filter(room=room).first()
    with transaction.atomic():
        conversation = do_open_conversation(
            person,
            supporter,
            opened_by=actor,
            reason=f"From {room.title}" + (f": {note.strip()}" if note.strip() else ""),
            tell=[supporter],  # the person hears it below, in kinder words
        )
        follow_up = FollowUp.objects.create(
            member=person,
            supporter=supporter,
            created_by=actor,
            gathering=gathering,
            conversation=conversation,
            note=note.strip()[:300],
        )
        # The care queue follows up later, whatever happens in the one-to-one now.
        follow_up_wanted.send(
            "chat",
            member=person,
            source="hand-off",
            reason=f"Offered a one-to-one from {room.title}, handed to {supporter.display_name}",
        )
        url = reverse("chat:room", args=[conversation.room_id])
        notifications.notify(
            [person],
            "chat.handoff",
            f"{supporter.display_name} is here for a one-to-one chat, or can give you a ring now if you'd like.",
            url,
            actor=actor,
            about=conversation.room,
        )
        audit.log_action(
            "chat.handoff.made",
            actor=actor,
            subject=person,
            obj=follow_up,
            data={"supporter": supporter.display_name, "room": room.pk},
        )
    return follow_up


def check_prompt_text(text: str) -> str:
    text = " ".join(text.split())
    if not text:
        raise ActionError("Write the prompt, for example: 'What's something small that made you smile this week?'")
    if len(text) > 200:
        raise ActionError("Keep prompts under 200 characters so they're easy to read aloud.")
    return text


def do_set_prompts(actor: Member, texts: Iterable[str]) -> list[Prompt]:
    """Replace the organisation's prompt deck (one prompt per line, in order). Audited."""
    policy.require(actor, Perm.EDIT_PROMPTS)
    cleaned = [check_prompt_text(t) for t in texts if t.strip()]
    with transaction.atomic():
        Prompt.objects.all().delete()
        prompts = Prompt.objects.bulk_create([Prompt(text=t, position=i) for i, t in enumerate(cleaned)])
        audit.log_action("chat.prompts.changed", actor=actor, data={"count": len(prompts)})
    return prompts


def do_set_message_hidden(message_id: int, hidden: bool) -> None:
    """Hide a message from the room, or show it again: decided in hearth.safety (audited there)."""
    message = Message.objects.select_related("room", "sender").filter(pk=message_id).first()
    if message is None or bool(message.hidden_at) == hidden:
        return
    message.hidden_at = timezone.now() if hidden else None
    message.hidden_by = None
    _change(message, ["hidden_at", "hidden_by"])


# --- Bookable slots --------------------------------------------------------------------------------
#
# Rules, in one place: a member books a slot at least ``booking_notice()`` before it starts (the organisation's
# HEARTH_BOOKING_NOTICE_MINUTES, default 60), holds at most MAX_BOOKINGS upcoming bookings, and may change or
# cancel until it starts. A supporter publishes slots (at least 15 minutes, at most 3 hours, in the future)
# and may take one back (the member is told). The reminder goes REMIND_BEFORE ahead; the one-to-one opens
# OPEN_EARLY before the start. A missed booking is recorded as "couldn't make it", the member gets a kind note
# and the care queue a follow-up.

MAX_BOOKINGS = 2
REMIND_BEFORE = timedelta(hours=1)
OPEN_EARLY = timedelta(minutes=5)


def booking_notice() -> timedelta:
    return timedelta(minutes=settings.HEARTH_BOOKING_NOTICE_MINUTES)


def _when(at: datetime) -> str:
    local = timezone.localtime(at)
    from hearth.chat.models import clock

    return f"{local:%A} {local.day} {local:%B}, {clock(local.time())}"


def do_publish_slot(supporter: Member, *, starts_at: datetime, minutes: int, way: str) -> Slot:
    policy.require(supporter, Perm.OFFER_SLOTS)
    if way not in SlotWay.values:
        raise ActionError("Choose how you'll talk: text chat, phone or video.")
    check_can_offer_way(supporter, way)
    if not 15 <= minutes <= 180:
        raise ActionError("A slot is between 15 minutes and 3 hours long.")
    if starts_at <= timezone.now():
        raise ActionError("Choose a time in the future.")
    ends_at = starts_at + timedelta(minutes=minutes)
    with transaction.atomic():
        overlapping = Slot.objects.filter(
            supporter=supporter, withdrawn_at__isnull=True, starts_at__lt=ends_at, ends_at__gt=starts_at
        )
        if overlapping.exists():
            raise ActionError("You already offer a slot at that time.")
        return Slot.objects.create(supporter=supporter, starts_at=starts_at, ends_at=ends_at, way=way)


def check_can_book(member: Member, slot: Slot, now: datetime, *, replacing: Slot | None = None) -> None:
    if slot.withdrawn_at is not None or (slot.member_id is not None and slot.member_id != member.pk):
        raise ActionError("Sorry, someone has just booked that time. Choose another.")
    if slot.supporter_id == member.pk:
        raise ActionError("That's your own slot.")
    if slot.starts_at - booking_notice() < now:
        raise ActionError("That time is too soon to book now. Choose a later one, or talk to someone now.")
    if slot.way == SlotWay.PHONE and not member.phone:
        raise ActionError(
            "A phone call needs your number: add it to your profile (only the member of staff who calls you sees "
            "it), then book."
        )
    upcoming = Slot.objects.filter(member=member, starts_at__gt=now, withdrawn_at__isnull=True)
    if replacing is not None:
        upcoming = upcoming.exclude(pk=replacing.pk)
    if upcoming.count() >= MAX_BOOKINGS:
        raise ActionError(f"You can have up to {MAX_BOOKINGS} bookings at a time. Cancel one to book another.")


def do_book_slot(member: Member, slot_id: int, *, replacing: Slot | None = None) -> Slot:
    """Book a slot (or move a booking to it). One conditional UPDATE decides who gets it: two members, one slot,
    one booking. The supporter is told."""
    now = timezone.now()
    with transaction.atomic():
        slot = Slot.objects.select_related("supporter").filter(pk=slot_id).first()
        if slot is None:
            raise ActionError("That time isn't offered any more.")
        check_can_book(member, slot, now, replacing=replacing)
        taken = Slot.objects.filter(pk=slot.pk, member__isnull=True, withdrawn_at__isnull=True).update(
            member=member, booked_at=now, remind_at=max(slot.starts_at - REMIND_BEFORE, now), reminded_at=None
        )
        if not taken:
            raise ActionError("Sorry, someone has just booked that time. Choose another.")
        if replacing is not None:
            _release(member, replacing, now)
        slot.refresh_from_db()
        send_live(
            slot.supporter,
            {
                "kind": "chat.booking.changed",
                "slot": slot.pk,
                "text": f"{member.display_name} booked {_when(slot.starts_at)} with you.",
                "url": reverse("chat:my_slots"),
            },
            kind="chat.booking.changed",
            about=slot,
        )
    return slot


def _release(member: Member, slot: Slot, now: datetime) -> None:
    if slot.member_id != member.pk:
        raise ActionError("That isn't your booking.")
    if slot.starts_at <= now:
        raise ActionError("That time has already started.")
    Slot.objects.filter(pk=slot.pk, member=member).update(member=None, booked_at=None, remind_at=None, reminded_at=None)
    deliveries.cancel(slot)
    send_live(
        slot.supporter,
        {
            "kind": "chat.booking.changed",
            "slot": slot.pk,
            "text": f"{member.display_name} can't make {_when(slot.starts_at)} any more; the time is free again.",
            "url": reverse("chat:my_slots"),
        },
        kind="chat.booking.changed",
        about=slot,
    )


def do_cancel_booking(member: Member, slot: Slot) -> None:
    with transaction.atomic():
        _release(member, slot, timezone.now())


def do_change_booking(member: Member, slot: Slot, new_slot_id: int) -> Slot:
    """Move a booking to another time, in one transaction: the new time is taken before the old is let go."""
    return do_book_slot(member, new_slot_id, replacing=slot)


def do_withdraw_slot(supporter: Member, slot: Slot) -> None:
    """The supporter takes a slot back; a member who booked it is told kindly and can book another."""
    if slot.supporter_id != supporter.pk:
        raise ActionError("Only the supporter who offered it can take it back.")
    with transaction.atomic():
        Slot.objects.filter(pk=slot.pk).update(withdrawn_at=timezone.now(), remind_at=None)
        deliveries.cancel(slot)
        if slot.starts_at > timezone.now() and slot.member is not None:
            send_live(
                slot.member,
                {
                    "kind": "chat.booking.changed",
                    "slot": slot.pk,
                    "text": f"Sorry, {supporter.display_name} can't do {_when(slot.starts_at)} after all. "
                    "Choose another time whenever suits you.",
                    "url": reverse("chat:book"),
                },
                kind="chat.booking.changed",
                about=slot,
            )


def do_record_booking(supporter: Member, slot: Slot, outcome: str) -> Slot:
    """After the time: "we talked" or "couldn't make it". A missed booking gets a kind note to the member (no
    blame, an easy way to book again) and a follow-up on the care queue."""
    if slot.supporter_id != supporter.pk:
        raise ActionError("Only the supporter can record how it went.")
    if outcome not in SlotOutcome.values:
        raise ActionError("Choose what happened.")
    if slot.member_id is None or slot.starts_at > timezone.now():
        raise ActionError("You can record this once the booked time has started.")
    with transaction.atomic():
        first = not slot.outcome
        Slot.objects.filter(pk=slot.pk).update(outcome=outcome)
        slot.outcome = outcome
        if outcome == SlotOutcome.MISSED and first and slot.member is not None:
            send_live(
                slot.member,
                {
                    "kind": "chat.booking.changed",
                    "slot": slot.pk,
                    "text": f"We missed you at {_when(slot.starts_at)}, and that's completely fine. "
                    "Book another time whenever suits you.",
                    "url": reverse("chat:book"),
                },
                kind="chat.booking.changed",
                about=slot,
            )
            follow_up_wanted.send(
                "chat",
                member=slot.member,
                source="follow-up",
                reason=f"Couldn't make a booked one-to-one with {supporter.display_name}",
            )
    return slot


def open_booked_slots(now: datetime | None = None) -> tuple[int, int]:
    """The job: reminders that are due, and one-to-ones whose time has come (each claimed once)."""
    now = now or timezone.now()
    reminded = opened = 0
    for slot_id in list(
        Slot.objects.filter(remind_at__lte=now, reminded_at__isnull=True, member__isnull=False)
        .filter(withdrawn_at__isnull=True, starts_at__gt=now)
        .values_list("pk", flat=True)[:200]
    ):
        with transaction.atomic():
            if not Slot.objects.filter(pk=slot_id, reminded_at__isnull=True).update(reminded_at=now):
                continue
            slot = Slot.objects.select_related("member", "supporter").get(pk=slot_id)
            if slot.member is None:
                continue
            text = f"Reminder: your one-to-one with {slot.supporter.display_name} is at {_when(slot.starts_at)}."
            send_live(
                slot.member,
                {"kind": "chat.booking.reminder", "slot": slot.pk, "text": text, "url": reverse("chat:book")},
                kind="chat.booking.reminder",
                about=slot,
            )
            if slot.member.email_notifications and slot.member.is_active:
                send_email(
                    slot.member,
                    "chat/email/booking_reminder",
                    {"slot": slot, "when": _when(slot.starts_at), "url": reverse("chat:book")},
                    kind="chat.booking.reminder",
                    about=slot,
                )
            reminded += 1
    for slot_id in list(
        Slot.objects.filter(
            starts_at__lte=now + OPEN_EARLY,
            ends_at__gt=now,
            opened_at__isnull=True,
            member__isnull=False,
            withdrawn_at__isnull=True,
        ).values_list("pk", flat=True)[:200]
    ):
        with transaction.atomic():
            if not Slot.objects.filter(pk=slot_id, opened_at__isnull=True).update(opened_at=now):
                continue
            slot = Slot.objects.select_related("member", "supporter").get(pk=slot_id)
            if slot.member is None:
                continue
            conversation = do_open_conversation(
                slot.member,
                slot.supporter,
                opened_by=slot.supporter,
                reason=f"Booked: {_when(slot.starts_at)} ({slot.get_way_display().lower()})",
                tell=(),  # both hear it below, as their booking starting
            )
            Slot.objects.filter(pk=slot.pk).update(conversation=conversation)
            if slot.way in CALL_WAYS and (slot.way != SlotWay.VIDEO or video_service()):
                _make_call(conversation, slot.way, by=slot.supporter, slot=slot)
            url = reverse("chat:room", args=[conversation.room_id])
            for person, other in ((slot.member, slot.supporter), (slot.supporter, slot.member)):
                send_live(
                    person,
                    {
                        "kind": "chat.booking.opened",
                        "slot": slot.pk,
                        "text": f"Your booked one-to-one with {other.display_name} is starting: open it here.",
                        "url": url,
                    },
                    kind="chat.booking.opened",
                    about=slot,
                )
            opened += 1
    return reminded, opened


# --- Buddies ----------------------------------------------------------------------------------------

BUDDY_CHECK_IN_EVERY = timedelta(days=7)


notifications.register(
    Kind("chat.buddy", "Buddy suggestions, your buddy pairing and weekly how's-it-going prompts", _MESSAGES)
)


def _buddy_notice(person: Member, pair: BuddyPair, text: str, url: str = "") -> None:
    notifications.notify([person], "chat.buddy", text, url or reverse("chat:my_buddy"), about=pair)


def do_set_buddy_preference(
    member: Member, *, looking: bool, same_gender: bool, similar_age: bool, ways: list[str]
) -> BuddyPreference:
    """The member's own wish for a buddy. Saying no while a suggestion is waiting declines it."""
    ways = [w for w in ways if w in SlotWay.values]
    with transaction.atomic():
        pref, _ = BuddyPreference.objects.update_or_create(
            member=member,
            defaults={
                "looking": looking,
                "same_gender": same_gender,
                "similar_age": similar_age,
                "ways": ways,
                "updated_at": timezone.now(),
            },
        )
    return pref


def do_propose_buddies(coordinator: Member, first: Member, second: Member) -> BuddyPair:
    """A coordinator suggests two members who asked for a buddy; both are told and both must accept."""
    from hearth.chat.access import OPEN_PAIR_STATES, buddy_preference

    policy.require(coordinator, Perm.PAIR_BUDDIES)
    if not member_messages_on():
        raise ActionError("Buddies write to each other, so messages between members need to be switched on first.")
    if first.pk == second.pk:
        raise ActionError("Choose two different people.")
    for person in (first, second):
        pref = buddy_preference(person)
        if pref is None or not pref.looking or not person.is_active:
            raise ActionError(f"{person.display_name} hasn't asked for a buddy.")
    if blocked_between(first, second):
        raise ActionError("These two can't be paired.")
    with transaction.atomic():
        busy = BuddyPair.objects.filter(
            Q(first__in=[first, second]) | Q(second__in=[first, second]), state__in=OPEN_PAIR_STATES
        )
        if busy.exists():
            raise ActionError("One of them already has a buddy or a suggestion waiting.")
        pair = BuddyPair.objects.create(first=first, second=second, proposed_by=coordinator)
        audit.log_action(
            "chat.buddies.proposed", actor=coordinator, subject=first, obj=pair, data={"other": second.display_name}
        )
        for person, other in ((first, second), (second, first)):
            _buddy_notice(person, pair, f"We think you and {other.display_name} might make good buddies. Have a look?")
    return pair


def do_answer_buddy(member: Member, pair: BuddyPair, accept: bool) -> BuddyPair:
    """Yes or "not this time". When both say yes the pairing starts and their conversation opens."""
    if member.pk not in (pair.first_id, pair.second_id):
        raise ActionError("This suggestion isn't for you.")
    if pair.state != BuddyPair.State.PROPOSED:
        raise ActionError("This suggestion has already been answered.")
    now = timezone.now()
    other = pair.other(member.pk)
    with transaction.atomic():
        if not accept:
            BuddyPair.objects.filter(pk=pair.pk).update(state=BuddyPair.State.DECLINED, ended_at=now)
            pair.state = BuddyPair.State.DECLINED
            _buddy_notice(other, pair, "The buddy suggestion won't go ahead this time. That's nobody's fault.")
            return pair
        field = "first_accepted_at" if member.pk == pair.first_id else "second_accepted_at"
        BuddyPair.objects.filter(pk=pair.pk).update(**{field: now})
        pair.refresh_from_db()
        if pair.first_accepted_at and pair.second_accepted_at:
            conversation = _open_peer_conversation(pair.first, pair.second)
            BuddyPair.objects.filter(pk=pair.pk).update(
                state=BuddyPair.State.ACTIVE, conversation=conversation, check_in_at=now + BUDDY_CHECK_IN_EVERY
            )
            pair.refresh_from_db()
            url = reverse("chat:room", args=[conversation.room_id])
            for person, buddy in ((pair.first, pair.second), (pair.second, pair.first)):
                _buddy_notice(person, pair, f"You and {buddy.display_name} are buddies now. Say hello!", url)
    return pair


def _open_peer_conversation(a: Member, b: Member) -> Conversation:
    pair = Q(member=a, supporter=b) | Q(member=b, supporter=a)
    existing = Conversation.objects.filter(pair, kind=ConversationKind.PEER, closed_at__isnull=True).first()
    if existing is not None:
        return existing
    room = Room.objects.create(kind=RoomKind.CONVERSATION, title=f"{a.display_name} and {b.display_name}", created_by=a)
    conversation = Conversation.objects.create(
        room=room, kind=ConversationKind.PEER, member=a, supporter=b, opened_by=a, reason="Buddies"
    )
    now = timezone.now()
    InboxEntry.objects.bulk_create([InboxEntry(room=room, member=p, last_message_at=now) for p in (a, b)])
    return conversation


def _end_pair(pair: BuddyPair, *, ended_by: Member, notice: str) -> None:
    BuddyPair.objects.filter(pk=pair.pk).update(state=BuddyPair.State.ENDED, ended_at=timezone.now(), check_in_at=None)
    if pair.conversation_id:
        Conversation.objects.filter(pk=pair.conversation_id, closed_at__isnull=True).update(closed_at=timezone.now())
    _buddy_notice(pair.other(ended_by.pk), pair, notice)


def do_end_buddies(member: Member, pair: BuddyPair) -> None:
    """Either buddy ends it, kindly: the other is thanked, and can ask for a new buddy whenever they like."""
    if member.pk not in (pair.first_id, pair.second_id):
        raise ActionError("This pairing isn't yours.")
    if pair.state not in (BuddyPair.State.PROPOSED, BuddyPair.State.ACTIVE):
        return
    with transaction.atomic():
        _end_pair(
            pair,
            ended_by=member,
            notice=f"{member.display_name} has ended your buddy pairing. Thank you for being their buddy; "
            "you can ask for a new buddy whenever you like.",
        )


def buddy_check_ins(now: datetime | None = None) -> int:
    """The job: ask each active pair how it's going, once a week (each claimed with a conditional UPDATE)."""
    now = now or timezone.now()
    sent = 0
    for pair in BuddyPair.objects.filter(state=BuddyPair.State.ACTIVE, check_in_at__lte=now).select_related(
        "first", "second", "conversation"
    )[:200]:
        with transaction.atomic():
            claimed = BuddyPair.objects.filter(pk=pair.pk, check_in_at=pair.check_in_at).update(
                check_in_at=now + BUDDY_CHECK_IN_EVERY
            )
            if not claimed:
                continue
            url = reverse("chat:room", args=[pair.conversation.room_id]) if pair.conversation else ""
            for person, buddy in ((pair.first, pair.second), (pair.second, pair.first)):
                _buddy_notice(
                    person,
                    pair,
                    f"How's it going with {buddy.display_name}? A short hello can make someone's week.",
                    url,
                )
            sent += 1
    return sent


# --- Calls: phone and video -------------------------------------------------------------------------
#
# A one-to-one can become a call. The supporter starts it from the conversation (or a talk-now request or a
# booking starts it for them); the member is told and both see it on the call's page. Phone: staff only
# (Perm.PHONE_MEMBERS), the number shown on an audited read. Video: only on the organisation's own server
# (HEARTH_VIDEO_URL); without one Hearth offers no video calls rather than send members elsewhere.

notifications.register(Kind("chat.call", "A supporter phoning you or starting a video call", _MESSAGES, urgent=True))

CALL_WAYS = (SlotWay.PHONE, SlotWay.VIDEO)


def video_service() -> str:
    """The organisation's own video server, or "" when it has none (then there are no video calls)."""
    return str(settings.HEARTH_VIDEO_URL or "")


def new_video_room() -> str:
    """A room name nobody can guess: 128 random bits, lower-case (Jitsi folds room names to lower case)."""
    return f"hearth-{secrets.token_hex(16)}"


def video_link(room_name: str) -> str:
    """The link to a room on the organisation's server; "" when there is no room or no server."""
    base = video_service()
    return f"{base}/{room_name}" if base and room_name else ""


def check_can_offer_way(supporter: Member, way: str) -> None:
    """Can ``supporter`` talk with members this way (for a call, a slot, or a talk-now request)?"""
    if way == SlotWay.PHONE and not policy.can(supporter, Perm.PHONE_MEMBERS):
        raise ActionError(
            "Phone calls are made by peer workers, counsellors and coordinators (members' numbers are for staff "
            "only). Offer a video call, or keep talking here."
        )
    if way == SlotWay.VIDEO and not video_service():
        raise ActionError(
            "Video calls need the organisation's own video service, and none is set up yet: a coordinator can "
            "ask for one (HEARTH_VIDEO_URL)."
        )


def check_can_call(actor: Member, conversation: Conversation, way: str) -> None:
    if way not in CALL_WAYS:
        raise ActionError("Choose a phone call or a video call.")
    if conversation.kind != ConversationKind.SUPPORT or actor.pk != conversation.supporter_id:
        raise ActionError("Only the supporter in this one-to-one can start a call.")
    if conversation.closed_at is not None:
        raise ActionError("This conversation is closed. You can still read it.")
    check_can_offer_way(actor, way)


def _make_call(conversation: Conversation, way: str, *, by: Member, phone: str = "", slot: Slot | None = None) -> Call:
    """Record the call and tell the member (inside the caller's transaction); the caller has checked it may."""
    call = Call.objects.create(
        conversation=conversation,
        slot=slot,
        way=way,
        phone=phone.strip()[:30],
        video_room=new_video_room() if way == SlotWay.VIDEO else "",
        started_by=by,
    )
    member = conversation.member
    audit.log_action(
        "chat.call.started", actor=by, subject=member, obj=call, data={"way": call.get_way_display().lower()}
    )
    if way == SlotWay.VIDEO:
        text = f"{by.display_name} has started a video call with you. Open this to join."
    else:
        text = f"{by.display_name} will phone you in a moment."
    notifications.notify([member], "chat.call", text, reverse("chat:call", args=[call.pk]), actor=by, about=call)
    return call


def do_start_call(actor: Member, conversation: Conversation, way: str, *, phone: str = "") -> Call:
    """The supporter turns the one-to-one into a phone or video call; the member is told at once."""
    check_can_call(actor, conversation, way)
    with transaction.atomic():
        return _make_call(conversation, way, by=actor, phone=phone)


def call_number(actor: Member, call: Call) -> str:
    """The number to phone, for the supporter of this call only (staff), each look audited. "" when the member
    has given none (the page says to ask them in the conversation)."""
    policy.require(actor, Perm.PHONE_MEMBERS)
    if call.way != SlotWay.PHONE or call.conversation.supporter_id != actor.pk:
        raise ActionError("Only the supporter making this phone call can see the number.")
    member = call.conversation.member
    audit.log_action("chat.call.number_viewed", actor=actor, subject=member, obj=call)
    return call.phone or member.phone


def do_record_call(actor: Member, call: Call, *, outcome: str, minutes: int | None = None) -> Call:
    """Afterwards, the supporter records how the call went (it becomes part of the member's journey)."""
    if call.conversation.supporter_id != actor.pk:
        raise ActionError("Only the supporter on the call can record it.")
    if outcome not in CallOutcome.values:
        raise ActionError("Choose how the call went.")
    if minutes is not None and not 0 <= minutes <= 600:
        raise ActionError("Give the length of the call in minutes, up to 600.")
    with transaction.atomic():
        Call.objects.filter(pk=call.pk).update(outcome=outcome, minutes=minutes, recorded_at=timezone.now())
        call.refresh_from_db()
        audit.log_action(
            "chat.call.recorded",
            actor=actor,
            subject=call.conversation.member,
            obj=call,
            data={"way": call.get_way_display().lower(), "outcome": call.get_outcome_display().lower()},
        )
    return call


def open_for_talk(member: Member, supporter: Member, *, way: str, phone: str) -> int:
    """A talk-now request accepted (``hearth.availability.conversations``): their one-to-one, with a phone or
    video call when that's how they asked to talk; the room id. Inside the accepting transaction."""
    from hearth.availability.models import Mode

    if way != Mode.TEXT:
        check_can_offer_way(supporter, way)  # before anything is opened: a phone request waits for staff
    conversation = do_open_conversation(member, supporter, opened_by=supporter, reason="talk now")
    if way != Mode.TEXT:
        do_start_call(supporter, conversation, way, phone=phone)
    return conversation.room_id


# --- Finding a time ---------------------------------------------------------------------------------
#
# "When suits?" before a gathering: a host offers two to six times; people in the group say which suit them
# (school runs, shifts, buses) and, for one in person, how long the journey is; the host sees the best time
# first and turns it into the gathering. Members see counts; the people running it see names.

notifications.register(Kind("chat.poll", "Someone asks when suits you for a gathering", _GATHERINGS))

POLL_OPTIONS = (2, 6)
MAX_TRAVEL_MINUTES = 300


def do_start_poll(
    actor: Member,
    group_id: int,
    *,
    title: str,
    times: Iterable[datetime],
    format: str = GatheringFormat.ONLINE,
    place: str = "",
    minutes: int = 60,
) -> TimePoll:
    """Offer times for a gathering; everyone in the group is asked."""
    group, membership = access_group_content(actor, group_id)
    check_can_schedule(actor, membership)
    title, place = title.strip(), place.strip()
    if not title:
        raise ActionError("Give the gathering a name, so people know what they're choosing a time for.")
    if format not in (GatheringFormat.ONLINE, GatheringFormat.IN_PERSON):
        raise ActionError("Choose online or in person.")
    if format == GatheringFormat.IN_PERSON and not place:
        raise ActionError("Add the place, so people can say how long it takes them to get there.")
    if not 15 <= minutes <= 240:
        raise ActionError("A gathering lasts between 15 minutes and 4 hours.")
    now = timezone.now()
    chosen = sorted(set(times))
    if any(t <= now for t in chosen):
        raise ActionError("Offer times in the future.")
    low, high = POLL_OPTIONS
    if not low <= len(chosen) <= high:
        raise ActionError(f"Offer between {low} and {high} different times.")
    with transaction.atomic():
        poll = TimePoll.objects.create(
            group=group, title=title[:80], format=format, place=place[:200], minutes=minutes, created_by=actor
        )
        TimeOption.objects.bulk_create([TimeOption(poll=poll, starts_at=t) for t in chosen])
        notifications.notify(
            [m.member for m in Membership.objects.filter(group=group).select_related("member")],
            "chat.poll",
            f"{actor.display_name} asks when suits you for {poll.title} ({group.name}).",
            reverse("chat:poll", args=[poll.pk]),
            actor=actor,
            about=poll,
        )
    return poll


def do_answer_poll(
    member: Member, poll: TimePoll, answers: Mapping[int, str], travel_minutes: int | None = None
) -> TimePollResponse:
    """Say which of the times suit (each yes, maybe or no; any left out count as no). Changing it is fine."""
    access_group_content(member, poll.group_id)
    if poll.closed_at is not None:
        raise ActionError("The time has been chosen, so this question is closed.")
    options = set(poll.options.values_list("pk", flat=True))
    if set(answers) - options or any(a not in PollAnswer.values for a in answers.values()):
        raise ActionError("Answer for the times shown.")
    if travel_minutes is not None and not 0 <= travel_minutes <= MAX_TRAVEL_MINUTES:
        raise ActionError(f"Give your journey in minutes, up to {MAX_TRAVEL_MINUTES}.")
    with transaction.atomic():
        response, _ = TimePollResponse.objects.update_or_create(
            poll=poll,
            member=member,
            defaults={
                "answers": {str(pk): answers.get(pk, PollAnswer.NO) for pk in sorted(options)},
                "travel_minutes": travel_minutes if poll.in_person else None,
                "answered_at": timezone.now(),
            },
        )
    return response


@dataclass
class PollRow:
    option: TimeOption
    yes: list[Member] = field(default_factory=list)
    maybe: list[Member] = field(default_factory=list)
    longest_journey: int | None = None  # minutes, among those it suits (in-person polls)
    best: bool = False


def poll_results(poll: TimePoll) -> list[PollRow]:
    """Each time with who it suits; the best is the one most people said suits, then most who could if they
    must, then the earliest. "Longest journey" is among those it suits or could: a host can see when a time
    would mean a long trip for someone."""
    rows = [PollRow(option) for option in poll.options.all()]
    responses = list(poll.responses.select_related("member"))
    for row in rows:
        journeys = []
        for response in responses:
            answer = response.answers.get(str(row.option.pk))
            if answer in (PollAnswer.YES, PollAnswer.MAYBE):
                (row.yes if answer == PollAnswer.YES else row.maybe).append(response.member)
                if response.travel_minutes is not None:
                    journeys.append(response.travel_minutes)
        row.longest_journey = max(journeys) if journeys else None
    if responses and rows:
        best = max(rows, key=lambda r: (len(r.yes), len(r.yes) + len(r.maybe), -r.option.starts_at.timestamp()))
        best.best = bool(best.yes or best.maybe)
    return rows


def do_choose_time(actor: Member, poll: TimePoll, option_id: int) -> Gathering:
    """The host picks a time: it becomes the gathering and the poll closes. The group hears of it as of any
    gathering (the people who answered among them), and the poll's page leads to it."""
    if poll.closed_at is not None:
        raise ActionError("A time has already been chosen.")
    if poll.created_by_id != actor.pk and not can_run(actor, poll.group_id):
        raise ActionError("Only the person who asked, or the group's hosts, can choose the time.")
    option = poll.options.filter(pk=option_id).first()
    if option is None:
        raise ActionError("Choose one of the times offered.")
    with transaction.atomic():
        if not TimePoll.objects.filter(pk=poll.pk, closed_at__isnull=True).update(closed_at=timezone.now()):
            raise ActionError("A time has already been chosen.")
        gathering = do_schedule_gathering(
            actor,
            poll.group_id,
            title=poll.title,
            starts_at=option.starts_at,
            ends_at=option.starts_at + timedelta(minutes=poll.minutes),
            format=poll.format,
            place=poll.place,
        )
        TimePoll.objects.filter(pk=poll.pk).update(gathering=gathering)
        poll.refresh_from_db()
    return gathering
