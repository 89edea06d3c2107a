"""Who may see which room, conversation, drop-in or gathering: the chat app's access helpers.

Views, consumers and actions read protected chat objects only through these
functions. Like the community's helpers they raise ``Http404`` for "no such
thing" and "not yours" alike, so ids can't be probed.

The rules, in one place:

- A group's rooms (its chat, drop-ins and gatherings' rooms) are group
  content: for its members only, decided by the community's
  :func:`~hearth.community.access.access_group_content` — never a second copy
  (``access_room`` reads the same rule, ``content_readers``, in the room's query).
- A one-to-one conversation is for its two people only.
- Moderators (``Perm.MODERATE_CHAT``) can hide messages in rooms they can read.
- A gathering's facilitator and online volunteer, a drop-in's host and the
  group's hosts facilitate its rooms (hands, prompts, closing round, hand-offs).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, QuerySet, Sum
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from hearth.chat.models import (
    Attendance,
    AttendanceHow,
    Block,
    BuddyPair,
    BuddyPreference,
    Call,
    CallOutcome,
    CallWay,
    Conversation,
    ConversationKind,
    DropIn,
    Gathering,
    GatheringInvitation,
    GatheringSeries,
    HandRaise,
    InboxEntry,
    Message,
    MessagePreference,
    MessagesFrom,
    Room,
    RoomKind,
    RoomVisit,
    Rsvp,
    RsvpAnswer,
    Slot,
    TimePoll,
    clock,
)
from hearth.community.access import access_group_content, content_readers, my_groups
from hearth.community.models import GroupState, Membership
from hearth.core.models import OrganisationSettings
from hearth.members import policy
from hearth.members.policy import Perm
from hearth.safety.models import CrisisAlert, ModerationItem

if TYPE_CHECKING:
    from hearth.members.models import Member

# Presence by heartbeat: a page's server marks its open visits seen every HEARTBEAT (chat/heartbeat.py); a
# visit not seen for PRESENCE_EXPIRY (three beats missed) is from a server that stopped, and isn't "here".
HEARTBEAT = timedelta(seconds=30)
PRESENCE_EXPIRY = timedelta(seconds=90)
# "Newcomer" in a facilitator's panel: this is their first or second gathering of the group.
NEWCOMER_GATHERINGS = 2


def room_channel(room_id: int) -> str:
    """The channel-layer group for everything live in one room. Joined only after :func:`access_room`."""
    return f"chat.room.{room_id}"


def _signed_in(member: Member | None) -> bool:
    return bool(member is not None and getattr(member, "is_authenticated", False) and member.is_active)


def access_room(member: Member, room_id: int) -> Room:
    """The room if ``member`` may read and write in it; else 404."""
    if not _signed_in(member):
        raise Http404
    # The group's rule (community's content_readers, never a copy) is read with the room: one query (a slice, not
    # first(): one row by its key needs no ORDER BY, which every socket's handshake would otherwise compile).
    rooms = list(
        Room.objects.filter(pk=room_id)
        .select_related("group")
        .annotate(readable=Exists(content_readers(member).filter(group_id=OuterRef("group_id"))))[:1]
    )
    if not rooms:
        raise Http404
    room = rooms[0]
    if room.kind == RoomKind.CONVERSATION:
        if not Conversation.objects.filter(Q(member=member) | Q(supporter=member), room=room).exists():
            raise Http404
    elif room.group_id is None:
        raise Http404
    else:
        if not room.readable:
            raise Http404  # anyone outside the group
        private = Gathering.objects.filter(room=room, invite_only=True) if room.kind == RoomKind.GATHERING else None
        if private is not None and private.exclude(pk__in=visible_gatherings(member).values("pk")).exists():
            raise Http404  # an invite-only gathering's room, for someone not invited
    return room


def visible_gatherings(member: Member) -> QuerySet[Gathering]:
    """Gatherings ``member`` may see, before the group check: every one that isn't invite-only; an invite-only
    one only for the people invited, its facilitator, online volunteer and maker, the group's hosts and
    supporters who run gatherings (they could have made it)."""
    if policy.can(member, Perm.RUN_GATHERINGS):
        return Gathering.objects.all()
    return Gathering.objects.filter(
        Q(invite_only=False)
        | Q(facilitator=member)
        | Q(online_volunteer=member)
        | Q(created_by=member)
        | Exists(GatheringInvitation.objects.filter(gathering=OuterRef("pk"), member=member))
        | Exists(Membership.objects.filter(group=OuterRef("group"), member=member, is_host=True))
    )


def access_conversation(member: Member, conversation_id: int) -> Conversation:
    """A one-to-one conversation if ``member`` is one of its two people; else 404."""
    if not _signed_in(member):
        raise Http404
    conversation = (
        Conversation.objects.filter(Q(member=member) | Q(supporter=member), pk=conversation_id)
        .select_related("room", "member", "supporter")
        .first()
    )
    if conversation is None:
        raise Http404
    return conversation


def access_call(member: Member, call_id: int) -> Call:
    """A phone or video call of a one-to-one ``member`` is one of the two people in; else 404."""
    if not _signed_in(member):
        raise Http404
    call = (
        Call.objects.filter(Q(conversation__member=member) | Q(conversation__supporter=member), pk=call_id)
        .select_related("conversation__member", "conversation__supporter", "conversation__room", "slot")
        .first()
    )
    if call is None:
        raise Http404
    return call


def recent_calls(conversation: Conversation, limit: int = 5) -> list[Call]:
    """The conversation's latest calls, newest first (for its page)."""
    return list(Call.objects.filter(conversation=conversation)[:limit])


