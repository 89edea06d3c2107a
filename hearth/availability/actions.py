"""Every change to the rota, duty and talk-now requests goes through here.

Time-dependent actions take ``now`` so tests (and the simulation) control the
clock; callers in views leave it out.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from statistics import median
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from hearth.availability import conversations, matching
from hearth.availability.access import supporters_query
from hearth.availability.models import (
    DEFAULT_CLOSES,
    DEFAULT_OPENS,
    LANGUAGES,
    STARTING_RULES,
    CoverRequest,
    DutySession,
    Gender,
    HandoverNote,
    Mode,
    OnCallSlot,
    OpenShift,
    RuleRole,
    ServiceException,
    ServiceHours,
    ShiftException,
    ShiftNotice,
    ShiftPattern,
    StaffingRule,
    SupporterProfile,
    TalkRequest,
    TalkSkip,
    TimeOfDay,
)
from hearth.availability.oncall import may_be_on_call
from hearth.availability.profiles import default_profile, gender_from_words, normalise_tags
from hearth.availability.rota import Rota, ShiftRow, counts_as, week_start, zone
from hearth.core import audit, deliveries, throttle
from hearth.core.deliveries import send_email
from hearth.core.errors import ActionError
from hearth.core.events import member_group, send_event_on_commit
from hearth.core.screening import Screening, screen
from hearth.members import policy
from hearth.members.models import AgeBand, Member, Role
from hearth.members.policy import Perm

audit.register(
    {
        "availability.shift.added": "{actor} added a shift for {subject}: {when}",
        "availability.talk.viewed": "{actor} read what {subject} wrote asking to talk",
        "availability.shift.removed": "{actor} removed a shift of {subject}: {when}",
        "availability.shift.off": "{actor} marked {subject} off on {date}",
        "availability.shift.extra": "{actor} added an extra shift for {subject} on {date}",
        "availability.cover.requested": "{actor} asked for cover on {date}",
        "availability.cover.taken": "{actor} covered a shift of {subject} on {date}",
        "availability.profile.saved": "{actor} updated the supporter profile of {subject}",
        "availability.hours.changed": "{actor} changed the service hours: {when}",
        "availability.hours.exception": "{actor} set the service hours on {date}: {when}",
        "availability.hours.exception_removed": "{actor} removed the special hours on {date}",
        "availability.rule.added": "{actor} added a staffing rule: {rule}",
        "availability.rule.removed": "{actor} removed a staffing rule: {rule}",
        "availability.on_call.added": "{actor} put {subject} on call {when} ({channel})",
        "availability.on_call.removed": "{actor} took {subject} off call {when}",
        "availability.gap.filled": "{actor} put {subject} on the rota on {date} to fill a gap",
        "availability.offer.made": "{actor} offered a shift on {date} to {count} people",
        "availability.offer.claimed": "{actor} took an offered shift on {date}",
        "availability.offer.withdrawn": "{actor} withdrew an offered shift on {date}",
        "availability.shift.no_check_in": "{subject} hadn't checked in {minutes} minutes into their shift on {date}",
        "availability.handover.written": "{actor} left a handover note",
        "availability.handover.read": "{actor} read {count} handover notes",
        "availability.talk.accepted": "{actor} accepted a talk-now request from {subject}",
        "availability.talk.skipped": "{actor} skipped an older talk-now request: {reason}",
        "availability.talk.escalated": "A talk-now request from {subject} waited {minutes} minutes and went to {to}",
    }
)

DUTY_GROUP = "availability.duty"  # everyone checked in: queue changes


# --- Rota ---------------------------------------------------------------------------------


def check_can_edit_rota_of(actor: Member, supporter: Member) -> None:
    """Coordinators edit anyone's shifts; supporters edit their own."""
    if policy.can(actor, Perm.MANAGE_ROTA):
        return
    if actor.pk == supporter.pk and policy.can(actor, Perm.TAKE_SHIFTS):
        return
    raise ActionError("You can change only your own shifts. A coordinator can change anyone's.")


def check_is_supporter(person: Member) -> None:
    if not policy.can(person, Perm.TAKE_SHIFTS):
        raise ActionError(
            f"{person.display_name} isn't a volunteer, peer worker or counsellor, so can't be on the rota."
        )


def do_add_shift_pattern(actor: Member, supporter: Member, *, weekday: int, starts: time, ends: time) -> ShiftPattern:
    check_can_edit_rota_of(actor, supporter)
    check_is_supporter(supporter)
    if ends <= starts:
        raise ActionError("A shift has to end after it starts. For a shift past midnight, add one for each day.")
    with transaction.atomic():
        pattern = ShiftPattern.objects.create(supporter=supporter, weekday=weekday, starts=starts, ends=ends)
        audit.log_action(
            "availability.shift.added",
            actor=actor,
            subject=supporter,
            obj=pattern,
            data={"when": str(pattern).split(": ", 1)[1]},
        )
    return pattern


def do_remove_shift_pattern(actor: Member, pattern: ShiftPattern) -> None:
    check_can_edit_rota_of(actor, pattern.supporter)
    with transaction.atomic():
        when = str(pattern).split(": ", 1)[1]
        # Ending the pattern (rather than deleting it) keeps past rotas true.
        pattern.valid_until = timezone.localdate() - timedelta(days=1)
        if pattern.valid_until < pattern.valid_from:
            pattern.delete()
        else:
            pattern.save(update_fields=["valid_until"])
        audit.log_action("availability.shift.removed", actor=actor, subject=pattern.supporter, data={"when": when})


def do_mark_off(actor: Member, supporter: Member, day: date, note: str = "") -> ShiftException:
    check_can_edit_rota_of(actor, supporter)
    with transaction.atomic():
        exc = ShiftException.objects.create(supporter=supporter, date=day, kind=ShiftException.Kind.OFF, note=note)
        audit.log_action(
            "availability.shift.off", actor=actor, subject=supporter, obj=exc, data={"date": day.isoformat()}
        )
    return exc


