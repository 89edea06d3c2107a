"""The demo organisation's self-assessments: members on each path, and two groups that ask for something first.

Records are written directly (dated in the past), not through ``do_submit_assessment``:
these are history, so they raise no live alert and ask for no talk today.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from django.utils import timezone

from hearth.community.models import Group
from hearth.core.crypto import encrypt_json
from hearth.intake import questionnaire
from hearth.intake.access import current_version
from hearth.intake.models import Assessment, GroupRequirement
from hearth.members.models import Member, Role

# An answer set for each path (and one with several), in the default questionnaire's ids.
DEMO_ANSWERS: list[dict[str, Any]] = [
    {"brings": ["meet", "low"], "wants": ["hang_out", "group"], "interests": ["making"], "today": ["okay"]},
    {
        "brings": ["low", "lonely"],
        "wants": ["talk"],
        "today": ["low"],
        "safety": ["sometimes"],
        "talk_how": ["phone"],
        "talk_gender": ["woman"],
    },
    {"brings": ["other"], "wants": ["not_sure"], "today": ["okay"], "substance": ["main"]},
    {"brings": ["carer"], "wants": ["group"], "today": ["low"], "worries": ["money", "housing"]},
    {"brings": ["low"], "wants": ["talk"], "today": ["struggling"], "safety": ["not_safe"]},
    {"brings": ["student"], "wants": ["hang_out"], "interests": ["games"], "today": ["good"]},
]
REQUIREMENTS = {"Carers' Corner": (True, False), "Night Owls": (True, True)}


def seed(rng: random.Random, people: list[Member]) -> None:
    version = current_version()
    staff = set(
        Member.objects.filter(
            pk__in=[p.pk for p in people], role_grants__role__in=[Role.PEER_WORKER, Role.COUNSELLOR, Role.COORDINATOR]
        ).values_list("pk", flat=True)
    )
    members = [p for p in people if p.pk not in staff and p.email != "volunteer@example.org"]
    now = timezone.now()
    rows = []
    # Robin (the demo member) has done it; then about half the other members, on every path.
    for i, person in enumerate(members[: len(members) // 2]):
        answers = DEMO_ANSWERS[0] if i == 0 else DEMO_ANSWERS[i % len(DEMO_ANSWERS)]
        clean = questionnaire.check_answers(version.definition, answers)
        routing = questionnaire.route(version.definition, clean, triage=False)
        rows.append(
            Assessment(
                member=person,
                version=version,
                answers_encrypted=encrypt_json(clean),
                paths=",".join(routing.paths),
                created_at=now - timedelta(days=rng.randint(2, 200)),
            )
        )
    Assessment.objects.bulk_create(rows)
    for group in Group.objects.filter(name__in=REQUIREMENTS):
        needs_intake, needs_one_to_one = REQUIREMENTS[group.name]
        GroupRequirement.objects.create(group=group, needs_intake=needs_intake, needs_one_to_one=needs_one_to_one)