def access_message(member: Member, message_id: int) -> Message:
    """A message in a room ``member`` may read; else 404."""
    message = Message.objects.filter(pk=message_id).select_related("room", "sender").first()
    if message is None:
        raise Http404
    access_room(member, message.room_id)
    return message


def access_gathering(member: Member, gathering_id: int) -> Gathering:
    """A gathering of one of the member's groups; else 404."""
    if not _signed_in(member):
        raise Http404
    gathering = (
        visible_gatherings(member).filter(pk=gathering_id).select_related("group", "room", "facilitator").first()
    )
    if gathering is None:
        raise Http404
    access_group_content(member, gathering.group_id)
    return gathering


def access_poll(member: Member, poll_id: int) -> TimePoll:
    """A "when suits?" question of one of the member's groups; else 404."""
    if not _signed_in(member):
        raise Http404
    poll = TimePoll.objects.filter(pk=poll_id).select_related("group", "created_by", "gathering").first()
    if poll is None:
        raise Http404
    access_group_content(member, poll.group_id)
    return poll


def open_polls(member: Member) -> QuerySet[TimePoll]:
    """Open "when suits?" questions in the member's groups, newest first."""
    return TimePoll.objects.filter(
        group__memberships__member=member, group__state=GroupState.ACTIVE, closed_at__isnull=True
    ).select_related("group")


def sees_online_link(member: Member, gathering: Gathering, rsvp: Rsvp | None) -> bool:
    """The video link of a gathering is for the people coming online (said yes, maybe or "just listen", have a
    place, and at a hybrid one said online) and for those running it; nobody else in the group sees it."""
    if member.pk in (gathering.facilitator_id, gathering.online_volunteer_id, gathering.created_by_id):
        return True
    if policy.can(member, Perm.VIEW_SESSION_NOTES):
        return True
    return bool(
        rsvp is not None
        and rsvp.member_id == member.pk
        and rsvp.answer != RsvpAnswer.NO
        and rsvp.waiting_since is None
        and rsvp.joining == AttendanceHow.ONLINE
    )