def do_add_extra_shift(
    actor: Member, supporter: Member, day: date, starts: time, ends: time, note: str = ""
) -> ShiftException:
    check_can_edit_rota_of(actor, supporter)
    check_is_supporter(supporter)
    if ends <= starts:
        raise ActionError("A shift has to end after it starts.")
    with transaction.atomic():
        exc = ShiftException.objects.create(
            supporter=supporter, date=day, kind=ShiftException.Kind.EXTRA, starts=starts, ends=ends, note=note
        )
        audit.log_action(
            "availability.shift.extra", actor=actor, subject=supporter, obj=exc, data={"date": day.isoformat()}
        )
    return exc


def do_request_cover(actor: Member, pattern: ShiftPattern, day: date, note: str = "") -> CoverRequest:
    check_can_edit_rota_of(actor, pattern.supporter)
    if day.weekday() != pattern.weekday:
        raise ActionError(f"That shift is on {pattern.get_weekday_display()}s; pick a {pattern.get_weekday_display()}.")
    with transaction.atomic():
        cover = CoverRequest.objects.create(pattern=pattern, date=day, note=note)
        audit.log_action(
            "availability.cover.requested",
            actor=actor,
            subject=pattern.supporter,
            obj=cover,
            data={"date": day.isoformat()},
        )
    return cover


def do_take_cover(actor: Member, cover: CoverRequest) -> None:
    """``actor`` takes the shift: the original supporter is off that day and ``actor`` is on for those hours."""
    check_is_supporter(actor)
    with transaction.atomic():
        cover = (
            CoverRequest.objects.select_for_update(of=("self",)).select_related("pattern__supporter").get(pk=cover.pk)
        )
        if cover.state != CoverRequest.State.OPEN:
            raise ActionError("Someone has already covered that shift, or it was withdrawn. Thank you for offering.")
        if cover.pattern.supporter_id == actor.pk:
            raise ActionError("You can't cover your own shift.")
        p = cover.pattern
        ShiftException.objects.create(
            supporter=p.supporter, date=cover.date, kind=ShiftException.Kind.OFF, note="covered"
        )
        ShiftException.objects.create(
            supporter=actor, date=cover.date, kind=ShiftException.Kind.EXTRA, starts=p.starts, ends=p.ends, note="cover"
        )
        cover.state, cover.covered_by = CoverRequest.State.COVERED, actor
        cover.save(update_fields=["state", "covered_by"])
        audit.log_action(
            "availability.cover.taken",
            actor=actor,
            subject=p.supporter,
            obj=cover,
            data={"date": cover.date.isoformat()},
        )


def do_step_off_rota(actor: Member, supporter: Member, now: datetime | None = None) -> int:
    """Someone stepping back: their regular shifts end today, future extra shifts go, open cover requests are
    withdrawn and they are checked out. The rota then shows the gaps to fill. Returns how many shifts ended."""
    policy.require(actor, Perm.MANAGE_ROTA)
    now = now or timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        patterns = ShiftPattern.objects.filter(supporter=supporter).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=today)
        )
        ended = patterns.count()
        patterns.filter(valid_from__gte=today).delete()
        patterns.update(valid_until=today - timedelta(days=1))
        ended += ShiftException.objects.filter(
            supporter=supporter, kind=ShiftException.Kind.EXTRA, date__gte=today
        ).delete()[0]
        CoverRequest.objects.filter(pattern__supporter=supporter, state=CoverRequest.State.OPEN).update(
            state=CoverRequest.State.WITHDRAWN
        )
        DutySession.objects.filter(supporter=supporter, ended_at__isnull=True).update(ended_at=now)
        audit.log_action(
            "availability.shift.removed", actor=actor, subject=supporter, data={"when": "all their shifts"}
        )
    return ended


# --- Service hours and staffing rules ------------------------------------------------------------


def _check_hours(closed: bool, opens: time | None, closes: time | None) -> None:
    if not closed and (opens is None or closes is None or closes <= opens):
        raise ActionError("Opening hours need an opening time and a later closing time, on the same day.")


def do_set_service_hours(
    actor: Member, weekday: int, *, closed: bool, opens: time | None = None, closes: time | None = None
) -> ServiceHours:
    """Set one weekday's usual hours (wall-clock), or mark it closed every week."""
    policy.require(actor, Perm.MANAGE_ROTA)
    if weekday not in range(7):
        raise ActionError("Choose a day of the week.")
    _check_hours(closed, opens, closes)
    with transaction.atomic():
        hours, _ = ServiceHours.objects.update_or_create(
            weekday=weekday,
            defaults={"closed": closed, "opens": opens or DEFAULT_OPENS, "closes": closes or DEFAULT_CLOSES},
        )
        audit.log_action("availability.hours.changed", actor=actor, obj=hours, data={"when": str(hours)})
    return hours


def do_set_service_exception(
    actor: Member,
    day: date,
    *,
    closed: bool,
    opens: time | None = None,
    closes: time | None = None,
    note: str = "",
) -> ServiceException:
    """Other hours on one date (a holiday, a training day): closed, or open at these times."""
    policy.require(actor, Perm.MANAGE_ROTA)
    _check_hours(closed, opens, closes)
    with transaction.atomic():
        exception, _ = ServiceException.objects.update_or_create(
            date=day,
            defaults={
                "closed": closed,
                "opens": None if closed else opens,
                "closes": None if closed else closes,
                "note": note.strip()[:100],
            },
        )
        when = "closed" if closed else f"{opens:%H:%M}-{closes:%H:%M}"
        audit.log_action(
            "availability.hours.exception",
            actor=actor,
            obj=exception,
            data={"date": day.isoformat(), "when": when},
        )
    return exception


