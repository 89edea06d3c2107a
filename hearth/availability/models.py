"""The rota, who is on duty, and requests to talk now.

Times of day in the rota are wall-clock times in the organisation's time zone
(``settings.TIME_ZONE``, Europe/London by default): "Tuesday 18:00-21:00" means
that, whether it is GMT or BST. :mod:`hearth.availability.rota` turns them into
real instants, which is where the daylight-saving edges are handled.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from hearth.core import crypto
from hearth.members.models import AgeBand


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class Mode(models.TextChoices):
    TEXT = "text", "Text chat here"
    PHONE = "phone", "A phone call back"
    VIDEO = "video", "A video call"


class Gender(models.TextChoices):
    """Gender for matching, as a chosen value (members' own words stay on their profile, unmatched)."""

    UNSAID = "", "Prefer not to say"
    WOMAN = "woman", "A woman"
    MAN = "man", "A man"
    NON_BINARY = "non-binary", "A non-binary person"


class TimeOfDay(models.TextChoices):
    MORNING = "morning", "Mornings (before noon)"
    AFTERNOON = "afternoon", "Afternoons (noon to 6 pm)"
    EVENING = "evening", "Evenings (after 6 pm)"

    @classmethod
    def of(cls, clock: time) -> TimeOfDay:
        if clock < time(12):
            return cls.MORNING
        return cls.AFTERNOON if clock < time(18) else cls.EVENING


# Languages a supporter can talk in: chosen values, so "Polish" and "polish " are one language.
LANGUAGES: list[tuple[str, str]] = [
    (name, name)
    for name in (
        "English",
        "Arabic",
        "Bengali",
        "British Sign Language",
        "Cantonese",
        "French",
        "German",
        "Gujarati",
        "Hindi",
        "Italian",
        "Kurdish",
        "Lithuanian",
        "Mandarin",
        "Pashto",
        "Persian",
        "Polish",
        "Portuguese",
        "Punjabi",
        "Romanian",
        "Russian",
        "Scottish Gaelic",
        "Somali",
        "Spanish",
        "Tamil",
        "Tigrinya",
        "Turkish",
        "Ukrainian",
        "Urdu",
        "Welsh",
    )
]


def all_modes() -> list[str]:
    return list(Mode.values)


class SupporterProfile(models.Model):
    """What matching and the rota need to know about a supporter, edited by them and by coordinators.

    Everything used for matching is a chosen value: ``gender`` and ``age_band`` from fixed lists,
    ``languages`` from :data:`LANGUAGES`, ``modes`` from :class:`Mode`; ``experience`` is a list of
    short tags (compared without regard to case). A supporter with no row is matched as
    :func:`hearth.availability.profiles.profile_for` describes.
    """

    member = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supporter_profile")
    experience = models.JSONField(
        "lived experience they're happy to be matched on", default=list, blank=True, help_text="Short tags."
    )
    languages = models.JSONField(default=list, blank=True)
    modes = models.JSONField("ways they can talk", default=all_modes, blank=True)
    gender = models.CharField("gender for matching", max_length=12, choices=Gender.choices, blank=True)
    age_band = models.CharField("age band for matching", max_length=5, choices=AgeBand.choices, blank=True)
    max_open_conversations = models.PositiveSmallIntegerField(default=3)
    max_hours_per_week = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Open shifts are offered only while they're under this."
    )
    preferred_days = models.JSONField(default=list, blank=True, help_text="Weekday numbers, Monday = 0.")
    preferred_times = models.JSONField(default=list, blank=True, help_text="TimeOfDay values.")
    away_until = models.DateField(
        null=True, blank=True, help_text="Taking a break: no open shifts are offered before this date."
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Supporter profile of {self.member}"

    def experience_tags(self) -> set[str]:
        return {str(t).strip().lower() for t in self.experience if str(t).strip()}

    def language_set(self) -> set[str]:
        return {str(lang) for lang in self.languages}

    def mode_labels(self) -> list[str]:
        return [label for value, label in Mode.choices if value in self.modes]

    def away_on(self, day: date) -> bool:
        return self.away_until is not None and day < self.away_until

    def likes(self, weekday: int, clock: time) -> bool:
        """Do they prefer shifts on this weekday at this time? No preferences means any time suits."""
        day_ok = not self.preferred_days or weekday in self.preferred_days
        time_ok = not self.preferred_times or TimeOfDay.of(clock) in self.preferred_times
        return day_ok and time_ok

    def suits_rank(self, weekday: int, clock: time) -> int:
        """0: a time they said suits them; 1: they gave no preferences; 2: outside what they said."""
        if not self.likes(weekday, clock):
            return 2
        return 1 if not (self.preferred_days or self.preferred_times) else 0


class ServiceHours(models.Model):
    """When the service means to have someone available, per weekday (wall-clock).

    A weekday with no row is open 09:00-22:00 (:data:`DEFAULT_OPENS`, :data:`DEFAULT_CLOSES`).
    """

    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices, unique=True)
    closed = models.BooleanField(default=False, help_text="Closed all day, every week.")
    opens = models.TimeField(default=time(9, 0))
    closes = models.TimeField(default=time(22, 0))

    class Meta:
        ordering = ["weekday"]
        verbose_name_plural = "service hours"

    def __str__(self) -> str:
        if self.closed:
            return f"{self.get_weekday_display()} closed"
        return f"{self.get_weekday_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"