def access_drop_in(member: Member, drop_in_id: int) -> DropIn:
    drop_in = DropIn.objects.filter(pk=drop_in_id).select_related("room", "group", "host").first()
    if drop_in is None:
        raise Http404
    access_group_content(member, drop_in.group_id)
    return drop_in


def can_moderate(member: Member, room: Room) -> bool:
    """Hide messages: moderators, in a room they can already read (checked by the caller)."""
    return policy.can(member, Perm.MODERATE_CHAT)


def can_facilitate(member: Member, room: Room) -> bool:
    """Run the facilitation panel in ``room`` (see the module docstring)."""
    if room.group_id is None:
        return False
    gathering = Gathering.objects.filter(room=room).first()
    if gathering is not None and member.pk in (gathering.facilitator_id, gathering.online_volunteer_id):
        return True
    if DropIn.objects.filter(room=room, host=member).exists():
        return True
    return Membership.objects.filter(group_id=room.group_id, member=member, is_host=True).exists()


def group_room(group_id: int) -> Room | None:
    """The group's everyday chat room, if it has been opened."""
    return Room.objects.filter(group_id=group_id, kind=RoomKind.GROUP).order_by("pk").first()


def history(room: Room) -> QuerySet[Message]:
    """The room's messages, newest first (for pages of history)."""
    return Message.objects.filter(room=room).select_related("sender").order_by("-seq")


def messages_after(room_id: int, after: int, limit: int = 500) -> list[Message]:
    """Messages and changes with a seq after ``after``, oldest first: what a resuming client missed.

    A message changed after ``after`` comes again (with its latest content);
    clients replace what they have by ``id``.
    """
    rows = (
        Message.objects.filter(Q(seq__gt=after) | Q(changed_seq__gt=after), room_id=room_id)
        .select_related("sender")
        .order_by("seq")[:limit]
    )
    return list(rows)


@dataclass(frozen=True)
class Here:
    """Someone in a room now, and since when."""

    pk: int
    display_name: str
    since: datetime


def present(room: Room, now: datetime | None = None) -> list[Here]:
    """Who is in the room now (each person once, in the order they arrived)."""
    from hearth.members.models import Member

    since = (now or timezone.now()) - PRESENCE_EXPIRY
    visits = RoomVisit.objects.filter(room=room, left_at__isnull=True, seen_at__gte=since)
    first_seen: dict[int, datetime] = {}
    for member_id, entered in visits.values_list("member_id", "entered_at").order_by("entered_at"):
        first_seen.setdefault(member_id, entered)
    names = dict(Member.objects.filter(pk__in=first_seen).values_list("pk", "display_name"))
    return [Here(pk, names[pk], entered) for pk, entered in first_seen.items() if pk in names]


def presence_list(room_id: int, now: datetime | None = None) -> list[dict[str, Any]]:
    """:func:`present` as the page's presence list (id, name, since), read in one query."""
    since = (now or timezone.now()) - PRESENCE_EXPIRY
    rows = (
        RoomVisit.objects.filter(room_id=room_id, left_at__isnull=True, seen_at__gte=since)
        .order_by("entered_at")
        .values_list("member_id", "member__display_name", "entered_at")
    )
    people: dict[int, dict[str, Any]] = {}
    for member_id, name, entered in rows:
        if member_id not in people:
            people[member_id] = {"id": member_id, "name": name, "since": entered.isoformat()}
    return list(people.values())


@dataclass
class OpenDropIn:
    drop_in: DropIn
    people_here: int


def open_drop_ins_for(member: Member, now: datetime | None = None) -> list[OpenDropIn]:
    """Drop-ins of the member's groups that are open right now, with how many people are in each."""
    now = now or timezone.now()
    group_ids = list(my_groups(member).values_list("group_id", flat=True))
    drop_ins = DropIn.objects.filter(group_id__in=group_ids, ended_at__isnull=True).select_related("room", "group")
    result = []
    for drop_in in drop_ins:
        if drop_in.is_open(now):
            result.append(OpenDropIn(drop_in, len(present(drop_in.room, now))))
    return result


