"""The demo organisation's rota and talk-now history (one definition, used by seed_demo and the simulation).

Service hours are 10:00-22:00. The rota covers them with a mix of peer workers,
counsellors and volunteers, with one visible gap: Sunday 10:00-14:00 has nobody,
and Saturday 18:00-22:00 has volunteers only.
"""

from __future__ import annotations

import random
from datetime import time, timedelta

from django.utils import timezone

from hearth.availability.models import (
    OpenShift,
    RuleRole,
    ServiceException,
    ServiceHours,
    ShiftNotice,
    ShiftPattern,
    StaffingRule,
    SupporterProfile,
    TalkRequest,
)
from hearth.availability.profiles import gender_from_words
from hearth.members.models import Member, Role, RoleGrant

# (weekday, start hour, end hour, role of the supporter who takes it)
DEMO_ROTA: list[tuple[int, int, int, str]] = [
    *[(d, 10, 14, Role.PEER_WORKER) for d in range(6)],
    *[(d, 14, 18, Role.PEER_WORKER) for d in range(7)],
    *[(d, 14, 18, Role.VOLUNTEER) for d in (0, 2, 4)],
    *[(d, 18, 22, Role.COUNSELLOR) for d in range(5)],
    *[(d, 18, 22, Role.VOLUNTEER) for d in range(7)],
    (6, 18, 22, Role.PEER_WORKER),
]
SERVICE_OPENS, SERVICE_CLOSES = 10, 22
DEMO_LANGUAGES = ["Welsh", "Polish", "Urdu", "British Sign Language", "Punjabi"]
ALL_MODES = ["phone", "text", "video"]
EXPERIENCE = ["carer", "bereavement", "student life", "men's mental health", "new parent", "LGBTQ+", "recovery"]


def seed(rng: random.Random, people: list[Member]) -> None:
    for day in range(7):
        ServiceHours.objects.update_or_create(
            weekday=day, defaults={"opens": time(SERVICE_OPENS), "closes": time(SERVICE_CLOSES)}
        )
    roles: dict[int, set[str]] = {}
    for member_id, role in RoleGrant.objects.filter(member__in=people).values_list("member_id", "role"):
        roles.setdefault(member_id, set()).add(role)
    by_role: dict[str, list[Member]] = {}
    for person in people:
        held = roles.get(person.pk, set())
        for role in (Role.PEER_WORKER, Role.COUNSELLOR, Role.VOLUNTEER):
            if role in held and not (role == Role.VOLUNTEER and Role.PEER_WORKER in held):
                by_role.setdefault(role, []).append(person)
    start = timezone.localdate() - timedelta(days=120)
    patterns, counters = [], dict.fromkeys(by_role, 0)
    for weekday, starts, ends, role in DEMO_ROTA:
        pool = by_role.get(role) or by_role.get(Role.PEER_WORKER, [])
        supporter = pool[counters.get(role, 0) % len(pool)]
        counters[role] = counters.get(role, 0) + 1
        patterns.append(
            ShiftPattern(supporter=supporter, weekday=weekday, starts=time(starts), ends=time(ends), valid_from=start)
        )
    ShiftPattern.objects.bulk_create(patterns)
    supporters = {p.supporter for p in patterns}
    SupporterProfile.objects.bulk_create(
        [
            SupporterProfile(
                member=s,
                experience=rng.sample(EXPERIENCE, 2),
                languages=["English", *rng.sample(DEMO_LANGUAGES, rng.choice([0, 0, 1]))],
                # Most talk every way; a few only by text chat or only by text and phone.
                modes=rng.choice([ALL_MODES, ALL_MODES, ALL_MODES, ["text"], ["text", "phone"]]),
                gender=gender_from_words(s.gender),
                age_band=s.age_band,
                preferred_times=rng.choice([[], [], ["evening"], ["morning", "afternoon"]]),
            )
            for s in sorted(supporters, key=lambda m: m.pk)
        ]
    )
    # A few past conversations, so "someone I've talked to before" means something.
    members = [p for p in people if p.pk not in roles]
    now = timezone.now()
    history = []
    for i in range(12):
        asked = now - timedelta(days=rng.randint(1, 60), minutes=rng.randint(0, 600))
        supporter = rng.choice(sorted(supporters, key=lambda m: m.pk))
        history.append(
            TalkRequest(
                member=members[i % len(members)],
                mode=rng.choice(["text", "text", "phone"]),
                state=TalkRequest.State.CLOSED,
                created_at=asked,
                accepted_by=supporter,
                accepted_at=asked + timedelta(minutes=rng.randint(1, 20)),
                closed_at=asked + timedelta(minutes=rng.randint(25, 70)),
            )
        )
    TalkRequest.objects.bulk_create(history)
    _seed_staffing(rng, sorted(supporters, key=lambda m: m.pk), people)


def _seed_staffing(rng: random.Random, supporters: list[Member], people: list[Member]) -> None:
    """Staffing rules, a holiday, an offered shift and the notices the worker sent this week."""
    if StaffingRule.objects.exists():  # seeded again after the people were cleared: the rules stand
        return
    StaffingRule.objects.bulk_create(
        [
            StaffingRule(who=RuleRole.STAFF, minimum=1, note="A peer worker behind the volunteers"),
            StaffingRule(
                who=RuleRole.ANYONE,
                minimum=2,
                weekdays=[0, 1, 2, 3, 4],
                starts=time(18),
                ends=time(22),
                note="Evenings are busiest",
            ),
        ]
    )
    today = timezone.localdate()
    holiday = today + timedelta(days=(6 - today.weekday()) % 7 + 8)  # the Sunday after next
    ServiceException.objects.create(date=holiday, closed=True, note="Community centre closed for a holiday")
    ServiceException.objects.create(
        date=holiday + timedelta(days=1), closed=False, opens=time(12), closes=time(20), note="Shorter hours"
    )
    coordinator = next((p for p in people if Role.COORDINATOR in p.roles), None)
    sunday = today + timedelta(days=(6 - today.weekday()) % 7 or 7)
    offer = OpenShift.objects.create(
        date=sunday,
        starts=time(10),
        ends=time(14),
        who=RuleRole.ANYONE,
        note="Sunday mornings have nobody on",
        offered_by=coordinator,
    )
    offer.offered_to.set([s for s in supporters if Role.COORDINATOR not in s.roles][:6])
    yesterday = today - timedelta(days=1)
    ShiftNotice.objects.bulk_create(
        [
            ShiftNotice(supporter=s, date=yesterday, starts=time(14), kind=ShiftNotice.Kind.REMINDER)
            for s in supporters[:3]
        ]
        + [ShiftNotice(supporter=supporters[-1], date=yesterday, starts=time(18), kind=ShiftNotice.Kind.NO_CHECK_IN)]
    )