def do_remove_service_exception(actor: Member, exception: ServiceException) -> None:
    policy.require(actor, Perm.MANAGE_ROTA)
    with transaction.atomic():
        exception.delete()
        audit.log_action("availability.hours.exception_removed", actor=actor, data={"date": exception.date.isoformat()})


def do_add_staffing_rule(
    actor: Member,
    *,
    who: str,
    minimum: int,
    weekdays: list[int] | None = None,
    starts: time | None = None,
    ends: time | None = None,
    note: str = "",
) -> StaffingRule:
    """Add "at least N of these people on, on these days, at these times" to the rules gaps are checked against.

    The first rule a coordinator writes replaces Hearth's starting rule, so that one is written down
    (as a row they can remove) at the same moment.
    """
    policy.require(actor, Perm.MANAGE_ROTA)
    if who not in RuleRole.values:
        raise ActionError("Choose who the rule is about.")
    if not 1 <= minimum <= 50:
        raise ActionError("A rule needs at least one person, and at most 50.")
    weekdays = sorted(set(weekdays or []))
    if any(d not in range(7) for d in weekdays):
        raise ActionError("Choose days of the week from the list.")
    if (starts is None) != (ends is None) or (starts is not None and ends is not None and ends <= starts):
        raise ActionError("Give both times, the second later than the first, or neither for all service hours.")
    with transaction.atomic():
        if not StaffingRule.objects.select_for_update().exists():
            for starting in STARTING_RULES:
                StaffingRule.objects.create(who=starting.who, minimum=starting.minimum, note=starting.note)
        rule = StaffingRule.objects.create(
            who=who, minimum=minimum, weekdays=weekdays, starts=starts, ends=ends, note=note.strip()[:100]
        )
        audit.log_action("availability.rule.added", actor=actor, obj=rule, data={"rule": rule.describe()})
    return rule


def do_remove_staffing_rule(actor: Member, rule: StaffingRule) -> None:
    policy.require(actor, Perm.MANAGE_ROTA)
    with transaction.atomic():
        description = rule.describe()
        rule.delete()
        audit.log_action("availability.rule.removed", actor=actor, data={"rule": description})


# --- On call -------------------------------------------------------------------------------------


def do_add_on_call(
    actor: Member, *, person: Member, weekday: int, starts: time, ends: time, channel: str
) -> OnCallSlot:
    """Put someone on call for weekly hours: reached by ``channel`` when a crisis alert comes in with nobody on duty."""
    policy.require(actor, Perm.MANAGE_ROTA)
    if not may_be_on_call(person) or not person.is_active:
        raise ActionError(
            f"{person.display_name} can't be on call: only peer workers, counsellors and coordinators handle crisis"
            " alerts."
        )
    if weekday not in range(7):
        raise ActionError("Choose the day the on-call hours start.")
    if channel not in OnCallSlot.Channel.values:
        raise ActionError("Choose how they are reached: push to their phone, or email.")
    with transaction.atomic():
        slot = OnCallSlot.objects.create(person=person, weekday=weekday, starts=starts, ends=ends, channel=channel)
        audit.log_action(
            "availability.on_call.added",
            actor=actor,
            subject=person,
            obj=slot,
            data={"when": slot.describe(), "channel": slot.get_channel_display().lower()},
        )
    return slot


def do_remove_on_call(actor: Member, slot: OnCallSlot) -> None:
    policy.require(actor, Perm.MANAGE_ROTA)
    with transaction.atomic():
        audit.log_action(
            "availability.on_call.removed", actor=actor, subject=slot.person, data={"when": slot.describe()}
        )
        slot.delete()


# --- Filling gaps and open shifts ------------------------------------------------------------------


def _rota_around(day: date) -> Rota:
    """The week of ``day`` (for weekly hour caps and who is already on)."""
    return Rota(week_start(day), 7)


class Eligibility:
    """Who could take which shift, around one week's rota: supporters and profiles loaded once."""

    def __init__(self, rota: Rota) -> None:
        self.rota = rota
        self.people = list(supporters_query())
        self.profiles = supporter_profiles(self.people)

    def for_shift(self, day: date, starts: time, ends: time, who: str, exclude: set[int] | None = None) -> list[Member]:
        """The right role, not already on then, not on a break, under their weekly cap; those who said the day
        and time suit them first, then those who gave no preferences, then the rest, each by name."""
        length = (datetime.combine(day, ends) - datetime.combine(day, starts)).total_seconds() / 3600
        already = {row.supporter.pk for row in self.rota.shifts_on(day) if row.starts < ends and starts < row.ends}
        out = []
        for person in self.people:
            profile = self.profiles[person.pk]
            if not counts_as(person, who) or person.pk in already or person.pk in (exclude or set()):
                continue
            if profile.away_on(day):
                continue
            if profile.max_hours_per_week and self.rota.hours_of(person.pk) + length > profile.max_hours_per_week:
                continue
            out.append(person)
        return sorted(
            out, key=lambda p: (self.profiles[p.pk].suits_rank(day.weekday(), starts), p.display_name.lower())
        )


def eligible_for_shift(day: date, starts: time, ends: time, who: str) -> list[Member]:
    """Supporters who could take this shift (see :meth:`Eligibility.for_shift`)."""
    return Eligibility(_rota_around(day)).for_shift(day, starts, ends, who)


def do_fill_gap(actor: Member, supporter: Member, day: date, starts: time, ends: time) -> ShiftException:
    """Put ``supporter`` on the rota for these hours on ``day`` (the coordinator's one tap on a gap)."""
    policy.require(actor, Perm.MANAGE_ROTA)
    check_is_supporter(supporter)
    with transaction.atomic():
        extra = do_add_extra_shift(actor, supporter, day, starts, ends, note="filling a gap")
        audit.log_action(
            "availability.gap.filled", actor=actor, subject=supporter, obj=extra, data={"date": day.isoformat()}
        )
        if supporter.pk != actor.pk:
            send_email(
                supporter,
                "availability/email/shift_added",
                {"supporter": supporter, "extra": extra},
                kind="availability.shift.added",
                about=extra,
            )
    return extra