@dataclass
class ComingUp:
    """One thing on a "Coming up" list: a drop-in's next opening or a gathering."""

    title: str
    group_name: str
    starts_at: datetime
    url: str
    what: str  # "Drop-in" or the gathering's format
    open_now: bool = False
    when: str = ""


def when_label(at: datetime, now: datetime) -> str:
    """``"Today, 7 pm"``, ``"Tomorrow, 10:30 am"``, ``"Thursday 3 December, 7 pm"`` (organisation's time)."""
    local, today = timezone.localtime(at), timezone.localtime(now).date()
    if local.date() == today:
        day = "Today"
    elif local.date() == today + timedelta(days=1):
        day = "Tomorrow"
    else:
        day = f"{local:%A} {local.day} {local:%B}"
    return f"{day}, {clock(local.time())}"


def coming_up(
    member: Member, now: datetime | None = None, *, group_id: int | None = None, days: int = 7, limit: int = 6
) -> list[ComingUp]:
    """Drop-ins and gatherings of the member's groups (or one of them) in the next ``days``, soonest first.

    Drop-ins open now come first. Only groups the member is in: a group's plans are its content.
    """
    now = now or timezone.now()
    until = now + timedelta(days=days)
    group_ids = list(my_groups(member).values_list("group_id", flat=True))
    if group_id is not None:
        group_ids = [g for g in group_ids if g == group_id]
    items: list[ComingUp] = []
    for drop_in in DropIn.objects.filter(group_id__in=group_ids, ended_at__isnull=True).select_related("room", "group"):
        opening = drop_in.next_opening(now)
        if opening is not None and opening < until:
            items.append(
                ComingUp(
                    drop_in.room.title,
                    drop_in.group.name,
                    opening,
                    reverse("chat:room", args=[drop_in.room_id]),
                    "Drop-in",
                    open_now=drop_in.is_open(now),
                )
            )
    gatherings = (
        visible_gatherings(member)
        .filter(
            group_id__in=group_ids,
            group__state=GroupState.ACTIVE,
            ends_at__gte=now,
            starts_at__lt=until,
            cancelled_at__isnull=True,
        )
        .select_related("group")
    )
    for g in gatherings[: limit * 2]:
        items.append(
            ComingUp(
                g.title,
                g.group.name,
                g.starts_at,
                reverse("chat:gathering", args=[g.pk]),
                " · ".join(filter(None, [g.get_format_display(), g.activity])),
                open_now=g.starts_at <= now,
            )
        )
    items.sort(key=lambda i: (not i.open_now, i.starts_at, i.title))
    for item in items:
        if item.open_now:
            item.when = "Open now" if item.what == "Drop-in" else "Happening now"
        else:
            item.when = when_label(item.starts_at, now)
    return items[:limit]


def upcoming_gatherings(member: Member, now: datetime | None = None) -> QuerySet[Gathering]:
    now = now or timezone.now()
    return (
        visible_gatherings(member)
        .filter(
            group__memberships__member=member,
            group__state=GroupState.ACTIVE,
            ends_at__gte=now,
            cancelled_at__isnull=True,
        )
        .select_related("group", "facilitator", "online_volunteer", "room")
    )


def inbox(member: Member) -> QuerySet[InboxEntry]:
    """The member's conversations, latest activity first (closed ones too: a way back to any of them)."""
    return (
        InboxEntry.objects.filter(member=member)
        .select_related("room__conversation__member", "room__conversation__supporter")
        .order_by(F("last_message_at").desc(nulls_last=True), "-pk")
    )


def other_person(entry: InboxEntry, member: Member) -> Member | None:
    """Who the member is talking to in a one-to-one (None once that person erased their account)."""
    conversation = getattr(entry.room, "conversation", None)
    if conversation is None:
        return None
    other: Member = conversation.supporter if conversation.member_id == member.pk else conversation.member
    return other


