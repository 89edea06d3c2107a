"""Proactive care: the cues members share, check-ins, and the care queue.

- :class:`CareItem` is one reason to reach out to one person ("mood 2/5 three
  days running"). The queue groups a person's open items into one entry.
- What members share for cues (all opt-in, see :mod:`hearth.care.cues`):
  :class:`Visit` (days they came in), :class:`MoodEntry`, :class:`WellbeingReading`
  and the :class:`WellbeingToken` that pushes readings. Withdrawing a cue in the
  consent centre deletes its rows.
- :class:`CheckInRound` (recurring check-ins in a one-to-one) and
  :class:`CheckInSend` (each message sent, and whether it was answered).
- :class:`CheckInRecord`: how a supporter's check-in went; the note is encrypted.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from hearth.core import crypto


class Source(models.TextChoices):
    """Why an item is on the queue. The first group needs no opt-in (safety); the second are the member's cues."""

    TRIAGE = "triage", "Wrote something worrying"
    HAND_OFF = "hand-off", "Facilitator hand-off"
    NOBODY_REPLIED = "nobody-replied", "Nobody replied"
    REFERRAL = "referral", "Referral follow-up"
    CHECK_IN = "check-in", "Check-in round"
    ASKED = "asked", "Asked for a check-in"
    FOLLOW_UP = "follow-up", "Follow-up"
    OUTCOME = "outcome", "Questionnaire answer"
    ENERGY = "energy", "Energy level"
    MOOD = "mood", "Mood check-in"
    MOOD_TREND = "mood_trend", "Falling mood"
    GOING_QUIET = "going_quiet", "Going quiet"
    MISSED_GATHERING = "missed_gathering", "Missed a gathering"
    WELLBEING = "wellbeing", "Wellbeing signal"
    PEER = "peer", "Someone is worried about them"


CUE_SOURCES = frozenset(
    {
        Source.ENERGY,
        Source.MOOD,
        Source.MOOD_TREND,
        Source.GOING_QUIET,
        Source.MISSED_GATHERING,
        Source.WELLBEING,
    }
)


class CareItem(models.Model):
    """One reason to reach out to one person.

    At most one unfinished item per person and source: a new reason from the
    same source is added to it (:func:`hearth.care.actions.add_care_item`).
    ``due_at`` hides a follow-up until its day; ``snoozed_until`` hides an item
    until then. ``group`` is set for "nobody replied" (volunteers see those
    only for groups they are in).
    """

    class State(models.TextChoices):
        OPEN = "open", "Needs someone"
        CLAIMED = "claimed", "Someone is reaching out"
        DONE = "done", "Checked in"

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="care_items")
    source = models.CharField(max_length=30, help_text="A Source value (free text is kept for older callers).")
    reason = models.CharField(max_length=300, help_text="In plain words, for staff.")
    weight = models.PositiveSmallIntegerField(default=20, help_text="How much this adds to the person's rank.")
    ref = models.CharField(max_length=60, blank=True, help_text="What it is about, e.g. community.post:12.")
    group = models.ForeignKey("community.Group", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN, db_index=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    snoozed_until = models.DateTimeField(null=True, blank=True)
    snooze_reason = models.CharField(max_length=200, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=300, blank=True)
    record = models.ForeignKey("CheckInRecord", null=True, blank=True, on_delete=models.SET_NULL, related_name="items")

    class Meta:
        ordering = ["created_at"]
        constraints = [
            # One open item per member and source: new reasons are added to it.
            models.UniqueConstraint(
                fields=["member", "source"], condition=~Q(state="done"), name="one_open_care_item_per_source"
            )
        ]
        indexes = [models.Index(fields=["state", "source"])]

    def __str__(self) -> str:
        return f"Care item for {self.member}: {self.reason}"

    def source_label(self) -> str:
        """Where the item came from, in words ("Check-in round"); the raw value for a source no longer listed."""
        try:
            return str(Source(self.source).label)
        except ValueError:
            return self.source.replace("-", " ").replace("_", " ")

    @property
    def is_cue(self) -> bool:
        return self.source in CUE_SOURCES


class CareProfile(models.Model):
    """A member's care settings. No row means the defaults.

    ``usual_supporter`` is the person the "my usual supporter" audience means:
    set by staff, or by setting up a check-in round. ``check_ins_off`` is the
    member's "switch all of it off": no rounds can be set up while it is on.
    """

    member = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="care")
    usual_supporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    check_ins_off = models.BooleanField(default=False)
    mood_on_quiet_days = models.BooleanField(
        "offer the mood check-in on low-energy days too",
        default=False,
        help_text="Normally it isn't offered in quiet mode.",
    )
    mood_skipped_on = models.DateField(null=True, blank=True, help_text="'Not today' was pressed on this day.")

    def __str__(self) -> str:
        return f"Care settings of {self.member}"