def do_offer_shift(
    actor: Member, day: date, starts: time, ends: time, *, who: str = RuleRole.ANYONE, note: str = ""
) -> OpenShift:
    """Offer a shift to everyone eligible; each is told, and the first to claim it has it."""
    policy.require(actor, Perm.MANAGE_ROTA)
    if who not in RuleRole.values:
        raise ActionError("Choose who can take the shift.")
    if ends <= starts:
        raise ActionError("A shift has to end after it starts.")
    if day < timezone.localdate():
        raise ActionError("That day has passed. Choose today or a later date.")
    # Whoever offers it is asking others: they aren't offered their own offer.
    people = [p for p in eligible_for_shift(day, starts, ends, who) if p.pk != actor.pk]
    with transaction.atomic():
        offer = OpenShift.objects.create(
            date=day, starts=starts, ends=ends, who=who, note=note.strip()[:200], offered_by=actor
        )
        offer.offered_to.set(people)
        for person in people:
            if person.email_notifications:
                send_email(
                    person,
                    "availability/email/shift_offered",
                    {"offer": offer, "supporter": person},
                    kind="availability.offer.made",
                    about=offer,
                )
        audit.log_action(
            "availability.offer.made", actor=actor, obj=offer, data={"date": day.isoformat(), "count": len(people)}
        )
    return offer


def offers_for(supporter: Member, today: date | None = None) -> list[OpenShift]:
    """Open shifts offered to ``supporter`` from today on."""
    today = today or timezone.localdate()
    return list(
        OpenShift.objects.filter(state=OpenShift.State.OPEN, date__gte=today, offered_to=supporter).order_by(
            "date", "starts"
        )
    )


def do_claim_open_shift(actor: Member, offer: OpenShift, now: datetime | None = None) -> ShiftException:
    """``actor`` takes an offered shift. The first claim wins: a conditional UPDATE, so two at once can't both."""
    check_is_supporter(actor)
    now = now or timezone.now()
    if not offer.offered_to.filter(pk=actor.pk).exists() and not counts_as(actor, offer.who):
        raise ActionError("This shift is for someone in another role. Thank you for offering.")
    if offer.date < timezone.localdate(now):
        raise ActionError("That shift has passed.")
    with transaction.atomic():
        claimed = OpenShift.objects.filter(pk=offer.pk, state=OpenShift.State.OPEN).update(
            state=OpenShift.State.CLAIMED, claimed_by=actor, claimed_at=now
        )
        if not claimed:
            raise ActionError("Someone has just taken this shift, or it was withdrawn. Thank you for offering.")
        extra = ShiftException.objects.create(
            supporter=actor,
            date=offer.date,
            kind=ShiftException.Kind.EXTRA,
            starts=offer.starts,
            ends=offer.ends,
            note="offered shift",
        )
        audit.log_action("availability.offer.claimed", actor=actor, obj=offer, data={"date": offer.date.isoformat()})
        if offer.offered_by is not None and offer.offered_by_id != actor.pk:
            send_email(
                offer.offered_by,
                "availability/email/shift_claimed",
                {"offer": offer, "supporter": actor},
                kind="availability.offer.claimed",
                about=offer,
            )
        deliveries.cancel(offer, kinds=["availability.offer.made"], now=now)
    return extra


def do_withdraw_open_shift(actor: Member, offer: OpenShift) -> None:
    policy.require(actor, Perm.MANAGE_ROTA)
    with transaction.atomic():
        if not OpenShift.objects.filter(pk=offer.pk, state=OpenShift.State.OPEN).update(
            state=OpenShift.State.WITHDRAWN
        ):
            raise ActionError("That shift has already been taken or withdrawn.")
        deliveries.cancel(offer, kinds=["availability.offer.made"])
        audit.log_action("availability.offer.withdrawn", actor=actor, obj=offer, data={"date": offer.date.isoformat()})


# --- Shift reminders and missed check-ins (run by the worker) -----------------------------------------------


def _shift_starts(day: date, row: ShiftRow) -> datetime:
    """The real instant a wall-clock shift starts. In the spring-forward gap (01:30 that never happens)
    Python's ``fold=0`` reading lands an hour later in real time, which is when the shift can begin."""
    return datetime.combine(day, row.starts, tzinfo=zone())


def _when(day: date, row: ShiftRow) -> dict[str, str]:
    """A shift's date and times as words for an email (deliveries carry plain data, not dates)."""
    return {"day": f"{day:%A} {day.day} {day:%B}", "starts": f"{row.starts:%H:%M}", "ends": f"{row.ends:%H:%M}"}


def _claim_notice(supporter: Member, day: date, starts: time, kind: str, now: datetime) -> bool:
    """Insert the notice row first: the unique constraint makes each reminder or alert go once."""
    try:
        with transaction.atomic():
            ShiftNotice.objects.create(supporter=supporter, date=day, starts=starts, kind=kind, sent_at=now)
    except IntegrityError:
        return False
    return True


def send_shift_reminders(now: datetime | None = None) -> int:
    """Remind each supporter once, ``HEARTH_SHIFT_REMINDER_MINUTES`` before a shift starts. Returns how many."""
    now = now or timezone.now()
    ahead = timedelta(minutes=settings.HEARTH_SHIFT_REMINDER_MINUTES)
    today = timezone.localdate(now)
    rota = Rota(today, 2)
    sent = 0
    for day in (today, today + timedelta(days=1)):
        for row in rota.shifts_on(day):
            start = _shift_starts(day, row)
            if not now < start <= now + ahead:
                continue
            if not _claim_notice(row.supporter, day, row.starts, ShiftNotice.Kind.REMINDER, now):
                continue
            if row.supporter.email_notifications:
                with transaction.atomic():
                    send_email(
                        row.supporter,
                        "availability/email/shift_reminder",
                        {"supporter": row.supporter, **_when(day, row)},
                        kind="availability.shift.reminder",
                        now=now,
                    )
            sent += 1
    return sent


