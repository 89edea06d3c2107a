"""Live rooms and their messages, one-to-one conversations, drop-ins and gatherings.

Reads go through :mod:`hearth.chat.access`; every write goes through
:mod:`hearth.chat.actions`.

Ordering and resume rest on one number: ``Room.last_seq``. Every message and
every later change to a message (edit, delete, hide) takes the next value,
allocated by an ``UPDATE … RETURNING`` on the room row inside the writing
transaction. That row lock makes commit order equal ``seq`` order per room on
PostgreSQL too (a table-wide primary key would not: two transactions can commit
out of id order), and a rolled-back send gives its number back, so a room's
sequence has no gaps. A client that saw everything up to ``seq`` N asks for
``resume_after=N`` and gets exactly what it missed.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.utils import timezone

from hearth.core import crypto


class RoomKind(models.TextChoices):
    GROUP = "group", "Group room"
    DROP_IN = "drop_in", "Drop-in"
    GATHERING = "gathering", "Gathering"
    CONVERSATION = "conversation", "One-to-one"


class Room(models.Model):
    """A live room. Group rooms (including drop-ins and gatherings) belong to a group and are
    for its members; a one-to-one room belongs to a :class:`Conversation` and is for its two people."""

    kind = models.CharField(max_length=12, choices=RoomKind.choices, default=RoomKind.GROUP)
    group = models.ForeignKey("community.Group", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=80)
    last_seq = models.BigIntegerField(default=0, help_text="The newest sequence number used in this room.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["group", "kind"])]

    def __str__(self) -> str:
        return self.title


class MessageKind(models.TextChoices):
    TEXT = "text", "Message"
    PROMPT = "prompt", "Conversation prompt"
    CLOSING = "closing", "Closing round"


class Message(models.Model):
    """One chat message. ``seq`` orders it in its room; ``changed_seq`` is the seq of its latest change.

    ``client_id`` is chosen by the sender's client and is unique per (room,
    sender): a send retried after a lost acknowledgement returns the stored
    message instead of adding a second one. ``sender`` is None once the sender
    erased their account (the body is then blank too).
    """

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="messages")
    seq = models.BigIntegerField()
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    client_id = models.CharField(max_length=64)
    kind = models.CharField(max_length=8, choices=MessageKind.choices, default=MessageKind.TEXT)
    body = crypto.EncryptedTextField(max_length=4000, blank=True)
    word_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_seq = models.BigIntegerField(null=True, blank=True)
    editable: bool  # set for the room page by views.room: the viewer's own text still in its edit window

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["room", "seq"], name="chat_message_seq_per_room"),
            models.UniqueConstraint(fields=["room", "sender", "client_id"], name="chat_message_client_id_once"),
        ]
        indexes = [
            models.Index(fields=["room", "changed_seq"]),
            # The flood check: a sender's latest messages in a room.
            models.Index(fields=["room", "sender", "-seq"]),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} in {self.room_id}"

    # Set on a new message by do_send_message: what triage decided (not stored here).
    screening: Any = None

    @property
    def visible(self) -> bool:
        """False when the author deleted it or a moderator hid it (the body is then not shown)."""
        return self.deleted_at is None and self.hidden_at is None


class ConversationKind(models.TextChoices):
    SUPPORT = "support", "With a supporter"
    PEER = "peer", "Between members"


class Conversation(models.Model):
    """A one-to-one with no time limit: a member and a supporter, or two members (``kind``).

    Open while ``closed_at`` is unset; either person can come back to it later.
    There is at most one open conversation of each kind per pair. In a conversation between
    members, ``member`` is the person who started it and ``supporter`` the person
    they wrote to (the field names come from the supporter kind; the inbox never
    reads them as roles). Member-to-member conversations are off unless the
    organisation and both people have turned them on (:class:`MessagePreference`),
    and either person can block the other (:class:`Block`).
    """

    room = models.OneToOneField(Room, on_delete=models.CASCADE, related_name="conversation")
    kind = models.CharField(max_length=8, choices=ConversationKind.choices, default=ConversationKind.SUPPORT)
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    supporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=200, blank=True)
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "supporter", "kind"],
                condition=models.Q(closed_at__isnull=True),
                name="one_open_conversation_per_pair_and_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id} with {self.supporter_id}"


class InboxEntry(models.Model):
    """One person's place in one conversation: what "Messages" lists, and what the header counts.

    A conversation has one entry per person in it (two for a one-to-one), so the
    inbox never asks *who* the other person is by role: a member-to-member
    conversation, or one with more people, fits the same way. ``unread`` counts
    the other people's messages since this person last had the room open; it is
    raised in the sender's transaction (:func:`hearth.chat.actions.do_send_message`)
    and cleared by :func:`hearth.chat.actions.do_mark_read`.
    """

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="inbox_entries")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    unread = models.PositiveIntegerField(default=0)
    last_message_at = models.DateTimeField(null=True, blank=True, help_text="When anyone last wrote here.")
    last_read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["room", "member"], name="one_inbox_entry_per_person")]
        indexes = [models.Index(fields=["member", "-last_message_at"])]

    def __str__(self) -> str:
        return f"{self.member_id} in {self.room_id}"


class MessagesFrom(models.TextChoices):
    NOBODY = "nobody", "Nobody (only supporters can message me)"
    GROUPS = "groups", "Members of groups I'm in"


class MessagePreference(models.Model):
    """Whether other members may write to this member (off until they choose otherwise).

    No row means :attr:`MessagesFrom.NOBODY`. Choosing "nobody" also means not
    writing to other members: messages between members go both ways or not at all.
    """

    member = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    messages_from = models.CharField(max_length=8, choices=MessagesFrom.choices, default=MessagesFrom.NOBODY)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.member_id}: {self.messages_from}"


class Block(models.Model):
    """``blocker`` never hears from ``blocked`` again in messages between members (either way round).

    The blocked person is not told who blocked them or why: their conversation just closes to them.
    """

    blocker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    blocked = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["blocker", "blocked"], name="block_once")]

    def __str__(self) -> str:
        return f"{self.blocker_id} blocked {self.blocked_id}"


class RoomVisit(models.Model):
    """One connection to a room: presence while ``left_at`` is unset, attendance afterwards.

    The page's server says the visit goes on every ``access.HEARTBEAT`` (``seen_at``: one write for all its
    pages, ``chat/heartbeat.py``). A server killed mid-visit leaves ``left_at`` unset: presence counts only
    visits seen within ``access.PRESENCE_EXPIRY``, and the worker's ``close_stale_visits`` job closes the
    rest (left when last seen) and tells the room, so a crash leaves no one "here now".
    """

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="visits")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channel_name = models.CharField(max_length=200, blank=True)
    entered_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["room", "left_at", "entered_at"]),
            # The worker's sweep for visits nobody has heard from (open ones only: a small index).
            models.Index(fields=["seen_at"], condition=models.Q(left_at__isnull=True), name="chat_visit_open_seen"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} in {self.room_id}"


class DropIn(models.Model):
    """A room with weekly opening hours ("Tuesday 7-8 pm"), hosted by a group host.

    ``weekday`` is Monday=0. Hours are wall-clock times in the organisation's
    time zone, so a drop-in stays at 7 pm across the daylight-saving change.
    """

    room = models.OneToOneField(Room, on_delete=models.CASCADE, related_name="drop_in")
    group = models.ForeignKey("community.Group", on_delete=models.CASCADE, related_name="+")
    host = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    weekday = models.PositiveSmallIntegerField()
    opens_at = models.TimeField()
    closes_at = models.TimeField()
    email_host = models.BooleanField("email me when someone arrives and I'm not in the room", default=True)
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    def __str__(self) -> str:
        return f"{self.room.title} ({self.hours_label()})"

    def hours_label(self) -> str:
        """``"Tuesdays, 7 pm to 8 pm"``."""
        return f"{self.WEEKDAYS[self.weekday]}s, {clock(self.opens_at)} to {clock(self.closes_at)}"

    def is_open(self, now: datetime | None = None) -> bool:
        """Open during this week's hours, in the organisation's time zone; never once ended."""
        if self.ended_at is not None:
            return False
        local = (now or timezone.now()).astimezone(ZoneInfo(settings.TIME_ZONE))
        # Wall-clock comparison: on the night the clocks change, an hour that
        # doesn't exist (or exists twice) still reads correctly as a local time.
        return local.weekday() == self.weekday and self.opens_at <= local.time() < self.closes_at

    def next_opening(self, now: datetime | None = None) -> datetime | None:
        """When it next opens (this opening, if it is open now); None once ended.

        Built from the wall-clock time in the organisation's zone, so "7 pm" stays
        7 pm across a daylight-saving change.
        """
        if self.ended_at is not None:
            return None
        tz = ZoneInfo(settings.TIME_ZONE)
        local = (now or timezone.now()).astimezone(tz)
        days = (self.weekday - local.weekday()) % 7
        if days == 0 and local.time() >= self.closes_at:
            days = 7
        day = local.date() + timedelta(days=days)
        return datetime.combine(day, self.opens_at, tzinfo=tz)


def clock(t: time) -> str:
    """``7 pm``, ``7:30 pm``: how people say times."""
    hour = t.hour % 12 or 12
    minutes = f":{t.minute:02d}" if t.minute else ""
    return f"{hour}{minutes} {'am' if t.hour < 12 else 'pm'}"


class GatheringFormat(models.TextChoices):
    ONLINE = "online", "Online, in a Hearth room"
    VIDEO = "video", "Video call"
    IN_PERSON = "in_person", "In person"
    HYBRID = "hybrid", "Hybrid: in person with an online room"


class Repeat(models.TextChoices):
    WEEKLY = "weekly", "Every week"
    FORTNIGHTLY = "fortnightly", "Every other week"
    MONTHLY = "monthly", "Once a month (same week and day)"


class GatheringSeries(models.Model):
    """A recurring gathering: the rule, and what each of its gatherings copies.

    Its gatherings are real :class:`Gathering` rows (RSVPs, rooms, capacity and reminders work the same),
    made ahead up to ``actions.SERIES_HORIZON`` by ``do_schedule_series`` and the daily ``extend_series`` job.
    A date that is skipped keeps its (cancelled) row, so it is never made again. ``starts_on`` and
    ``start_time`` are wall-clock in the organisation's zone (see :mod:`hearth.chat.recurrence`).
    """

    group = models.ForeignKey("community.Group", on_delete=models.CASCADE, related_name="+")
    repeat = models.CharField(max_length=12, choices=Repeat.choices)
    starts_on = models.DateField()
    start_time = models.TimeField()
    duration = models.DurationField()
    until = models.DateField(null=True, blank=True, help_text="The last date it may happen (none: until ended).")
    ended_at = models.DateTimeField(null=True, blank=True)
    # Copied to each gathering.
    title = models.CharField(max_length=80)
    description = models.TextField(max_length=1000, blank=True)
    format = models.CharField(max_length=10, choices=GatheringFormat.choices, default=GatheringFormat.ONLINE)
    activity = models.CharField(max_length=80, blank=True)
    bring = models.CharField("what to bring or install", max_length=300, blank=True)
    video_link = models.URLField(blank=True)
    place = models.CharField(max_length=200, blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    online_volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    made_until = models.DateField(null=True, blank=True, help_text="Gatherings exist up to this date.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "gathering series"

    def __str__(self) -> str:
        return self.title

    def rule_label(self) -> str:
        from hearth.chat.recurrence import describe

        return describe(self.repeat, self.starts_on, self.start_time)


class Gathering(models.Model):
    """A scheduled session of a group, with a facilitator.

    Online and hybrid gatherings have a room. For hybrid ones the
    ``online_volunteer`` looks after the people joining online. ``notes`` are the
    facilitator's notes after the session: staff only.
    """

    group = models.ForeignKey("community.Group", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=80)
    description = models.TextField(max_length=1000, blank=True)
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    format = models.CharField(max_length=10, choices=GatheringFormat.choices, default=GatheringFormat.ONLINE)
    activity = models.CharField(max_length=80, blank=True, help_text="For example: crafts, film night, gaming.")
    bring = models.CharField(
        "what to bring or install",
        max_length=300,
        blank=True,
        help_text="So people can come ready: wool and needles, a game installed, a snack for the film.",
    )
    video_link = models.URLField(blank=True, help_text="A link the facilitator gave (their own video service).")
    video_room = models.CharField(
        max_length=64,
        blank=True,
        help_text="A room Hearth made on the organisation's video server (HEARTH_VIDEO_URL) when no link was given.",
    )
    place = models.CharField(max_length=200, blank=True)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    online_volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    room = models.OneToOneField(Room, null=True, blank=True, on_delete=models.SET_NULL, related_name="gathering")
    closing_round_at = models.DateTimeField(null=True, blank=True)
    series = models.ForeignKey(
        GatheringSeries, null=True, blank=True, on_delete=models.SET_NULL, related_name="gatherings"
    )
    occurrence_date = models.DateField(null=True, blank=True, help_text="The series' date this one is for.")
    capacity = models.PositiveIntegerField(
        null=True, blank=True, help_text="Places for people who say they're coming; empty: no limit."
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    invite_only = models.BooleanField(
        "only for people invited",
        default=False,
        help_text="Only the people invited (and those running it) see it: a small, calm session.",
    )
    notes = models.TextField("facilitator's notes (staff only)", max_length=4000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "occurrence_date"],
                condition=models.Q(series__isnull=False),
                name="one_gathering_per_series_date",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def session_start(self) -> datetime:
        """Where "this session" begins for the talk-share meter: people often arrive early."""
        return self.starts_at - timedelta(minutes=30)


class AttendanceHow(models.TextChoices):
    ONLINE = "online", "Joined online"
    IN_PERSON = "in_person", "Present in person"


class GatheringInvitation(models.Model):
    """A chosen person invited to a gathering (always someone in its group). For an invite-only gathering the
    invitations are who may see it at all, with the people running it (``access.visible_gatherings``)."""

    gathering = models.ForeignKey("Gathering", on_delete=models.CASCADE, related_name="invitations")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["gathering", "member"], name="one_invitation_each")]

    def __str__(self) -> str:
        return f"{self.member_id} invited to {self.gathering_id}"


class RsvpAnswer(models.TextChoices):
    GOING = "going", "Going"
    MAYBE = "maybe", "Maybe"
    LISTEN = "listen", "I might just listen"
    NO = "no", "Can't come"


# Answers that take one of a gathering's places when it has a capacity.
TAKES_A_PLACE = (RsvpAnswer.GOING, RsvpAnswer.LISTEN)


class Rsvp(models.Model):
    """A member's answer to a gathering and, if they want one, when to remind them.

    ``due_at`` is when the reminder should go; the periodic job claims due rows
    with a conditional UPDATE that sets ``reminded_at``, so each goes once.
    """

    gathering = models.ForeignKey(Gathering, on_delete=models.CASCADE, related_name="rsvps")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    answer = models.CharField(max_length=8, choices=RsvpAnswer.choices)
    remind_minutes_before = models.PositiveIntegerField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(default=timezone.now)
    waiting_since = models.DateTimeField(
        null=True, blank=True, help_text="On the waiting list since then (the gathering was full); first come first."
    )
    joining = models.CharField(
        "how they'll join",
        max_length=10,
        choices=AttendanceHow.choices,
        blank=True,
        help_text="In person or online: chosen for hybrid gatherings, follows the format otherwise; blank for no.",
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["gathering", "member"], name="one_rsvp_per_gathering")]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.answer}"


class Attendance(models.Model):
    gathering = models.ForeignKey(Gathering, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    how = models.CharField(max_length=10, choices=AttendanceHow.choices)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["gathering", "member"], name="attend_once")]

    def __str__(self) -> str:
        return f"{self.member_id} at {self.gathering_id}"


class HandRaise(models.Model):
    """A raised hand in a room's queue; cleared by the person or the facilitator."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="hands")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    raised_at = models.DateTimeField(default=timezone.now)
    cleared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["raised_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["room", "member"], condition=models.Q(cleared_at__isnull=True), name="one_raised_hand"
            )
        ]

    def __str__(self) -> str:
        return f"hand of {self.member_id} in {self.room_id}"