DEFAULT_OPENS, DEFAULT_CLOSES = time(9, 0), time(22, 0)


class ServiceException(models.Model):
    """One date when the service keeps other hours: closed for a holiday, or open shorter or longer."""

    date = models.DateField(unique=True)
    closed = models.BooleanField(default=True)
    opens = models.TimeField(null=True, blank=True, help_text="Only when open that day.")
    closes = models.TimeField(null=True, blank=True, help_text="Only when open that day.")
    note = models.CharField(max_length=100, blank=True, help_text="For example: Christmas Day.")

    class Meta:
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed=True) | Q(opens__isnull=False, closes__isnull=False, closes__gt=models.F("opens")),
                name="service_exception_hours_make_sense",
            )
        ]

    def __str__(self) -> str:
        hours = "closed" if self.closed else f"{self.opens:%H:%M}-{self.closes:%H:%M}"
        return f"{self.date}: {hours}{f' ({self.note})' if self.note else ''}"


class RuleRole(models.TextChoices):
    """Who a staffing rule counts. ``STAFF`` is peer workers, counsellors and coordinators on the rota."""

    ANYONE = "anyone", "People on the rota"
    STAFF = "staff", "Peer workers or counsellors"
    PEER_WORKER = "peer_worker", "Peer workers"
    COUNSELLOR = "counsellor", "Counsellors"
    VOLUNTEER = "volunteer", "Volunteers"


class StaffingRule(models.Model):
    """At least ``minimum`` of ``who`` on the rota, on these weekdays, between these times, within service hours.

    Empty ``weekdays`` means every day; no ``starts``/``ends`` means all service hours. An hour of service with
    nobody on the rota is always a gap, rules or none. With no rules at all, :data:`STARTING_RULES` apply.
    """

    who = models.CharField(max_length=12, choices=RuleRole.choices, default=RuleRole.ANYONE)
    minimum = models.PositiveSmallIntegerField(default=1)
    weekdays = models.JSONField(default=list, blank=True, help_text="Weekday numbers, Monday = 0; empty: every day.")
    starts = models.TimeField(null=True, blank=True)
    ends = models.TimeField(null=True, blank=True)
    note = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(minimum__gte=1), name="staffing_rule_minimum_at_least_one"),
            models.CheckConstraint(
                condition=Q(starts__isnull=True, ends__isnull=True)
                | Q(starts__isnull=False, ends__isnull=False, ends__gt=models.F("starts")),
                name="staffing_rule_times_make_sense",
            ),
        ]

    def __str__(self) -> str:
        return self.describe()

    def applies(self, weekday: int, clock: time) -> bool:
        if self.weekdays and weekday not in self.weekdays:
            return False
        return self.starts is None or self.ends is None or self.starts <= clock < self.ends

    def describe(self) -> str:
        """In plain words: "At least 4 people on the rota, Monday to Friday, 10:00-18:00"."""
        who = self.get_who_display().lower()
        if self.minimum == 1:
            who = RULE_ROLE_ONE[RuleRole(self.who)]
        days = describe_days(self.weekdays)
        when = f"{self.starts:%H:%M}-{self.ends:%H:%M}" if self.starts and self.ends else "all service hours"
        return f"At least {self.minimum if self.minimum > 1 else 'one'} {who}: {days}, {when}"


RULE_ROLE_ONE = {
    RuleRole.ANYONE: "person on the rota",
    RuleRole.STAFF: "peer worker or counsellor",
    RuleRole.PEER_WORKER: "peer worker",
    RuleRole.COUNSELLOR: "counsellor",
    RuleRole.VOLUNTEER: "volunteer",
}

# What applies until the coordinator writes rules of their own: a peer worker behind the volunteers.
STARTING_RULES = [StaffingRule(who=RuleRole.STAFF, minimum=1, note="A peer worker behind the volunteers")]


def describe_days(weekdays: list[int]) -> str:
    days = sorted(set(weekdays))
    if not days or days == list(range(7)):
        return "every day"
    names = [Weekday(d).label for d in days]
    if days == list(range(days[0], days[-1] + 1)) and len(days) > 2:
        return f"{names[0]} to {names[-1]}"
    return ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else names[0]


