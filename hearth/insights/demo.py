"""Demo data: questionnaires switched on, and consenting members' answers over six months.

Deterministic (the seed's ``random.Random``). About a third of ordinary members
take part (some sharing results with staff), most of those say yes to research;
people near the top of the care queue (the weightiest reasons) share theirs with staff, so whoever reaches out
can see how they've been (one link from their care page);
their answers come every four weeks and drift gently better, as they might for
people who found support. Robin (member@example.org) hasn't been asked yet, so
the home page shows the one-time question. No demo answer has PHQ-9 item 9 above 0.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from hearth.care.models import CareItem
from hearth.insights import measures
from hearth.insights.access import ONLY_ME, OUTCOMES, RESEARCH, RESEARCH_YES, WITH_STAFF
from hearth.insights.actions import do_roll_up, late_days
from hearth.insights.models import InsightsSettings, OutcomeInvitation, OutcomeResponse
from hearth.members.models import Consent, Member, RoleGrant


def _answers(rng: random.Random, q: measures.Questionnaire, level: float) -> list[int]:
    """Item answers around ``level`` (0 = best, 1 = worst) of the item range."""
    values = [v for v, _ in q.options]
    out = []
    for i in range(len(q.items)):
        if q.measure == measures.PHQ9.measure and i == measures.ITEM9_INDEX:
            out.append(0)
            continue
        pos = min(len(values) - 1, max(0, round(level * (len(values) - 1) + rng.uniform(-0.7, 0.7))))
        out.append(values[pos])
    return out


def seed(rng: random.Random, people: list[Member]) -> None:
    InsightsSettings.objects.update_or_create(
        pk=1,
        defaults={
            "phq9_on": True,
            "gad7_on": True,
            "ucla3_on": True,
            "research_key": f"demo-{rng.getrandbits(128):032x}",
        },
    )
    staff_ids = set(RoleGrant.objects.filter(member__in=people).values_list("member_id", flat=True))
    ordinary = [p for p in people if p.pk not in staff_ids and p.email != "member@example.org"]
    on_queue = set(
        CareItem.objects.filter(member__in=ordinary)
        .exclude(state=CareItem.State.DONE)
        .order_by("-weight", "created_at", "pk")
        .values_list("member_id", flat=True)[:3]
    )
    taking_part = [p for p in ordinary if p.pk in on_queue or rng.random() < 0.35]
    now = timezone.now()
    consents, responses, invitations = [], [], []
    for person in taking_part:
        audience = WITH_STAFF if person.pk in on_queue or rng.random() < 0.4 else ONLY_ME
        consents.append(Consent(member=person, kind=OUTCOMES.key, audience=audience.key))
        if rng.random() < 0.75:
            consents.append(Consent(member=person, kind=RESEARCH.key, audience=RESEARCH_YES.key))
        start_level = rng.uniform(0.25, 0.75)
        rounds = rng.randint(2, 7)
        for n in range(rounds):
            when = now - timedelta(days=28 * (rounds - n) - rng.randint(0, 5), hours=rng.randint(0, 10))
            level = max(0.0, start_level - n * rng.uniform(0.0, 0.08))
            for q in measures.QUESTIONNAIRES.values():
                if rng.random() < 0.15:
                    continue  # "not now" sometimes
                answers = _answers(rng, q, level)
                score = q.score(answers)
                responses.append(
                    OutcomeResponse(
                        member=person,
                        measure=q.measure,
                        answers=answers,
                        score=score,
                        band=q.band(score).key,
                        created_at=when,
                    )
                )
        invitations.append(OutcomeInvitation(member=person, measure=measures.PHQ9.measure, created_at=now))
    Consent.objects.bulk_create(consents, ignore_conflicts=True)
    OutcomeResponse.objects.bulk_create(responses)
    OutcomeInvitation.objects.bulk_create(invitations, ignore_conflicts=True)
    # The dashboard's figures for its usual twelve weeks, as the worker would count them (it does the rest).
    today = timezone.localdate(now)
    do_roll_up(today - timedelta(days=83), today, now)
    late_days(today)
