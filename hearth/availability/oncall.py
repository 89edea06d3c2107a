"""On call: who is reached when a crisis alert comes in and nobody is on duty (reads only; writes in actions.py).

A slot is weekly wall-clock hours in the organisation's zone (see :class:`~hearth.availability.models.OnCallSlot`).
:func:`on_call_at` answers for one instant; :func:`uncovered` walks the coming week in real hours (UTC steps,
as the rota does, so daylight-saving nights come out right) and finds the hours nobody is on the rota *and*
nobody is on call — what a coordinator needs to fill.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.utils import timezone

from hearth.availability.models import OnCallSlot
from hearth.availability.rota import Rota, hour_slots, zone
from hearth.members import policy
from hearth.members.models import Member
from hearth.members.policy import Perm


def may_be_on_call(person: Member) -> bool:
    """Only people who may handle crisis alerts (never volunteers: they are never sent crisis details)."""
    return policy.can(person, Perm.HANDLE_CRISIS)


def on_call_at(instant: datetime | None = None) -> list[OnCallSlot]:
    """The slots covering ``instant`` (default now) whose person may still take them, by person's name."""
    local = (instant or timezone.now()).astimezone(zone())
    clock, weekday = local.time().replace(tzinfo=None), local.weekday()
    slots = OnCallSlot.objects.filter(weekday__in=[weekday, (weekday - 1) % 7], person__is_active=True)
    found = [
        s
        for s in slots.select_related("person").prefetch_related("person__role_grants")
        if s.covers(weekday, clock) and may_be_on_call(s.person)
    ]
    return sorted(found, key=lambda s: (s.person.display_name, s.pk))


@dataclass
class Uncovered:
    """Consecutive real hours with nobody on the rota and nobody on call (local start and end)."""

    start: datetime
    end: datetime
    hours: int


def uncovered(now: datetime | None = None, days: int = 7) -> list[Uncovered]:
    """The hours from now for ``days`` days when a crisis alert would reach only the coordinators."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    rota = Rota(today, days + 1)
    slots = list(OnCallSlot.objects.filter(person__is_active=True).select_related("person"))
    slots = [s for s in slots if may_be_on_call(s.person)]
    tz = zone()
    end_of_span = now + timedelta(days=days)
    blocks: list[Uncovered] = []
    for t in hour_slots(today, days + 1):
        if t + timedelta(hours=1) <= now or t >= end_of_span:
            continue
        local = t.astimezone(tz)
        clock = local.time().replace(tzinfo=None)
        if rota.on_at(t) or any(s.covers(local.weekday(), clock) for s in slots):
            continue
        end = (t.astimezone(UTC) + timedelta(hours=1)).astimezone(tz)
        if blocks and blocks[-1].end == local:
            blocks[-1].end, blocks[-1].hours = end, blocks[-1].hours + 1
        else:
            blocks.append(Uncovered(start=local, end=end, hours=1))
    return blocks
