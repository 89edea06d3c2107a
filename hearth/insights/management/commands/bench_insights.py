"""``hearth bench_insights``: the service dashboard's server time on a scaled organisation.

Run it on a database seeded with ``hearth seed_demo --scale 5000:200000``. The
first run adds a year of the activity the dashboard reads and the scale seed
doesn't make (reactions, replies, talk requests, crisis alerts, care items,
triage records, referrals, questionnaire answers), bulk-created, and counts a year of the
dashboard's rollups (as ``hearth insights_rollup`` would). It renders the dashboard
in-process as the demo coordinator, so the figure is Django's time (queries,
metrics, SVG templates) without network or browser.
"""

from __future__ import annotations

import random
import time
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from hearth.availability.models import TalkRequest
from hearth.care.models import CareItem
from hearth.community.models import Comment, Post, Reaction
from hearth.core.bench import PageBench
from hearth.insights import measures
from hearth.insights.actions import do_roll_up
from hearth.insights.models import OutcomeResponse, RolledUpDay
from hearth.members.models import Member
from hearth.safety.models import CrisisAlert, TriageRecord
from hearth.signposting.models import Referral, Resource

YEAR = timedelta(days=365)
BATCH = 5000


class Command(PageBench):
    help = "Measure the insights dashboard's server time (median and 95th percentile, in ms)."
    default_email = "coordinator@example.org"

    def pages(self, member: Any) -> tuple[dict[str, str], dict[str, Any], str]:
        if TalkRequest.objects.count() < 1000:
            start = time.perf_counter()
            add_a_year_of_activity(random.Random(9))
            self.stdout.write(f"insights: added a year of activity in {time.perf_counter() - start:.0f} s")
        today = timezone.localdate()
        if RolledUpDay.objects.filter(day__gt=today - YEAR).count() < YEAR.days:
            start = time.perf_counter()
            counted = do_roll_up(today - YEAR + timedelta(days=1), today)
            self.stdout.write(f"insights: counted {counted} days of rollups in {time.perf_counter() - start:.0f} s")
        targets = {
            "dashboard, 12 weeks": "/insights/",
            "dashboard, a year": f"/insights/?start={today - timedelta(days=364)}&end={today}",
        }
        since = timezone.now() - YEAR
        facts = {
            "members": Member.objects.count(),
            "posts_last_year": Post.objects.filter(created_at__gte=since).count(),
            "reactions_last_year": Reaction.objects.filter(created_at__gte=since).count(),
        }
        headline = (
            f"insights: {facts['members']} members, {facts['posts_last_year']} posts and "
            f"{facts['reactions_last_year']} reactions in the last year"
        )
        return targets, facts, headline


def add_a_year_of_activity(rng: random.Random) -> None:
    now = timezone.now()
    people = list(Member.objects.values_list("pk", flat=True))
    posts = list(Post.objects.filter(created_at__gte=now - YEAR).values_list("pk", "group_id", "created_at"))

    def when() -> Any:
        return now - timedelta(seconds=rng.randint(0, int(YEAR.total_seconds())))

    def bulk(model: Any, rows: list[Any], **kw: Any) -> None:
        for i in range(0, len(rows), BATCH):
            model.objects.bulk_create(rows[i : i + BATCH], **kw)

    with transaction.atomic():
        sample = rng.sample(posts, min(len(posts), 60_000))
        bulk(
            Reaction,
            [
                Reaction(post_id=pk, member_id=rng.choice(people), kind="hug", created_at=at + timedelta(hours=1))
                for pk, _, at in sample
            ],
            ignore_conflicts=True,
        )
        bulk(
            Comment,
            [
                Comment(post_id=pk, author_id=rng.choice(people), body="same here", created_at=at + timedelta(hours=2))
                for pk, _, at in sample[:30_000]
            ],
        )
        bulk(
            TriageRecord,
            [
                TriageRecord(
                    content_key="community.post",
                    object_id=pk,
                    group_id=group,
                    risk="none",
                    heavy=rng.random() < 0.1,
                    created_at=at,
                )
                for pk, group, at in posts
            ],
        )
        talk = []
        for _ in range(3000):
            asked = when()
            wait = rng.expovariate(1 / 6) if rng.random() < 0.9 else None
            talk.append(
                TalkRequest(
                    member_id=rng.choice(people),
                    state="closed" if wait is not None else "cancelled",
                    created_at=asked,
                    accepted_at=asked + timedelta(minutes=wait) if wait is not None else None,
                    accepted_by_id=rng.choice(people[:60]) if wait is not None else None,
                )
            )
        bulk(TalkRequest, talk)
        alerts = []
        for _ in range(150):
            raised = when()
            alerts.append(
                CrisisAlert(
                    member_id=rng.choice(people),
                    origin="message",
                    summary="bench",
                    created_at=raised,
                    acknowledged_at=raised + timedelta(minutes=rng.expovariate(1 / 3)),
                )
            )
        bulk(CrisisAlert, alerts)
        care = []
        for _ in range(2000):
            raised = when()
            done = raised + timedelta(hours=rng.expovariate(1 / 20)) if rng.random() < 0.8 else None
            care.append(
                CareItem(
                    member_id=rng.choice(people),
                    source="bench",
                    reason="bench",
                    created_at=raised,
                    state="done" if done else "open",
                    done_at=done,
                )
            )
        # One open item per member and source: only the done ones can repeat.
        bulk(CareItem, care, ignore_conflicts=True)
        resources = list(Resource.objects.values_list("pk", flat=True))
        statuses = [s for s, _ in Referral.Status.choices]
        if resources:
            referred = []
            for _ in range(2000):
                made = when()
                referred.append(
                    Referral(
                        member_id=rng.choice(people),
                        resource_id=rng.choice(resources),
                        status=rng.choice(statuses),
                        follow_up_on=timezone.localdate(made) + timedelta(days=14),
                        created_at=made,
                    )
                )
            bulk(Referral, referred)
        q = measures.PHQ9
        answers = []
        for member_id in rng.sample(people, min(1000, len(people))):
            for month in range(12):
                items = [rng.randint(0, 3) for _ in range(8)] + [0]
                score = sum(items)
                answers.append(
                    OutcomeResponse(
                        member_id=member_id,
                        measure=q.measure,
                        answers=items,
                        score=score,
                        band=q.band(score).key,
                        created_at=now - timedelta(days=30 * month + rng.randint(0, 20)),
                    )
                )
        bulk(OutcomeResponse, answers)