class ShiftPattern(models.Model):
    """A recurring weekly shift: this supporter, this weekday, these wall-clock hours."""

    supporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shift_patterns")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    starts = models.TimeField()
    ends = models.TimeField(help_text="Shifts end on the same day; use two patterns to cross midnight.")
    valid_from = models.DateField(default=timezone.localdate)
    valid_until = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["weekday", "starts"]
        constraints = [models.CheckConstraint(condition=Q(ends__gt=models.F("starts")), name="shift_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.supporter}: {self.get_weekday_display()} {self.starts:%H:%M}-{self.ends:%H:%M}"


class ShiftException(models.Model):
    """A one-off change on one date: a supporter is off, or on for extra hours (cover, swaps)."""

    class Kind(models.TextChoices):
        OFF = "off", "Not on shift"
        EXTRA = "extra", "Extra shift"

    supporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shift_exceptions")
    date = models.DateField(db_index=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    starts = models.TimeField(null=True, blank=True, help_text="Extra shifts only")
    ends = models.TimeField(null=True, blank=True, help_text="Extra shifts only")
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.supporter}: {self.get_kind_display()} on {self.date}"


class CoverRequest(models.Model):
    """A supporter asks for someone to cover one of their shifts on a date."""

    class State(models.TextChoices):
        OPEN = "open", "Looking for cover"
        COVERED = "covered", "Covered"
        WITHDRAWN = "withdrawn", "Withdrawn"

    pattern = models.ForeignKey(ShiftPattern, on_delete=models.CASCADE, related_name="cover_requests")
    date = models.DateField()
    note = models.CharField(max_length=200, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    covered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Cover for {self.pattern} on {self.date}"


class OpenShift(models.Model):
    """A shift offered to eligible supporters, to fill a gap; the first to claim it has it.

    Claimed with a conditional UPDATE on ``state`` (see ``actions.do_claim_open_shift``), so two people
    tapping at once can't both have it.
    """

    class State(models.TextChoices):
        OPEN = "open", "Offered"
        CLAIMED = "claimed", "Taken"
        WITHDRAWN = "withdrawn", "Withdrawn"

    date = models.DateField(db_index=True)
    starts = models.TimeField()
    ends = models.TimeField()
    who = models.CharField("who can take it", max_length=12, choices=RuleRole.choices, default=RuleRole.ANYONE)
    note = models.CharField(max_length=200, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN, db_index=True)
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    offered_to = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="shift_offers")
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="claimed_shifts"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date", "starts", "id"]
        constraints = [models.CheckConstraint(condition=Q(ends__gt=models.F("starts")), name="open_shift_ends_after")]

    def __str__(self) -> str:
        return f"Open shift {self.date} {self.starts:%H:%M}-{self.ends:%H:%M}"


class ShiftNotice(models.Model):
    """A reminder or alert sent once about one person's shift on one date.

    The unique constraint is the claim: the worker inserts the row before sending, so two workers
    (or two runs) never send the same reminder twice.
    """

    class Kind(models.TextChoices):
        REMINDER = "reminder", "Shift reminder"
        NO_CHECK_IN = "no_check_in", "Nobody checked in"

    supporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    starts = models.TimeField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["supporter", "date", "starts", "kind"], name="one_notice_per_shift")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.supporter} on {self.date} {self.starts:%H:%M}"


class DutySession(models.Model):
    """A supporter checked in: they are on duty until they check out.

    At most one open session per supporter (``ended_at`` is null), enforced by a
    partial unique constraint.
    """

    supporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="duty_sessions")
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["supporter"], condition=Q(ended_at__isnull=True), name="one_open_duty_session"
            )
        ]

    def __str__(self) -> str:
        return f"{self.supporter} on duty from {self.started_at:%H:%M}"


class HandoverNote(models.Model):
    """What a supporter passes on to the people on the next shifts: who is waiting for a call back, what is
    still open, how tonight felt.

    Encrypted at rest. Any supporter may leave one; only staff read them (``Perm.READ_HANDOVER``), and each
    look is audited (``actions.handover_notes``). Kept when the author leaves: the team still needs them.
    """

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="handover_notes"
    )
    written_at = models.DateTimeField(default=timezone.now, db_index=True)
    note_encrypted = models.TextField()

    class Meta:
        ordering = ["-written_at", "-id"]

    def __str__(self) -> str:
        return f"Handover note {self.pk} ({self.written_at:%Y-%m-%d %H:%M})"

    def set_note(self, note: str) -> None:
        self.note_encrypted = crypto.encrypt_json(note)

    def note(self) -> str:
        return str(crypto.decrypt_json(self.note_encrypted))