class Visit(models.Model):
    """A day a member came in. Kept only while they share the "going quiet" cue."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "day"], name="one_visit_a_day")]

    def __str__(self) -> str:
        return f"{self.member_id} on {self.day}"


class MoodEntry(models.Model):
    """A short mood check-in: 1 (very low) to 5 (very good) and optional words (encrypted).

    One a day: checking in again the same day replaces it.
    """

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    score = models.PositiveSmallIntegerField()
    words_encrypted = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    screening: Any = None  # set by do_check_in_mood when there were words

    class Meta:
        ordering = ["day"]
        constraints = [models.UniqueConstraint(fields=["member", "day"], name="one_mood_a_day")]

    def __str__(self) -> str:
        return f"mood of {self.member_id} on {self.day}: {self.score}"

    @property
    def words(self) -> str:
        return str(crypto.decrypt_json(self.words_encrypted)) if self.words_encrypted else ""


class WellbeingMetric(models.TextChoices):
    STRESS = "stress", "Stress score (0-100, higher is more stressed)"
    SLEEP = "sleep", "Sleep score (0-100, higher is better sleep)"


class WellbeingReading(models.Model):
    """One day's score a member imported from a tracker (file upload or their personal token)."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    metric = models.CharField(max_length=10, choices=WellbeingMetric.choices)
    value = models.FloatField()
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["day"]
        constraints = [models.UniqueConstraint(fields=["member", "day", "metric"], name="one_reading_a_day")]

    def __str__(self) -> str:
        return f"{self.metric} of {self.member_id} on {self.day}: {self.value}"


class WellbeingToken(models.Model):
    """A personal token for pushing readings. Only the SHA-256 of the token is stored.

    The token is 32 random bytes, so a fast hash is enough (nothing to brute-force);
    ``prefix`` is its first characters, shown so the member can tell tokens apart.
    """

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=60)
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    screening: Any = None  # set by do_create_token

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class CheckInRound(models.Model):
    """Recurring check-ins: a message sent in a one-to-one every ``every_days``.

    Sent at ``not_before`` wall-clock time in the organisation's time zone, on
    ``weekday`` if set (0 = Monday); a send the worker couldn't make before
    ``not_after`` waits for the next occurrence rather than arriving late at night.
    """

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    supporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    every_days = models.PositiveSmallIntegerField(default=7)
    weekday = models.PositiveSmallIntegerField(null=True, blank=True)
    not_before = models.TimeField(default=time(12, 0))
    not_after = models.TimeField(default=time(20, 0))
    message = models.CharField(max_length=500)
    next_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    stopped_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"check-ins for {self.member_id} by {self.supporter_id}"

    def schedule_label(self) -> str:
        days = ["Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays"]
        when = days[self.weekday] if self.weekday is not None else "any day"
        every = "every week" if self.every_days == 7 else f"every {self.every_days} days"
        return f"{every}, {when}, between {self.not_before:%H:%M} and {self.not_after:%H:%M}"


class CheckInSend(models.Model):
    """One check-in message sent; ``followed_up_at`` is set once the reply or no-reply reached the queue."""

    round = models.ForeignKey(CheckInRound, on_delete=models.CASCADE, related_name="sends")
    room_id = models.BigIntegerField()
    seq = models.BigIntegerField(help_text="The message's sequence number in the room.")
    sent_at = models.DateTimeField(default=timezone.now)
    replied_at = models.DateTimeField(null=True, blank=True)
    followed_up_at = models.DateTimeField(null=True, blank=True, db_index=True)

    def __str__(self) -> str:
        return f"check-in {self.round_id} at {self.sent_at}"


class CheckInHow(models.TextChoices):
    PHONE = "phone", "Phone call"
    CHAT = "chat", "One-to-one chat"
    MESSAGE = "message", "Message"
    IN_PERSON = "in_person", "In person"
    NO_CONTACT = "no_contact", "Couldn't reach them"


class CheckInOutcome(models.TextChoices):
    OK = "ok", "Doing OK"
    GLAD = "glad", "Glad of the chat"
    MORE_SUPPORT = "more_support", "Needs more support"
    REFERRED = "referred", "Pointed to other help"
    NO_CONTACT = "no_contact", "No answer yet"


class CheckInRecord(models.Model):
    """How a check-in went. ``note_encrypted`` is Fernet ciphertext (hearth.core.crypto); staff only."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    supporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    how = models.CharField(max_length=12, choices=CheckInHow.choices)
    outcome = models.CharField(max_length=14, choices=CheckInOutcome.choices)
    note_encrypted = models.TextField(blank=True)
    reasons = models.CharField(max_length=600, blank=True, help_text="What was on the queue, for the record.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"check-in with {self.member_id}: {self.outcome}"

    @property
    def note(self) -> str:
        return str(crypto.decrypt_json(self.note_encrypted)) if self.note_encrypted else ""

    @staticmethod
    def seal(note: str) -> str:
        return crypto.encrypt_json(note) if note else ""


class Concern(models.Model):
    """ "I'm worried about someone": what a member or volunteer noticed about another person.

    It puts that person on the care queue (staff only) and, when the words say so, raises a crisis alert about
    them. ``noticed_encrypted`` is Fernet ciphertext; staff read it on the person's care page (each read audited).
    The person who raised it is thanked and never told what happens next.
    """

    about = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="concerns_raised"
    )
    noticed_encrypted = models.TextField()
    content_key = models.CharField(max_length=40, blank=True, help_text="Where they noticed it (a post, a message).")
    object_id = models.BigIntegerField(null=True, blank=True)
    risk = models.CharField(max_length=10, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    screening: Any = None  # set by do_raise_concern

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Someone is worried about {self.about}"

    def noticed(self) -> str:
        return str(crypto.decrypt_json(self.noticed_encrypted)) if self.noticed_encrypted else ""

    @property
    def where_label(self) -> str:
        """Where it was noticed, in words ("post", "chat message"); empty when raised from their profile."""
        from hearth.safety import content

        if self.content_key in content.registered():
            return content.get(self.content_key).label
        return ""


def as_local(moment: datetime) -> datetime:
    return timezone.localtime(moment)