def alert_missed_check_ins(now: datetime | None = None) -> int:
    """Tell the coordinators, once per shift, when someone hasn't checked in ``HEARTH_CHECK_IN_GRACE_MINUTES``
    after their shift started (and the shift hasn't ended). Returns how many alerts went."""
    now = now or timezone.now()
    grace = timedelta(minutes=settings.HEARTH_CHECK_IN_GRACE_MINUTES)
    today = timezone.localdate(now)
    rota = Rota(today - timedelta(days=1), 2)
    checked_in = set(DutySession.objects.filter(ended_at__isnull=True).values_list("supporter_id", flat=True))
    coordinators = list(Member.objects.filter(role_grants__role=Role.COORDINATOR, is_active=True).distinct())
    sent = 0
    for day in (today - timedelta(days=1), today):
        for row in rota.shifts_on(day):
            start = _shift_starts(day, row)
            end = datetime.combine(day, row.ends, tzinfo=zone())
            if not start + grace <= now < end or row.supporter.pk in checked_in:
                continue
            if not _claim_notice(row.supporter, day, row.starts, ShiftNotice.Kind.NO_CHECK_IN, now):
                continue
            minutes = int((now - start).total_seconds() // 60)
            nobody_on = not checked_in
            with transaction.atomic():
                audit.log_action(
                    "availability.shift.no_check_in",
                    actor=None,
                    subject=row.supporter,
                    data={"minutes": minutes, "date": day.isoformat()},
                )
                for coordinator in coordinators:
                    send_email(
                        coordinator,
                        "availability/email/no_check_in",
                        {"supporter": row.supporter, **_when(day, row), "minutes": minutes, "nobody_on": nobody_on},
                        kind="availability.shift.no_check_in",
                        now=now,
                    )
            sent += 1
    return sent


def missed_check_ins(now: datetime | None = None, rota: Rota | None = None) -> list[tuple[ShiftRow, datetime]]:
    """Shifts under way today whose supporter hasn't checked in (past the grace time): for the rota page.

    ``rota`` may be any loaded rota that includes today (the page passes its week)."""
    now = now or timezone.now()
    grace = timedelta(minutes=settings.HEARTH_CHECK_IN_GRACE_MINUTES)
    today = timezone.localdate(now)
    checked_in = set(DutySession.objects.filter(ended_at__isnull=True).values_list("supporter_id", flat=True))
    out = []
    for row in (rota or Rota(today, 1)).shifts_on(today):
        start = _shift_starts(today, row)
        if start + grace <= now < datetime.combine(today, row.ends, tzinfo=zone()) and (
            row.supporter.pk not in checked_in
        ):
            out.append((row, start))
    return out


# --- Supporter profiles -------------------------------------------------------------------------

PROFILE_FIELDS = (
    "modes",
    "languages",
    "experience",
    "gender",
    "age_band",
    "max_open_conversations",
    "max_hours_per_week",
    "preferred_days",
    "preferred_times",
    "away_until",
)


def check_can_edit_profile_of(actor: Member, supporter: Member) -> None:
    """Supporters edit their own profile; coordinators edit anyone's."""
    if policy.can(actor, Perm.MANAGE_SUPPORTERS):
        return
    if actor.pk == supporter.pk and policy.can(actor, Perm.TAKE_SHIFTS):
        return
    raise ActionError("You can change only your own supporter profile. A coordinator can change anyone's.")


def do_save_supporter_profile(actor: Member, supporter: Member, **values: Any) -> SupporterProfile:
    """Save the matching values, caps and availability of ``supporter`` (chosen values only)."""
    check_can_edit_profile_of(actor, supporter)
    check_is_supporter(supporter)
    unknown = set(values) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"not supporter profile fields: {sorted(unknown)}")
    if "modes" in values and not set(values["modes"]) & set(Mode.values):
        raise ActionError("Choose at least one way to talk with members.")
    checks = {
        "modes": Mode.values,
        "languages": dict(LANGUAGES),
        "preferred_times": TimeOfDay.values,
        "preferred_days": range(7),
    }
    for field, allowed in checks.items():
        if any(v not in allowed for v in values.get(field, [])):
            raise ActionError("Choose from the options shown.")
    if values.get("gender", "") not in Gender.values or values.get("age_band", "") not in AgeBand.values:
        raise ActionError("Choose from the options shown.")
    if "experience" in values:
        values["experience"] = normalise_tags(values["experience"])
    with transaction.atomic():
        profile, _ = SupporterProfile.objects.select_for_update().get_or_create(
            member=supporter, defaults={"gender": default_profile(supporter).gender, "age_band": supporter.age_band}
        )
        for field, value in values.items():
            setattr(profile, field, sorted(value) if field in ("modes", "preferred_days") else value)
        profile.save()
        audit.log_action("availability.profile.saved", actor=actor, subject=supporter, obj=profile)
    send_event_on_commit([DUTY_GROUP], {"kind": "duty.changed"})
    return profile


def supporter_profiles(supporters: list[Member]) -> dict[int, SupporterProfile]:
    """Profiles for these supporters (saved ones, or the defaults matching uses), in one query."""
    saved = {p.member_id: p for p in SupporterProfile.objects.filter(member__in=supporters)}
    return {s.pk: saved.get(s.pk) or default_profile(s) for s in supporters}


# --- On duty --------------------------------------------------------------------------------


def on_duty_supporters() -> list[Member]:
    return list(
        Member.objects.filter(
            pk__in=DutySession.objects.filter(ended_at__isnull=True).values("supporter_id"), is_active=True
        )
        .prefetch_related("role_grants")
        .order_by("display_name")
    )