class TalkRequest(models.Model):
    """A member asking to talk now, or leaving a message while nobody is on.

    Waiting requests are offered oldest first within a priority; ``escalate_at``
    is when the worker next escalates it if nobody has accepted (indexed, claimed
    with a conditional UPDATE).
    """

    class State(models.TextChoices):
        WAITING = "waiting", "Waiting"
        MESSAGE = "message", "Left a message"
        ACCEPTED = "accepted", "Talking"
        CLOSED = "closed", "Finished"
        CANCELLED = "cancelled", "Cancelled"

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="talk_requests")
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.TEXT)
    state = models.CharField(max_length=10, choices=State.choices, default=State.WAITING, db_index=True)
    urgent = models.BooleanField(
        default=False, help_text="Marked urgent by intake or triage: only peer workers and counsellors are offered it."
    )
    crisis = models.BooleanField(
        default=False,
        help_text="Screening read the message as a crisis: its words are for staff who handle alerts only.",
    )
    # Preferences: empty means "no preference".
    prefer_gender = models.CharField(max_length=12, choices=Gender.choices, blank=True)
    prefer_age_band = models.CharField(max_length=5, choices=AgeBand.choices, blank=True)
    prefer_experience = models.CharField(max_length=60, blank=True)
    prefer_language = models.CharField(max_length=40, choices=LANGUAGES, blank=True)
    prefer_previous = models.BooleanField(default=False)
    strict_match = models.BooleanField(
        default=False, help_text="Wait for someone who matches, rather than whoever is free."
    )
    message = crypto.EncryptedTextField(blank=True, max_length=2000)
    phone_for_callback = crypto.EncryptedTextField(max_length=30, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="accepted_talks"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    conversation_room_id = models.BigIntegerField(
        null=True, blank=True, help_text="The chat room of the one-to-one this request opened (text chat)."
    )
    escalation_level = models.PositiveSmallIntegerField(default=0)
    escalate_at = models.DateTimeField(null=True, blank=True, db_index=True)

    screening: Any = None  # set by do_request_talk: what the member should see now

    class Meta:
        ordering = ["-urgent", "created_at", "id"]

    def __str__(self) -> str:
        return f"Talk request {self.pk} ({self.get_state_display()})"

    def wait_seconds(self, now: datetime | None = None) -> float:
        end = self.accepted_at or now or timezone.now()
        return max(0.0, (end - self.created_at).total_seconds())

    def preferences(self) -> dict[str, Any]:
        return {
            "gender": self.prefer_gender,
            "age_band": self.prefer_age_band,
            "experience": self.prefer_experience,
            "language": self.prefer_language,
            "previous": self.prefer_previous,
        }


class TalkSkip(models.Model):
    """A supporter passed over the oldest request they could take: recorded, with why."""

    request = models.ForeignKey(TalkRequest, on_delete=models.CASCADE, related_name="skips")
    supporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=200)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "supporter"], name="one_skip_per_supporter")]

    def __str__(self) -> str:
        return f"{self.supporter} skipped request {self.request_id}"


class OnCallSlot(models.Model):
    """Who is reached, and how, when a crisis alert comes in and nobody is on duty: a person, a channel, weekly hours.

    Wall-clock times in the organisation's zone. A slot whose end is not after its start runs past midnight into
    the next day ("Friday 22:00-08:00" ends on Saturday morning); equal times are a whole day. On a
    daylight-saving night the wall clock decides: 22:00-08:00 is 9 real hours in spring and 11 in autumn.
    :mod:`hearth.availability.oncall` answers "who is on call at this instant"; ``safety.alerts`` reaches them
    through the deliveries pipeline and keeps reaching them until a person acknowledges.
    """

    class Channel(models.TextChoices):
        PUSH = "push", "Push to their phone"
        EMAIL = "email", "Email"

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="on_call_slots")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices, help_text="The day the slot starts.")
    starts = models.TimeField()
    ends = models.TimeField(help_text="Not after the start: it ends the next day.")
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.PUSH)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["weekday", "starts", "pk"]

    def __str__(self) -> str:
        return f"{self.person} on call {self.describe()}"

    @property
    def overnight(self) -> bool:
        return self.ends <= self.starts

    def describe(self) -> str:
        """ "Friday 22:00 to Saturday 08:00" or "Sunday 09:00 to 17:00"."""
        day = Weekday(self.weekday).label
        if self.overnight:
            return f"{day} {self.starts:%H:%M} to {Weekday((self.weekday + 1) % 7).label} {self.ends:%H:%M}"
        return f"{day} {self.starts:%H:%M} to {self.ends:%H:%M}"

    def covers(self, weekday: int, clock: time) -> bool:
        """Whether the wall-clock moment (``weekday``, ``clock``) falls in this slot."""
        if not self.overnight:
            return weekday == self.weekday and self.starts <= clock < self.ends
        return (weekday == self.weekday and clock >= self.starts) or (
            weekday == (self.weekday + 1) % 7 and clock < self.ends
        )
