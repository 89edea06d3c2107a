"""The demo organisation's scope, its self-assessments (members on each path), and two groups that ask for
something first.

Past records are written directly (dated in the past), not through ``do_submit_assessment``: they are history,
so they raise no live alert and ask for no talk today. One is not history: a few minutes before the demo was
loaded, a member answered that they may not be safe right now, so the crisis alert about them is still open and
they are waiting to talk (``do_submit_assessment``, as it really happens).
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from django.utils import timezone

from hearth.community.models import Group
from hearth.core.crypto import encrypt_json
from hearth.intake import actions, questionnaire
from hearth.intake.access import current_version
from hearth.intake.models import Assessment, GroupRequirement
from hearth.members.models import Member, Role
from hearth.safety.models import TriageRecord

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
SCOPE = {
    "who_for": "Adults in and around the city who live with their mental health, or who care for someone who does. "
    "No diagnosis or referral needed: come as you are, as often or as rarely as suits you.",
    "what_we_offer": "Peer support from people who've been there: groups to hang out in online and at the Corner "
    "Café, drop-ins most evenings, one-to-one chats with a trained peer worker, weekly check-ins if you'd like "
    "them, and a buddy if you'd like one.",
    "not_covered": "We're not a crisis service: if you're in danger now, call 999 or Samaritans on 116 123. We "
    "don't treat drug or alcohol problems (the city's Recovery Hub does, and we can introduce you), and for money, "
    "benefits or housing we'll put you in touch with the Citizens Advice team at the library.",
}
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
    coordinator = next((p for p in people if Role.COORDINATOR in p.roles), None)
    if coordinator is not None:
        actions.do_save_scope(coordinator, **SCOPE)
    # Just now: a member's self-assessment says they may not be safe. Staff see the alert on every page until someone
    # says "I've got this"; the peer worker on duty sees them waiting to talk, first in the queue.
    newcomer = next(
        (
            p
            for p in members[len(members) // 2 :]
            if "robin" not in p.display_name.lower() and not TriageRecord.objects.filter(author=p).exists()
        ),
        None,
    )
    if newcomer is not None:
        actions.do_submit_assessment(
            newcomer,
            version_number=version.number,
            answers={"brings": ["low", "lonely"], "wants": ["talk"], "today": ["struggling"], "safety": ["not_safe"]},
        )
    for group in Group.objects.filter(name__in=REQUIREMENTS):
        needs_intake, needs_one_to_one = REQUIREMENTS[group.name]
        GroupRequirement.objects.create(group=group, needs_intake=needs_intake, needs_one_to_one=needs_one_to_one)
