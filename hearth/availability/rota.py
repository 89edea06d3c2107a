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

from hearth.availability.models import ServiceHours, ShiftException, ShiftPattern
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


@dataclass
class Slot:
    start: datetime  # aware, in the organisation's zone
    supporters: list[Member] = field(default_factory=list)
    in_service_hours: bool = True

    @property
    def has_staff(self) -> bool:
        return any(policy.is_staff(s) for s in self.supporters)

    @property
    def gap(self) -> str:
        """Why this hour is a coverage gap, or "" when it isn't one."""
        if not self.in_service_hours:
            return ""
        if not self.supporters:
            return "Nobody on the rota"
        if not self.has_staff:
            return "Volunteers only, no peer worker behind them"
        return ""


class Rota:
    """The rota for a span of local days, loaded in three queries."""

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
        hours = {h.weekday: h for h in ServiceHours.objects.all()}
        self.service = {d: (hours[d].opens, hours[d].closes) if d in hours else (time(9), time(22)) for d in range(7)}

    def on_at(self, instant: datetime) -> list[Member]:
        local = instant.astimezone(zone())
        day, clock = local.date(), local.time()
        people: dict[int, Member] = {}
        for p in self.by_weekday.get(local.weekday(), []):
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
        return sorted(people.values(), key=lambda m: m.display_name)

    def slots(self) -> list[Slot]:
        tz = zone()
        out = []
        for t in hour_slots(self.start_day, self.days):
            local = t.astimezone(tz)
            opens, closes = self.service[local.weekday()]
            out.append(Slot(start=local, supporters=self.on_at(t), in_service_hours=opens <= local.time() < closes))
        return out

    def gaps(self) -> list[Slot]:
        return [s for s in self.slots() if s.gap]


def next_scheduled_start(now: datetime | None = None, horizon_days: int = 14) -> datetime | None:
    """When the next supporter's shift starts (strictly after now), or None if nobody is within the horizon.

    Someone already on the rota now is not "next": if their shift is running but they haven't checked
    in, the answer is the next time someone *else* is due (see :func:`rostered_now` for the honest
    "should be on now" line), never "now" dressed up as a start time.
    """
    now = now or timezone.now()
    rota = Rota(timezone.localdate(now), horizon_days)
    on_now = {m.pk for m in rota.on_at(now)}
    for t in hour_slots(rota.start_day, rota.days):
        if t <= now:
            continue
        arriving = {m.pk for m in rota.on_at(t)} - on_now
        if arriving:
            return t.astimezone(zone())
        on_now &= {m.pk for m in rota.on_at(t)}  # someone whose shift ended counts as arriving next time
    return None


def rostered_now(now: datetime | None = None) -> bool:
    """Whether the rota has someone on at this moment (whether or not they have checked in)."""
    now = now or timezone.now()
    return bool(Rota(timezone.localdate(now), 1).on_at(now))