def my_conversations(member: Member) -> QuerySet[Conversation]:
    return (
        Conversation.objects.filter(Q(member=member) | Q(supporter=member))
        .select_related("room", "member", "supporter")
        .order_by("-opened_at")
    )


@dataclass
class TalkShare:
    member_id: int
    name: str
    messages: int
    words: int
    share: int  # per cent of the words said this session
    newcomer: bool = False


def talk_share(room: Room, since: datetime) -> list[TalkShare]:
    """Messages and words per participant since ``since``, most words first (the facilitator's meter)."""
    rows = (
        Message.objects.filter(room=room, created_at__gte=since, sender__isnull=False, kind="text")
        .values("sender_id", "sender__display_name")
        .annotate(n=Count("id"), words=Sum("word_count"))
        .order_by("-words", "sender__display_name")
    )
    total = sum(r["words"] or 0 for r in rows) or 1
    return [
        TalkShare(
            r["sender_id"], r["sender__display_name"], r["n"], r["words"] or 0, round(100 * (r["words"] or 0) / total)
        )
        for r in rows
    ]


# The facilitator's cue that one voice is taking over: with three or more people talking, one of them has
# written at least 60% of the words (once there are enough words for shares to mean something).
DOMINANT_SHARE = 60
DOMINANT_MIN_SPEAKERS = 3
DOMINANT_MIN_WORDS = 40


def dominant_speaker(shares: list[TalkShare]) -> TalkShare | None:
    """The person taking over the conversation, if anyone is (see ``DOMINANT_SHARE``); keep in step with room.js."""
    if len(shares) < DOMINANT_MIN_SPEAKERS or sum(s.words for s in shares) < DOMINANT_MIN_WORDS:
        return None
    top = max(shares, key=lambda s: s.words)
    return top if top.share >= DOMINANT_SHARE else None


def newcomer_ids(gathering: Gathering, member_ids: list[int]) -> set[int]:
    """Of ``member_ids``, those for whom this is their first or second gathering of the group."""
    earlier = (
        Attendance.objects.filter(
            member_id__in=member_ids,
            gathering__group_id=gathering.group_id,
            gathering__starts_at__lt=gathering.starts_at,
        )
        .values("member_id")
        .annotate(n=Count("id"))
    )
    seasoned = {row["member_id"] for row in earlier if row["n"] >= NEWCOMER_GATHERINGS}
    return {pk for pk in member_ids if pk not in seasoned}


def hand_queue(room: Room) -> list[HandRaise]:
    return list(HandRaise.objects.filter(room=room, cleared_at__isnull=True).select_related("member"))


# --- Messages between members ------------------------------------------------------------------
#
# Off unless the organisation turned them on (``OrganisationSettings.member_messages``) and both people chose
# to take messages from other members (:class:`MessagePreference`, "members of groups I'm in"). A block either
# way stops them. Staff never read a conversation they are not in, except through
# :func:`access_conversation_for_review` once a report or a crisis has opened it (audited, with a reason).

# How long after a crisis alert about one of the two people staff may read their conversations.
REVIEW_AFTER_CRISIS = timedelta(days=7)


def member_messages_on() -> bool:
    return OrganisationSettings.load().member_messages


def messages_from(member: Member) -> str:
    """The member's choice (:class:`MessagesFrom`); nobody until they choose."""
    pref = MessagePreference.objects.filter(member=member).values_list("messages_from", flat=True).first()
    return pref or MessagesFrom.NOBODY


def blocked_between(a: Member, b: Member) -> bool:
    return Block.objects.filter(Q(blocker=a, blocked=b) | Q(blocker=b, blocked=a)).exists()


def blocked_by(member: Member) -> QuerySet[Block]:
    return Block.objects.filter(blocker=member).select_related("blocked").order_by("blocked__display_name")


def shares_a_group(a: Member, b: Member) -> bool:
    return Membership.objects.filter(member=b, group__state=GroupState.ACTIVE, group__memberships__member=a).exists()


