"""Who is scheduled when: recurring patterns plus one-off exceptions, in real instants.

The rota is written in wall-clock times of the organisation's zone. We walk the
week in *UTC* hour steps and read each step's local time, so daylight-saving
days come out right without special cases: the spring-forward Sunday has 23
hourly slots (01:00-02:00 local never happens, so a shift written as 01:00-03:00
covers one real hour), the autumn Sunday has 25 (01:00-02:00 local happens
twice, and a shift covering it is on for both). Zones whose offsets are not
whole hours would need smaller steps; Hearth's defaults are whole-hour zones.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from hearth.availability.models import (
    DEFAULT_CLOSES,
    DEFAULT_OPENS,
    RULE_ROLE_ONE,
    STARTING_RULES,
    RuleRole,
    ServiceException,
    ServiceHours,
    ShiftException,
    ShiftPattern,
    StaffingRule,
)
from hearth.members import policy
from hearth.members.models import Member


def zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def hour_slots(start_day: date, days: int) -> list[datetime]:
    """Every real hour (as aware UTC instants) from local midnight of ``start_day`` for ``days`` local days."""
    tz = zone()
    first = datetime.combine(start_day, time(0), tzinfo=tz).astimezone(UTC)
    last = datetime.combine(start_day + timedelta(days=days), time(0), tzinfo=tz).astimezone(UTC)
    slots = []
    t = first
    while t < last:
        slots.append(t)
        t += timedelta(hours=1)
    return slots


def counts_as(person: Member, who: str) -> bool:
    """Does this person count towards a rule about ``who`` (a :class:`RuleRole` value)?"""
    if who == RuleRole.ANYONE:
        return True
    if who == RuleRole.STAFF:
        return policy.is_staff(person)
    return who in person.roles


@dataclass(frozen=True)
class Shortfall:
    """One staffing rule not met in one hour: ``have`` of the ``rule.minimum`` it asks for."""

    rule: StaffingRule
    have: int

    @property
    def who(self) -> str:
        return self.rule.who

    def text(self) -> str:
        need, who = self.rule.minimum, RuleRole(self.rule.who)
        if who == RuleRole.STAFF and self.have == 0 and need == 1:
            return "Volunteers only, no peer worker behind them"
        if need == 1:
            return f"No {RULE_ROLE_ONE[who]} on the rota"
        many = "people" if who == RuleRole.ANYONE else who.label.lower()
        return f"{self.have} of {need} {many} on the rota"


# The one rule that needs no writing down: an hour of service with nobody on is a gap.
SOMEONE = StaffingRule(who=RuleRole.ANYONE, minimum=1, note="Someone on whenever the service is open")


@dataclass
class Slot:
    start: datetime  # aware, in the organisation's zone
    supporters: list[Member] = field(default_factory=list)
    in_service_hours: bool = True
    shortfalls: list[Shortfall] = field(default_factory=list)

    @property
    def has_staff(self) -> bool:
        return any(policy.is_staff(s) for s in self.supporters)

    @property
    def gap(self) -> str:
        """Why this hour is a coverage gap, or "" when it isn't one."""
        if not self.in_service_hours or not self.shortfalls:
            return ""
        if not self.supporters:
            return "Nobody on the rota"
        return "; ".join(s.text() for s in self.shortfalls)

    @property
    def fill_with(self) -> str:
        """Who would close this gap first: the most specific role a rule asks for (a :class:`RuleRole` value)."""
        specific = [s.who for s in self.shortfalls if s.who != RuleRole.ANYONE]
        return specific[0] if specific else RuleRole.ANYONE