class Prompt(models.Model):
    """A conversation prompt in the organisation's deck, for when talk dries up."""

    text = models.CharField(max_length=200)
    position = models.PositiveIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class FollowUp(models.Model):
    """Someone to follow up with after a private hand-off (read by the care work that comes later)."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    supporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    gathering = models.ForeignKey(
        Gathering, null=True, blank=True, on_delete=models.SET_NULL, related_name="follow_ups"
    )
    conversation = models.ForeignKey(Conversation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"follow up {self.member_id}"


class SlotWay(models.TextChoices):
    TEXT = "text", "Text chat here"
    PHONE = "phone", "Phone call"
    VIDEO = "video", "Video call"


class SlotOutcome(models.TextChoices):
    MET = "met", "We talked"
    MISSED = "missed", "Couldn't make it"


class Slot(models.Model):
    """A time a supporter or counsellor offers for a one-to-one, and its booking (at most one member).

    Booking is one conditional UPDATE (``member IS NULL``), so of two members booking the same slot at once
    exactly one gets it. ``remind_at`` and ``opened_at`` are claimed by the ``open_booked_slots`` job with
    conditional UPDATEs (each reminder and opening happens once); opening makes (or reuses) the supporter
    one-to-one, stored in ``conversation``. ``outcome`` is recorded by the supporter afterwards.
    """

    supporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    way = models.CharField(max_length=8, choices=SlotWay.choices, default=SlotWay.TEXT)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    booked_at = models.DateTimeField(null=True, blank=True)
    remind_at = models.DateTimeField(null=True, blank=True, db_index=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    conversation = models.ForeignKey(Conversation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    outcome = models.CharField(max_length=8, choices=SlotOutcome.choices, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True, help_text="The supporter took the slot back.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["member", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.supporter_id} at {self.starts_at:%Y-%m-%d %H:%M}"


class PollAnswer(models.TextChoices):
    YES = "yes", "That suits me"
    MAYBE = "maybe", "I could if I must"
    NO = "no", "Can't make it"


class TimePoll(models.Model):
    """A "when suits?" question: a host offers a few times for a gathering; people in the group say which they can make
    (and, for one in person, how long it takes them to get there); the host picks one and it becomes the
    gathering (``gathering``). Open until ``closed_at``."""

    group = models.ForeignKey("community.Group", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=80)
    format = models.CharField(max_length=10, choices=GatheringFormat.choices, default=GatheringFormat.ONLINE)
    place = models.CharField(max_length=200, blank=True)
    minutes = models.PositiveSmallIntegerField(default=60, help_text="How long the gathering will last.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    gathering = models.ForeignKey(Gathering, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def in_person(self) -> bool:
        return self.format in (GatheringFormat.IN_PERSON, GatheringFormat.HYBRID)


class TimeOption(models.Model):
    """One of the times a poll offers."""

    poll = models.ForeignKey(TimePoll, on_delete=models.CASCADE, related_name="options")
    starts_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [models.UniqueConstraint(fields=["poll", "starts_at"], name="one_option_per_time")]

    def __str__(self) -> str:
        return f"{self.poll_id} at {self.starts_at:%Y-%m-%d %H:%M}"


class TimePollResponse(models.Model):
    """One person's answer to a poll: for each option (its id as a string) a ``PollAnswer`` value, and how many
    minutes it takes them to get there (in-person polls; empty when they didn't say)."""

    poll = models.ForeignKey(TimePoll, on_delete=models.CASCADE, related_name="responses")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    answers = models.JSONField(default=dict)
    travel_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["poll", "member"], name="one_response_per_poll")]

    def __str__(self) -> str:
        return f"{self.member_id} on poll {self.poll_id}"


