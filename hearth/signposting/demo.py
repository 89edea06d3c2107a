"""The demo organisation's referrals: some waiting for follow-up today, some self-referrals, some finished.

The directory itself is the UK defaults the data migration loads.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from hearth.members.models import Member, Role
from hearth.signposting.models import Referral, Resource

# (resource name, status, follow-up in days from today (negative: due), self-referred)
DEMO_REFERRALS = [
    ("Citizens Advice", Referral.Status.MADE, -2, False),
    ("Money advice team", Referral.Status.ACCEPTED, 5, False),
    ("Drinkline", Referral.Status.SUGGESTED, -1, True),
    ("Shelter", Referral.Status.MADE, 0, False),
    ("StepChange", Referral.Status.CLOSED, -30, False),
    ("NHS Talking Therapies", Referral.Status.MADE, 10, True),
    ("Counselling service", Referral.Status.DECLINED, -14, False),
]


def seed(rng: random.Random, people: list[Member]) -> None:
    resources = {r.name: r for r in Resource.objects.all()}
    staff = list(Member.objects.filter(pk__in=[p.pk for p in people], role_grants__role=Role.PEER_WORKER).distinct())
    members = [p for p in people if not p.role_grants.exists()][1:]  # not Robin: her demo stays calm
    if not staff or not resources:
        return
    today = timezone.localdate()
    now = timezone.now()
    rows = []
    for i, (name, status, days, self_referred) in enumerate(DEMO_REFERRALS):
        if name not in resources or i >= len(members):
            continue
        person = members[i * 2 % len(members)]
        rows.append(
            Referral(
                member=person,
                resource=resources[name],
                status=status,
                follow_up_on=today + timedelta(days=days),
                self_referred=self_referred,
                created_by=person if self_referred else staff[i % len(staff)],
                created_at=now - timedelta(days=rng.randint(3, 40)),
                closed_at=None if status in Referral.OPEN else now - timedelta(days=1),
            )
        )
    Referral.objects.bulk_create(rows)