@dataclass
class GapBlock:
    """Consecutive hours of one day short in the same way: what the rota page shows, with a way to fill it."""

    start: datetime  # aware, local
    end: datetime  # aware, local (exclusive)
    reason: str
    who: str  # RuleRole value: who would fill it
    hours: int  # real hours (a block across a daylight-saving change has one more or one fewer)

    @property
    def day(self) -> date:
        return self.start.date()

    @property
    def starts(self) -> time:
        return self.start.time().replace(tzinfo=None)

    @property
    def ends(self) -> time:
        """Wall-clock end; a block that runs to midnight ends at 23:59 (shifts end on the day they start)."""
        return self.end.time().replace(tzinfo=None) if self.end.date() == self.day else time(23, 59)

    @property
    def key(self) -> str:
        return f"{self.day:%Y-%m-%d}-{self.starts:%H%M}"

    def who_label(self) -> str:
        return RULE_ROLE_ONE[RuleRole(self.who)]


@dataclass(frozen=True)
class ShiftRow:
    """One person's shift on one day, as the week view lists it."""

    supporter: Member
    starts: time
    ends: time
    extra: bool = False
    note: str = ""


class Rota:
    """The rota for a span of local days, loaded in a fixed number of queries."""

    def __init__(self, start_day: date, days: int = 7) -> None:
        self.start_day, self.days = start_day, days
        end_day = start_day + timedelta(days=days)
        patterns = (
            ShiftPattern.objects.filter(valid_from__lt=end_day)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=start_day))
            .select_related("supporter")
            .prefetch_related("supporter__role_grants")
        )
        self.by_weekday: dict[int, list[ShiftPattern]] = defaultdict(list)
        for p in patterns:
            self.by_weekday[p.weekday].append(p)
        self.off: set[tuple[int, date]] = set()
        self.extras: dict[date, list[ShiftException]] = defaultdict(list)
        exceptions = (
            ShiftException.objects.filter(date__gte=start_day - timedelta(days=1), date__lt=end_day)
            .select_related("supporter")
            .prefetch_related("supporter__role_grants")
        )
        for e in exceptions:
            if e.kind == ShiftException.Kind.OFF:
                self.off.add((e.supporter_id, e.date))
            else:
                self.extras[e.date].append(e)
        self.weekly = {h.weekday: h for h in ServiceHours.objects.all()}
        self.exceptions = {e.date: e for e in ServiceException.objects.filter(date__gte=start_day, date__lt=end_day)}
        self.rules = list(StaffingRule.objects.all()) or list(STARTING_RULES)
        self._hours: defaultdict[int, float] | None = None

    def service_hours(self, day: date) -> tuple[time, time] | None:
        """When the service is open on ``day`` (wall-clock), or None when it is closed all day."""
        exception = self.exceptions.get(day)
        if exception is not None:
            if exception.closed or exception.opens is None or exception.closes is None:
                return None
            return exception.opens, exception.closes
        weekly = self.weekly.get(day.weekday())
        if weekly is None:
            return DEFAULT_OPENS, DEFAULT_CLOSES
        return None if weekly.closed else (weekly.opens, weekly.closes)

    def _on(self, day: date, clock: time) -> dict[int, Member]:
        people: dict[int, Member] = {}
        for p in self.by_weekday.get(day.weekday(), []):
            if (
                p.starts <= clock < p.ends
                and p.valid_from <= day
                and (p.valid_until is None or day <= p.valid_until)
                and (p.supporter_id, day) not in self.off
            ):
                people[p.supporter_id] = p.supporter
        for e in self.extras.get(day, []):
            if e.starts is not None and e.ends is not None and e.starts <= clock < e.ends:
                people[e.supporter_id] = e.supporter
        return people

    def on_at(self, instant: datetime) -> list[Member]:
        local = instant.astimezone(zone())
        people = self._on(local.date(), local.time().replace(tzinfo=None))
        return sorted(people.values(), key=lambda m: m.display_name)

    def shortfalls(self, local: datetime, people: list[Member]) -> list[Shortfall]:
        """The rules this hour doesn't meet (the unwritten "someone on" rule first)."""
        clock = local.time().replace(tzinfo=None)
        out = []
        for rule in [SOMEONE, *self.rules]:
            if rule.applies(local.weekday(), clock):
                have = sum(1 for p in people if counts_as(p, rule.who))
                if have < rule.minimum:
                    out.append(Shortfall(rule, have))
        return out

    def slots(self) -> list[Slot]:
        tz = zone()
        out = []
        for t in hour_slots(self.start_day, self.days):
            local = t.astimezone(tz)
            hours = self.service_hours(local.date())
            open_now = hours is not None and hours[0] <= local.time().replace(tzinfo=None) < hours[1]
            people = self.on_at(t)
            out.append(
                Slot(
                    start=local,
                    supporters=people,
                    in_service_hours=open_now,
                    shortfalls=self.shortfalls(local, people) if open_now else [],
                )
            )
        return out

    def gaps(self) -> list[Slot]:
        return [s for s in self.slots() if s.gap]

    def gap_blocks(self, slots: list[Slot] | None = None) -> list[GapBlock]:
        """Gaps merged into blocks: consecutive hours of one local day with the same reason."""
        blocks: list[GapBlock] = []
        for slot in slots if slots is not None else self.slots():
            if not slot.gap:
                continue
            end = (slot.start.astimezone(UTC) + timedelta(hours=1)).astimezone(zone())
            last = blocks[-1] if blocks else None
            if (
                last is not None
                and last.end == slot.start
                and last.day == slot.start.date()
                and (last.reason, last.who) == (slot.gap, slot.fill_with)
            ):
                last.end, last.hours = end, last.hours + 1
            else:
                blocks.append(GapBlock(start=slot.start, end=end, reason=slot.gap, who=slot.fill_with, hours=1))
        return blocks

    def shifts_on(self, day: date) -> list[ShiftRow]:
        """Everyone's shifts on ``day`` (regular ones not marked off, and extra ones), by start time."""
        rows = [
            ShiftRow(p.supporter, p.starts, p.ends)
            for p in self.by_weekday.get(day.weekday(), [])
            if p.valid_from <= day
            and (p.valid_until is None or day <= p.valid_until)
            and (p.supporter_id, day) not in self.off
        ]
        rows += [
            ShiftRow(e.supporter, e.starts, e.ends, extra=True, note=e.note)
            for e in self.extras.get(day, [])
            if e.starts is not None and e.ends is not None
        ]
        return sorted(rows, key=lambda r: (r.starts, r.supporter.display_name))

    def hours_of(self, supporter_id: int) -> float:
        """Wall-clock hours ``supporter_id`` is on the rota in this span (for weekly caps)."""
        if self._hours is None:
            self._hours = defaultdict(float)
            for offset in range(self.days):
                day = self.start_day + timedelta(days=offset)
                for row in self.shifts_on(day):
                    length = datetime.combine(day, row.ends) - datetime.combine(day, row.starts)
                    self._hours[row.supporter.pk] += length.total_seconds() / 3600
        return self._hours[supporter_id]


def next_scheduled_start(now: datetime | None = None, horizon_days: int = 14) -> datetime | None:
    """When the next supporter's shift starts (strictly after now), or None if nobody is within the horizon.

    Someone already on the rota now is not "next": if their shift is running but they haven't checked
    in, the answer is the next time someone *else* is due (see :func:`rostered_now` for the honest
    "should be on now" line), never "now" dressed up as a start time.
    """
    now = now or timezone.now()
    rota = Rota(timezone.localdate(now), horizon_days)
    if not rota.by_weekday and not rota.extras:
        return None  # nobody on the rota at all: no need to look at every hour
    on_now = {m.pk for m in rota.on_at(now)}
    for t in hour_slots(rota.start_day, rota.days):
        if t <= now:
            continue
        on_then = {m.pk for m in rota.on_at(t)}
        if on_then - on_now:
            return t.astimezone(zone())
        on_now &= on_then  # someone whose shift ended counts as arriving next time
    return None


def rostered_now(now: datetime | None = None) -> bool:
    """Whether the rota has someone on at this moment (whether or not they have checked in)."""
    now = now or timezone.now()
    return bool(Rota(timezone.localdate(now), 1).on_at(now))
