"""The demo organisation's team side: training, checks, an application, supervision, a debrief, someone who
stepped back. Deterministic; kind and realistic."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from hearth.members.models import Member, Role, RoleGrant
from hearth.team.models import (
    Application,
    Check,
    DebriefRequest,
    Departure,
    SupervisionSession,
    TrainingModule,
    TrainingRecord,
    add_months,
)

MODULES = [
    ("Safeguarding", "Recognising and passing on concerns about someone's safety.", ["volunteer", "peer_worker"], 36),
    (
        "Listening skills",
        "Listening without fixing: reflecting, open questions, silences.",
        ["volunteer", "peer_worker"],
        None,
    ),
    (
        "Crisis response",
        "What to do when someone is at risk, and who to hand over to.",
        ["peer_worker", "counsellor"],
        12,
    ),
    ("Boundaries and self-care", "Looking after yourself while supporting others.", [], None),
]

NOTES = [
    "Talked through a hard conversation on Tuesday; they handled it well and know to hand over sooner next time.",
    "Feeling settled in the role. Wants to try co-hosting the Thursday gathering.",
    "Tired after a busy month; agreed to drop one evening shift for a few weeks.",
]


def seed(rng: random.Random, people: list[Member]) -> None:
    if TrainingModule.objects.exists():
        return
    today = timezone.localdate()
    modules = [
        TrainingModule.objects.create(name=n, description=d, required_for=r, renew_every_months=m)
        for n, d, r, m in MODULES
    ]
    roles: dict[int, set[str]] = {}
    for member_id, role in RoleGrant.objects.filter(member__in=people).values_list("member_id", "role"):
        roles.setdefault(member_id, set()).add(role)
    team = [p for p in people if roles.get(p.pk, set()) & {Role.VOLUNTEER, Role.PEER_WORKER, Role.COUNSELLOR}]
    coordinator = next((p for p in people if Role.COORDINATOR in roles.get(p.pk, set())), None)
    counsellor = next((p for p in people if Role.COUNSELLOR in roles.get(p.pk, set())), coordinator)
    for i, person in enumerate(team):
        held = roles[person.pk]
        for module in modules:
            if set(module.required_for) & held or (module.name.startswith("Boundaries") and i % 2 == 0):
                done = today - timedelta(days=rng.randint(60, 700))
                if module.name == "Crisis response" and i % 4 == 1:
                    done = add_months(today, -12) + timedelta(days=12)  # due for renewal in about twelve days
                expires = add_months(done, module.renew_every_months) if module.renew_every_months else None
                TrainingRecord.objects.create(
                    member=person, module=module, completed_on=done, expires_on=expires, recorded_by=coordinator
                )
        Check.objects.create(
            member=person,
            kind=Check.Kind.REFERENCE,
            requested_on=today - timedelta(days=400 + i),
            completed_on=today - timedelta(days=390 + i),
            outcome=Check.Outcome.SATISFACTORY,
            recorded_by=coordinator,
        )
        Check.objects.create(
            member=person,
            kind=Check.Kind.BACKGROUND,
            requested_on=today - timedelta(days=380 + i),
            completed_on=today - timedelta(days=360 + i),
            outcome=Check.Outcome.SATISFACTORY,
            expires_on=today + timedelta(days=rng.choice([20, 300, 700])),
            recorded_by=coordinator,
        )
        if i % 3 != 2:  # a third haven't had supervision for a while
            weeks = rng.randint(1, 5)
            session = SupervisionSession(
                supporter=person,
                supervisor=counsellor if counsellor and counsellor.pk != person.pk else coordinator,
                kind=SupervisionSession.Kind.ONE_TO_ONE,
                held_on=today - timedelta(weeks=weeks),
            )
            session.set_notes(NOTES[i % len(NOTES)])
            session.save()
    members = [p for p in people if not roles.get(p.pk)]
    if members:
        Application.objects.create(
            member=members[3 % len(members)],
            role=Role.VOLUNTEER,
            why="The Tuesday Makers group got me through last winter. I'd like to be that for someone else.",
            availability="Tuesday evenings, sometimes Saturday mornings",
            created_at=timezone.now() - timedelta(days=3),
        )
    if len(team) > 2:
        debrief = DebriefRequest(supporter=team[1], shift_on=today - timedelta(days=1), urgency="soon")
        debrief.set_note("A long conversation with someone in a lot of pain. I'm OK, but I'd like to talk it through.")
        debrief.save()
        Departure.objects.create(
            member=members[5 % len(members)] if members else None,
            recorded_by=coordinator,
            roles=[Role.VOLUNTEER.value],
            handed_over=[],
            left_on=today - timedelta(days=40),
        )