class CallWay(models.TextChoices):
    PHONE = "phone", "Phone call"
    VIDEO = "video", "Video call"


class CallOutcome(models.TextChoices):
    TALKED = "talked", "We talked"
    NO_ANSWER = "no_answer", "No answer"
    MESSAGE = "message", "Left a message"


class Call(models.Model):
    """A one-to-one by phone or video: from a talk-now request, a booking, or the supporter offering one.

    Phone: the number is on no page until the supporter asks for it (``actions.call_number``: staff only,
    each look audited); ``phone`` is the number the member gave for this call, empty for their account's.
    Video: a room on the organisation's own server (``HEARTH_VIDEO_URL``) named with 128 random bits, so it
    can't be guessed; the link is only on the call's page, for the conversation's two people.
    """

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="calls")
    slot = models.ForeignKey(Slot, null=True, blank=True, on_delete=models.SET_NULL, related_name="calls")
    way = models.CharField(max_length=8, choices=CallWay.choices)
    phone = crypto.EncryptedTextField(max_length=30, blank=True)
    video_room = models.CharField(max_length=64, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    outcome = models.CharField(max_length=10, choices=CallOutcome.choices, blank=True)
    minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_way_display()} in conversation {self.conversation_id}"


class BuddyPreference(models.Model):
    """A member who would like a buddy, and what they'd like in one (choices only, matched by a coordinator).

    ``ways`` are :class:`SlotWay` values (text chat, phone, video). "Same gender" compares the two people's own
    words about their gender, folded to a matching value (``availability.profiles.gender_from_words``);
    "similar age" compares age bands. Nothing is matched on what a member hasn't said.
    """

    member = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    looking = models.BooleanField(default=True)
    same_gender = models.BooleanField("someone of the same gender", default=False)
    similar_age = models.BooleanField("someone of a similar age", default=False)
    ways: models.JSONField[list[str]] = models.JSONField("ways to keep in touch", default=list, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.member_id} buddy preference"


class BuddyPair(models.Model):
    """Two members a coordinator proposed as buddies. Active once both accept; either can end it kindly.

    While active the two may message each other one-to-one (``conversation``, a peer conversation), whatever
    their general message settings, unless either blocks the other (which ends the pairing). ``check_in_at``
    is when both are next asked how it's going (claimed once by the ``buddy_check_ins`` job).
    """

    class State(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ACTIVE = "active", "Buddies"
        DECLINED = "declined", "Not this time"
        ENDED = "ended", "Ended"

    first = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    first_accepted_at = models.DateTimeField(null=True, blank=True)
    second_accepted_at = models.DateTimeField(null=True, blank=True)
    conversation = models.ForeignKey(Conversation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    check_in_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["first", "state"]), models.Index(fields=["second", "state"])]

    def __str__(self) -> str:
        return f"{self.first_id} and {self.second_id} ({self.state})"

    def other(self, member_id: int) -> Any:
        return self.second if member_id == self.first_id else self.first