def people_to_message(member: Member) -> QuerySet[Member]:
    """Members of the member's groups who take messages from other members, minus blocks either way.

    Empty when the organisation hasn't turned messages between members on, or the member hasn't.
    """
    from hearth.members.models import Member

    if not member_messages_on() or messages_from(member) == MessagesFrom.NOBODY:
        return Member.objects.none()
    group_ids = my_groups(member).values("group_id")
    open_to_groups = MessagePreference.objects.filter(messages_from=MessagesFrom.GROUPS).values("member_id")
    return (
        Member.objects.filter(is_active=True, memberships__group_id__in=group_ids, pk__in=open_to_groups)
        .exclude(pk=member.pk)
        .exclude(pk__in=Block.objects.filter(blocker=member).values("blocked_id"))
        .exclude(pk__in=Block.objects.filter(blocked=member).values("blocker_id"))
        .distinct()
        .order_by("display_name")
    )


def access_peer(member: Member, other_id: int) -> Member:
    """Another member ``member`` knows here: someone in one of their groups, someone they have a
    conversation with, or someone they blocked. Anyone else is a 404 (ids can't be probed)."""
    from hearth.members.models import Member

    if not _signed_in(member):
        raise Http404
    other = Member.objects.filter(pk=other_id).first()
    if other is None or other.pk == member.pk:
        raise Http404
    known = (
        shares_a_group(member, other)
        or Conversation.objects.filter(Q(member=member, supporter=other) | Q(member=other, supporter=member)).exists()
        or Block.objects.filter(blocker=member, blocked=other).exists()
    )
    if not known:
        raise Http404
    return other


def conversation_partner(conversation: Conversation, member: Member) -> Member:
    return conversation.supporter if conversation.member_id == member.pk else conversation.member


def review_openers(conversation: Conversation, now: datetime | None = None) -> list[str]:
    """Why staff may read this conversation, in plain words; empty when nothing has opened it.

    A report or a triage/contact item about one of its messages still open; an open report about either
    person; a crisis alert about either person in the last :data:`REVIEW_AFTER_CRISIS`.
    """
    now = now or timezone.now()
    people = [conversation.member_id, conversation.supporter_id]
    reasons = []
    message_ids = Message.objects.filter(room_id=conversation.room_id).values("pk")
    open_items = ModerationItem.objects.filter(state=ModerationItem.State.OPEN)
    if open_items.filter(content_key="chat.message", object_id__in=message_ids).exists():
        reasons.append("a report or a safety check about a message in it")
    if open_items.filter(content_key="members.member", object_id__in=people).exists():
        reasons.append("a report about one of the two people")
    if CrisisAlert.objects.filter(member_id__in=people, created_at__gte=now - REVIEW_AFTER_CRISIS).exists():
        reasons.append("a crisis alert about one of the two people")
    return reasons


def access_conversation_for_review(staff: Member, conversation_id: int) -> tuple[Conversation, list[str]]:
    """A one-to-one staff may read though they are not in it: only with ``Perm.REVIEW_CONVERSATIONS`` and
    only while a report or a crisis opens it (:func:`review_openers`). Reading it is audited by the action."""
    policy.require(staff, Perm.REVIEW_CONVERSATIONS)
    conversation = Conversation.objects.filter(pk=conversation_id).select_related("room", "member", "supporter").first()
    if conversation is None:
        raise Http404
    if staff.pk in (conversation.member_id, conversation.supporter_id):
        raise PermissionDenied("This is your own conversation: open it from Messages.")
    openers = review_openers(conversation)
    if not openers:
        raise PermissionDenied(
            "Nothing has opened this conversation for review: there is no open report and no recent crisis "
            "about it or the two people in it."
        )
    return conversation, openers


def is_peer(conversation: Conversation) -> bool:
    return conversation.kind == ConversationKind.PEER