def is_on_duty(supporter: Member) -> bool:
    return DutySession.objects.filter(supporter=supporter, ended_at__isnull=True).exists()


def do_check_in(supporter: Member, now: datetime | None = None) -> DutySession:
    check_is_supporter(supporter)
    now = now or timezone.now()
    try:
        with transaction.atomic():
            session = DutySession.objects.create(supporter=supporter, started_at=now)
    except IntegrityError:
        raise ActionError("You're already checked in.") from None
    send_event_on_commit([DUTY_GROUP], {"kind": "duty.changed"})
    return session


def do_check_out(supporter: Member, now: datetime | None = None) -> None:
    now = now or timezone.now()
    with transaction.atomic():
        DutySession.objects.filter(supporter=supporter, ended_at__isnull=True).update(ended_at=now)
    send_event_on_commit([DUTY_GROUP], {"kind": "duty.changed"})


# --- Handover between shifts ----------------------------------------------------------------------

# How far back the handover page reads: the last two days covers "since my last shift" for most rotas
# without keeping old notes in front of people.
HANDOVER_WINDOW = timedelta(days=2)


def do_write_handover(author: Member, note: str, now: datetime | None = None) -> HandoverNote:
    """Leave a note for the next shifts (encrypted). Any supporter may; staff read them."""
    policy.require(author, Perm.WRITE_HANDOVER)
    note = note.strip()
    if len(note) < 3:
        raise ActionError("Write what the next people on should know: a line is plenty.")
    if len(note) > 2000:
        raise ActionError("Keep a handover note under 2,000 characters.")
    with transaction.atomic():
        handover = HandoverNote(author=author, written_at=now or timezone.now())
        handover.set_note(note)
        handover.save()
        audit.log_action("availability.handover.written", actor=author, obj=handover)
    return handover


def handover_notes(reader: Member, now: datetime | None = None) -> list[tuple[HandoverNote, str]]:
    """The handover notes of the last two days, newest first, with their words. Staff only; each look with
    notes in it is audited once."""
    policy.require(reader, Perm.READ_HANDOVER)
    since = (now or timezone.now()) - HANDOVER_WINDOW
    notes = list(HandoverNote.objects.filter(written_at__gte=since).select_related("author")[:50])
    if notes:
        audit.log_action("availability.handover.read", actor=reader, data={"count": len(notes)})
    return [(n, n.note()) for n in notes]


def handover_count_since_last_shift(reader: Member, now: datetime | None = None) -> int:
    """How many notes others left since ``reader`` last checked out (within the window): for the duty desk's
    link, so staff see there is something to read before they start. Zero for anyone who may not read them."""
    if not policy.can(reader, Perm.READ_HANDOVER):
        return 0
    since = (now or timezone.now()) - HANDOVER_WINDOW
    last_out = (
        DutySession.objects.filter(supporter=reader, ended_at__isnull=False)
        .order_by("-ended_at")
        .values_list("ended_at", flat=True)
        .first()
    )
    if last_out and last_out > since:
        since = last_out
    return HandoverNote.objects.filter(written_at__gte=since).exclude(author=reader).count()


# --- Talk now ----------------------------------------------------------------------------------


def _state(now: datetime) -> tuple[list[matching.SupporterFacts], list[TalkRequest], dict[int, set[int]]]:
    on_duty = matching.facts_for(on_duty_supporters())
    waiting = list(TalkRequest.objects.filter(state=TalkRequest.State.WAITING).order_by("-urgent", "created_at", "id"))
    skipped: dict[int, set[int]] = {}
    for req_id, sup_id in TalkSkip.objects.filter(request__state=TalkRequest.State.WAITING).values_list(
        "request_id", "supporter_id"
    ):
        skipped.setdefault(sup_id, set()).add(req_id)
    return on_duty, waiting, skipped


def queue_for_supporter(supporter: Member, now: datetime | None = None) -> list[TalkRequest]:
    """What ``supporter`` may take now, in order (empty when they are not on duty)."""
    now = now or timezone.now()
    on_duty, waiting, skipped = _state(now)
    me = next((f for f in on_duty if f.member.pk == supporter.pk), None)
    if me is None:
        return []
    return matching.queue_for(me, waiting, on_duty, skipped.get(supporter.pk, set()), now)


def _notify_supporters_of_queue() -> None:
    """Tell each on-duty supporter their queue changed (no content: the page fetches what they may see)."""
    send_event_on_commit([DUTY_GROUP], {"kind": "talk.queue_changed"})


def check_open_request(member: Member) -> None:
    if TalkRequest.objects.filter(member=member, state__in=[TalkRequest.State.WAITING]).exists():
        raise ActionError("You're already waiting to talk. We'll let you know here as soon as someone is free.")


def do_request_talk(
    member: Member,
    *,
    mode: str = Mode.TEXT,
    prefer_gender: str = "",
    prefer_age_band: str = "",
    prefer_experience: str = "",
    prefer_language: str = "",
    prefer_previous: bool = False,
    strict_match: bool = False,
    message: str = "",
    phone_for_callback: str = "",
    urgent: bool = False,
    now: datetime | None = None,
) -> TalkRequest:
    """Ask to talk now; with nobody on duty it becomes a message the next supporter sees first."""
    now = now or timezone.now()
    if mode not in Mode.values:
        raise ActionError("Choose how you'd like to talk: text chat, a phone call back, or video.")
    if mode == Mode.PHONE and not (phone_for_callback or member.phone):
        raise ActionError("Add a phone number so a supporter can call you back.")
    if prefer_language and prefer_language not in dict(LANGUAGES):
        raise ActionError("Choose a language from the list, or leave it as no preference.")
    if prefer_age_band not in AgeBand.values:
        raise ActionError("Choose an age group from the list, or leave it as no preference.")
    with transaction.atomic():
        check_open_request(member)
        nobody_on = not DutySession.objects.filter(ended_at__isnull=True).exists()
        request = TalkRequest.objects.create(
            member=member,
            mode=mode,
            # Chosen values; words from elsewhere (a questionnaire) are folded the same way as profiles.
            prefer_gender=prefer_gender if prefer_gender in Gender.values else gender_from_words(prefer_gender),
            prefer_age_band=prefer_age_band,
            prefer_experience=prefer_experience.strip()[:60],
            prefer_language=prefer_language,
            prefer_previous=prefer_previous,
            strict_match=strict_match,
            message=message.strip(),
            phone_for_callback=phone_for_callback.strip(),
            urgent=urgent,
            created_at=now,
            state=TalkRequest.State.MESSAGE if nobody_on else TalkRequest.State.WAITING,
            escalate_at=None if nobody_on else now + escalate_after(),
        )
        request.screening = _screen_request(request, now)
        if nobody_on:
            # Nobody is here to escalate to: coordinators hear about it by email now (a few times an hour per
            # member: every message is still saved and shown first on the duty desk).
            if not throttle.take("talk:coordinator-email", str(member.pk), TALK_EMAILS_PER_MEMBER):
                _email_coordinators(request, "left a message while nobody was on duty")
        else:
            _notify_supporters_of_queue()
    return request