def access_series(member: Member, series_id: int) -> GatheringSeries:
    """A recurring gathering of one of the member's groups; else 404."""
    series = GatheringSeries.objects.filter(pk=series_id).select_related("group").first()
    if series is None:
        raise Http404
    access_group_content(member, series.group_id)
    return series


def next_dates(series: GatheringSeries, now: datetime | None = None, count: int = 3) -> list[Gathering]:
    """The series' next ``count`` gatherings that will happen (skipped dates left out)."""
    now = now or timezone.now()
    return list(series.gatherings.filter(ends_at__gte=now, cancelled_at__isnull=True).order_by("starts_at")[:count])


# --- Bookable slots ---------------------------------------------------------------------------

BOOKING_WINDOW = timedelta(days=14)


def bookable_slots(member: Member, now: datetime | None = None) -> QuerySet[Slot]:
    """Free slots a member may book now: from the booking notice to two weeks ahead, not their own."""
    from django.conf import settings

    now = now or timezone.now()
    return (
        Slot.objects.filter(
            member__isnull=True,
            withdrawn_at__isnull=True,
            starts_at__gte=now + timedelta(minutes=settings.HEARTH_BOOKING_NOTICE_MINUTES),
            starts_at__lte=now + BOOKING_WINDOW,
            supporter__is_active=True,
        )
        .exclude(supporter=member)
        .select_related("supporter")
    )


def my_bookings(member: Member, now: datetime | None = None) -> QuerySet[Slot]:
    now = now or timezone.now()
    return Slot.objects.filter(member=member, ends_at__gt=now, withdrawn_at__isnull=True).select_related(
        "supporter", "conversation"
    )


def access_my_booking(member: Member, slot_id: int) -> Slot:
    """A slot the member booked; else 404."""
    slot = Slot.objects.filter(pk=slot_id, member=member).select_related("supporter").first()
    if slot is None or not _signed_in(member):
        raise Http404
    return slot


def access_own_slot(supporter: Member, slot_id: int) -> Slot:
    """A slot the supporter offered; else 404."""
    slot = Slot.objects.filter(pk=slot_id, supporter=supporter).select_related("member").first()
    if slot is None or not _signed_in(supporter):
        raise Http404
    return slot


def my_slots(supporter: Member, now: datetime | None = None) -> QuerySet[Slot]:
    """The supporter's slots from a week ago on (recent ones to record how they went)."""
    now = now or timezone.now()
    return Slot.objects.filter(
        supporter=supporter, starts_at__gte=now - timedelta(days=7), withdrawn_at__isnull=True
    ).select_related("member", "conversation")


# --- Buddies ------------------------------------------------------------------------------------

OPEN_PAIR_STATES = (BuddyPair.State.PROPOSED, BuddyPair.State.ACTIVE)


def buddy_pair_of(member: Member) -> BuddyPair | None:
    """The member's proposed or active pairing (one at a time), if any."""
    return (
        BuddyPair.objects.filter(Q(first=member) | Q(second=member), state__in=OPEN_PAIR_STATES)
        .select_related("first", "second", "conversation")
        .first()
    )


def are_buddies(a: Member, b: Member) -> bool:
    return BuddyPair.objects.filter(Q(first=a, second=b) | Q(first=b, second=a), state=BuddyPair.State.ACTIVE).exists()


def access_my_pair(member: Member, pair_id: int) -> BuddyPair:
    pair = (
        BuddyPair.objects.filter(Q(first=member) | Q(second=member), pk=pair_id)
        .select_related("first", "second", "conversation")
        .first()
    )
    if pair is None or not _signed_in(member):
        raise Http404
    return pair


def buddy_preference(member: Member) -> BuddyPreference | None:
    return BuddyPreference.objects.filter(member=member).first()


def looking_for_buddies() -> list[Member]:
    """Members who asked for a buddy and aren't in a pairing now (for the coordinator)."""
    from hearth.members.models import Member

    busy = BuddyPair.objects.filter(state__in=OPEN_PAIR_STATES)
    return list(
        Member.objects.filter(is_active=True, pk__in=BuddyPreference.objects.filter(looking=True).values("member_id"))
        .exclude(pk__in=busy.values("first_id"))
        .exclude(pk__in=busy.values("second_id"))
        .order_by("display_name")
    )


def buddy_people(members: list[Member]) -> list[Any]:
    """The matching view of each member (three queries whatever the number of people)."""
    from hearth.availability.profiles import gender_from_words
    from hearth.chat.buddies import Person

    prefs = {p.member_id: p for p in BuddyPreference.objects.filter(member__in=members)}
    groups: dict[int, set[int]] = {m.pk: set() for m in members}
    for member_id, group_id in Membership.objects.filter(
        member__in=members, group__state=GroupState.ACTIVE
    ).values_list("member_id", "group_id"):
        groups[member_id].add(group_id)
    blocks = set(Block.objects.filter(blocker__in=members).values_list("blocker_id", "blocked_id"))
    people = []
    for m in members:
        pref = prefs.get(m.pk)
        person = Person(
            id=m.pk,
            name=m.display_name,
            gender=gender_from_words(m.gender),
            age_band=m.age_band,
            same_gender=bool(pref and pref.same_gender),
            similar_age=bool(pref and pref.similar_age),
            ways=set(pref.ways if pref else []),
            groups=groups[m.pk],
            blocked={b for a, b in blocks if a == m.pk} | {a for a, b in blocks if b == m.pk},
        )
        people.append(person)
    return people


def open_pairs() -> QuerySet[BuddyPair]:
    return (
        BuddyPair.objects.filter(state__in=OPEN_PAIR_STATES).select_related("first", "second").order_by("-created_at")
    )


# --- A member's journey ---------------------------------------------------------------------------
#
# People move from writing to a phone call, to video, to coming in person as trust grows. For a supporter
# looking after someone: each way they have met the service, when it started, how often and the latest.


@dataclass
class JourneyStep:
    way: str
    first: datetime
    last: datetime
    times: int


def journey(person: Member) -> list[JourneyStep]:
    """The ways ``person`` has met the service (a one-to-one in writing, a phone or video call that happened,
    a gathering online or in person), in the order they first did. Four small queries."""
    steps = []
    support = Conversation.objects.filter(member=person, kind=ConversationKind.SUPPORT).aggregate(
        first=Min("opened_at"), last=Max("opened_at"), times=Count("pk")
    )
    if support["times"]:
        steps.append(JourneyStep("Writing one-to-one with a supporter", **support))
    calls = (
        Call.objects.filter(conversation__member=person, outcome=CallOutcome.TALKED)
        .values("way")
        .annotate(first=Min("created_at"), last=Max("created_at"), times=Count("pk"))
    )
    for row in calls:
        steps.append(JourneyStep(CallWay(row["way"]).label, first=row["first"], last=row["last"], times=row["times"]))
    there = (
        Attendance.objects.filter(member=person)
        .values("how")
        .annotate(first=Min("gathering__starts_at"), last=Max("gathering__starts_at"), times=Count("pk"))
    )
    for group in there:
        way = "A gathering in person" if group["how"] == AttendanceHow.IN_PERSON else "A gathering online"
        steps.append(JourneyStep(way, first=group["first"], last=group["last"], times=group["times"]))
    return sorted(steps, key=lambda step: step.first)


def sees_journey(viewer: Member, person: Member) -> bool:
    """Staff who look after members, and any supporter who has had a one-to-one with this person."""
    if viewer.pk == person.pk or not policy.can(viewer, Perm.VIEW_CARE_QUEUE):
        return False
    return (
        policy.can(viewer, Perm.USE_CARE_QUEUE)
        or Conversation.objects.filter(member=person, supporter=viewer, kind=ConversationKind.SUPPORT).exists()
    )