def _screen_request(request: TalkRequest, now: datetime) -> Screening | None:
    """The one screening path, for the words of a talk-now request (its message and preferences).

    A crisis makes the request urgent (only staff are offered it) and its words staff-only: a volunteer
    on the Duty desk sees that someone is waiting for the staff team, never what they wrote.
    """
    words = " ".join(filter(None, [request.message, request.prefer_experience]))
    if not words:
        return None
    screening = screen(
        author=request.member, text=words, path="availability.talk_request", object_id=request.pk, now=now
    )
    if screening.crisis:
        request.crisis = request.urgent = True
        request.save(update_fields=["crisis", "urgent"])
    return screening


def escalate_after() -> timedelta:
    return timedelta(minutes=settings.HEARTH_TALK_ESCALATE_MINUTES)


def do_update_preferences(
    member: Member, request: TalkRequest, *, strict_match: bool | None = None, mode: str | None = None
) -> None:
    """The member chooses "wait for a match" or "talk to whoever is free", or another way to talk."""
    if request.member_id != member.pk or request.state != TalkRequest.State.WAITING:
        raise ActionError("That request has already been answered or closed.")
    changes: dict[str, Any] = {}
    if strict_match is not None:
        changes["strict_match"] = strict_match
    if mode is not None:
        if mode not in Mode.values:
            raise ActionError("Choose how you'd like to talk: text chat, a phone call back, or video.")
        if mode == Mode.PHONE and not (request.phone_for_callback or member.phone):
            raise ActionError("Add a phone number so a supporter can call you back.")
        changes["mode"] = mode
    with transaction.atomic():
        TalkRequest.objects.filter(pk=request.pk, state=TalkRequest.State.WAITING).update(**changes)
    _notify_supporters_of_queue()


def do_cancel_talk(member: Member, request: TalkRequest) -> None:
    if request.member_id != member.pk:
        raise ActionError("That isn't your request.")
    with transaction.atomic():
        updated = TalkRequest.objects.filter(
            pk=request.pk, state__in=[TalkRequest.State.WAITING, TalkRequest.State.MESSAGE]
        ).update(state=TalkRequest.State.CANCELLED, closed_at=timezone.now(), escalate_at=None)
        if not updated:
            raise ActionError("That request has already been answered or closed.")
    _notify_supporters_of_queue()


def do_accept_talk(supporter: Member, request_id: int, now: datetime | None = None) -> TalkRequest:
    """Take a waiting request (or a left message): fair order, eligibility and workload are checked here."""
    now = now or timezone.now()
    with transaction.atomic():
        request = (
            TalkRequest.objects.select_for_update(of=("self",)).select_related("member").filter(pk=request_id).first()
        )
        if request is None or request.state not in (TalkRequest.State.WAITING, TalkRequest.State.MESSAGE):
            raise ActionError("Someone else has already answered this one, or the person cancelled.")
        on_duty, waiting, skipped = _state(now)
        me = next((f for f in on_duty if f.member.pk == supporter.pk), None)
        if me is None:
            raise ActionError("Check in for your shift first, then you can take requests.")
        if me.at_capacity:
            raise ActionError(
                f"You already have {me.open_conversations} open conversations. Close one before taking another."
            )
        if request.state == TalkRequest.State.WAITING:
            mine = matching.queue_for(me, waiting, on_duty, skipped.get(supporter.pk, set()), now)
            if request not in mine:
                raise ActionError("This request is waiting for someone else (urgent, or matched to preferences).")
            if mine[0].pk != request.pk:
                raise ActionError(
                    "Someone has been waiting longer. Please take the oldest request first, or skip it with a reason."
                )
        elif request.urgent and not me.is_staff:
            raise ActionError("This message is marked urgent, so a peer worker or counsellor will answer it.")
        request.state = TalkRequest.State.ACCEPTED
        request.accepted_by, request.accepted_at, request.escalate_at = supporter, now, None
        # Every way opens the one-to-one: it is where a phone or video call lives, and where to write after.
        # A message left for a phone call waits for staff (the opener refuses a way this supporter can't offer).
        request.conversation_room_id = conversations.open_for_talk(
            request.member, supporter, way=request.mode, phone=request.phone_for_callback
        )
        request.save(update_fields=["state", "accepted_by", "accepted_at", "escalate_at", "conversation_room_id"])
        audit.log_action("availability.talk.accepted", actor=supporter, subject=request.member, obj=request)
        send_event_on_commit(
            [member_group(request.member_id)],
            {"kind": "talk.accepted", "request": request.pk, "supporter": supporter.display_name, "mode": request.mode},
        )
        _notify_supporters_of_queue()
    return request


def do_skip_talk(supporter: Member, request_id: int, reason: str, now: datetime | None = None) -> None:
    reason = reason.strip()
    if len(reason) < 3:
        raise ActionError(
            "Say briefly why you're skipping this one (it's recorded, so the person isn't passed over unfairly)."
        )
    now = now or timezone.now()
    with transaction.atomic():
        request = TalkRequest.objects.filter(pk=request_id, state=TalkRequest.State.WAITING).first()
        if request is None or request not in queue_for_supporter(supporter, now):
            raise ActionError("That request isn't in your queue any more.")
        TalkSkip.objects.get_or_create(
            request=request, supporter=supporter, defaults={"reason": reason[:200], "at": now}
        )
        audit.log_action(
            "availability.talk.skipped",
            actor=supporter,
            subject=request.member,
            obj=request,
            data={"reason": reason[:200]},
        )


def do_close_talk(actor: Member, request: TalkRequest) -> None:
    if actor.pk not in (request.member_id, request.accepted_by_id) and not policy.can(actor, Perm.MANAGE_ROTA):
        raise ActionError("Only the two people talking can close this.")
    with transaction.atomic():
        TalkRequest.objects.filter(pk=request.pk, state=TalkRequest.State.ACCEPTED).update(
            state=TalkRequest.State.CLOSED, closed_at=timezone.now()
        )


def escalate_due(now: datetime | None = None) -> list[int]:
    """Escalate waiting requests nobody accepted in time: first to all on-duty staff, then to coordinators.

    Each step is claimed with a conditional UPDATE on ``escalate_at``, so two
    workers never escalate the same request twice.
    """
    now = now or timezone.now()
    escalated = []
    for request in TalkRequest.objects.filter(state=TalkRequest.State.WAITING, escalate_at__lte=now).select_related(
        "member"
    ):
        level = request.escalation_level + 1
        claimed = TalkRequest.objects.filter(
            pk=request.pk,
            state=TalkRequest.State.WAITING,
            escalation_level=request.escalation_level,
            escalate_at__lte=now,
        ).update(escalation_level=level, escalate_at=now + escalate_after() if level < 2 else None)
        if not claimed:
            continue
        minutes = int(request.wait_seconds(now) // 60)
        with transaction.atomic():
            if level == 1:
                staff = [m for m in on_duty_supporters() if policy.is_staff(m)]
                to = "the peer workers and counsellors on duty"
                groups = [member_group(m.pk) for m in staff]
            else:
                staff = list(Member.objects.filter(role_grants__role=Role.COORDINATOR, is_active=True))
                to = "the coordinators"
                groups = [member_group(m.pk) for m in staff]
                _email_coordinators(request, f"has waited {minutes} minutes with nobody answering")
            send_event_on_commit(groups, {"kind": "talk.escalated", "request": request.pk, "waited_minutes": minutes})
            audit.log_action(
                "availability.talk.escalated",
                actor=None,
                subject=request.member,
                obj=request,
                data={"minutes": minutes, "to": to},
            )
        escalated.append(request.pk)
    return escalated


# Emails to every coordinator about one member's messages left while nobody was on, an hour.
TALK_EMAILS_PER_MEMBER = throttle.Limit(2, 3600)


def _email_coordinators(request: TalkRequest, what: str) -> None:
    for coordinator in Member.objects.filter(role_grants__role=Role.COORDINATOR, is_active=True).exclude(email=""):
        send_email(
            coordinator,
            "availability/email/talk_request",
            {"request": request, "what": what},
            kind="availability.talk_request",
            about=request,
        )


# --- What a waiting member is told ------------------------------------------------------------


def place_and_estimate(request: TalkRequest, now: datetime | None = None) -> dict[str, Any]:
    """The member's honest view of the wait: place in the queue and a rough estimate, or why there is none."""
    now = now or timezone.now()
    on_duty, waiting, _ = _state(now)
    ahead = [
        r for r in waiting if (not r.urgent, r.created_at, r.pk) < (not request.urgent, request.created_at, request.pk)
    ]
    recent = TalkRequest.objects.filter(accepted_at__gte=now - timedelta(days=30)).values_list(
        "created_at", "accepted_at"
    )
    waits = [(a - c).total_seconds() / 60 for c, a in recent if a and c]
    typical = median(waits) if len(waits) >= 5 else 5.0
    free = [f for f in on_duty if not f.at_capacity]
    estimate = None if not on_duty else round(typical * (len(ahead) + 1) / max(1, len(free)))
    return {
        "place": len(ahead) + 1,
        "on_duty": len(on_duty),
        "estimate_minutes": estimate,
        "match_available": matching.any_match_on_duty(request, on_duty),
        "mode_available": matching.anyone_on_duty_talks_by(request.mode, on_duty),
    }


def record_talk_words_read(supporter: Member, requests: list[TalkRequest], *, can_crisis: bool) -> None:
    """The duty desk showed ``supporter`` these members' words: an audited read (once per request a while)."""
    for talk in requests:
        if talk.message and (can_crisis or not talk.crisis):
            audit.log_read("availability.talk.viewed", actor=supporter, subject=talk.member, obj=talk)


def unanswered_messages() -> list[TalkRequest]:
    """Messages left while nobody was on, oldest first: the next supporter on duty sees these first."""
    return list(
        TalkRequest.objects.filter(state=TalkRequest.State.MESSAGE).select_related("member").order_by("created_at")
    )


def open_conversations_for(supporter: Member) -> list[TalkRequest]:
    return list(
        TalkRequest.objects.filter(accepted_by=supporter, state=TalkRequest.State.ACCEPTED).select_related("member")
    )


def my_requests(member: Member) -> list[TalkRequest]:
    return list(
        TalkRequest.objects.filter(member=member)
        .filter(Q(state__in=[TalkRequest.State.WAITING, TalkRequest.State.MESSAGE, TalkRequest.State.ACCEPTED]))
        .select_related("accepted_by")
        .order_by("-created_at")
    )
