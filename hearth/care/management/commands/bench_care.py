"""``hearth bench_care``: how long the care queue takes to build for a scaled organisation.

Run on a database seeded with ``hearth seed_demo --scale 5000:200000`` (members and a
year or two of posts). Unless ``--no-activity``, it first adds a year of synthetic care
activity with ``bulk_create``: consent choices, visit days with a personal rhythm per
member, daily mood check-ins, tracker scores, some triage items. Then it times:

- ``do_refresh_cues``: every shared cue worked out for everyone (the 15-minute job);
- ``find_unanswered_posts``: the "nobody replied" scan;
- the care queue page for a peer worker, in-process (median, p95, queries).
"""

from __future__ import annotations

import random
import statistics
import time
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hearth.care import actions, cues
from hearth.care.models import CareItem, MoodEntry, Source, Visit, WellbeingReading
from hearth.members import consent
from hearth.members.models import Consent, Member, Role, RoleGrant

BATCH = 5000


class Command(BaseCommand):
    help = "Measure the care queue's build time on the current database (seed it with seed_demo --scale first)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--email", default="peerworker@example.org", help="Whose queue to load.")
        parser.add_argument("--repeat", type=int, default=10)
        parser.add_argument("--no-activity", action="store_true", help="Don't add synthetic care activity.")
        parser.add_argument("--seed", type=int, default=8)

    def handle(self, *args: Any, email: str, repeat: int, no_activity: bool, seed: int, **options: Any) -> None:
        viewer = Member.objects.filter(email=email).first()
        if viewer is None:
            raise CommandError(f"No account {email}. Load data first: hearth seed_demo --scale 5000:200000")
        if not no_activity and Visit.objects.count() < Member.objects.count():
            start = time.perf_counter()
            with transaction.atomic():  # one commit, not one fsync per batch
                counts = seed_activity(random.Random(seed))
            self.stdout.write(f"synthetic care activity: {counts} in {time.perf_counter() - start:.1f} s")
        self.stdout.write(
            f"{Member.objects.count()} members, {Visit.objects.count()} visit days, {MoodEntry.objects.count()} moods, "
            f"{WellbeingReading.objects.count()} tracker scores, {connection.vendor}"
        )
        now = timezone.now()
        start = time.perf_counter()
        result = actions.do_refresh_cues(now=now)
        self.stdout.write(
            f"do_refresh_cues (every cue, everyone): {(time.perf_counter() - start) * 1000:.0f} ms {result}"
        )
        start = time.perf_counter()
        actions.do_refresh_cues(now=now)
        self.stdout.write(f"do_refresh_cues again (nothing changed): {(time.perf_counter() - start) * 1000:.0f} ms")
        start = time.perf_counter()
        added = actions.find_unanswered_posts(now)
        self.stdout.write(f"find_unanswered_posts: {(time.perf_counter() - start) * 1000:.0f} ms ({added} added)")
        open_items = CareItem.objects.exclude(state=CareItem.State.DONE).count()
        client = Client()
        client.force_login(viewer)
        client.get("/care/")
        timings = []
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as queries:
                t = time.perf_counter()
                response = client.get("/care/")
                timings.append((time.perf_counter() - t) * 1000)
            if response.status_code != 200:
                raise CommandError(f"/care/ answered {response.status_code}")
        timings.sort()
        p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
        self.stdout.write(
            f"care queue page ({open_items} open items): median {statistics.median(timings):.0f} ms, "
            f"p95 {p95:.0f} ms, {len(queries)} queries"
        )


def seed_activity(rng: random.Random) -> dict[str, int]:
    """A year of care activity for every plain member, bulk-created."""
    now = timezone.now()
    today = timezone.localdate(now)
    staff = set(RoleGrant.objects.exclude(role=Role.MEMBER).values_list("member_id", flat=True))
    people = [pk for pk in Member.objects.values_list("pk", flat=True) if pk not in staff]
    shares = {
        Source.GOING_QUIET: 0.5,
        Source.MOOD: 0.3,
        Source.MOOD_TREND: 0.2,
        Source.ENERGY: 0.3,
        Source.WELLBEING: 0.1,
        Source.MISSED_GATHERING: 0.2,
    }
    audiences = [consent.PEER_TEAM.key, consent.PEER_TEAM.key, consent.USUAL_SUPPORTER.key]
    consents: list[Consent] = []
    visits: list[Visit] = []
    moods: list[MoodEntry] = []
    readings: list[WellbeingReading] = []
    items: list[CareItem] = []
    counts = {"consents": 0, "visits": 0, "moods": 0, "readings": 0, "items": 0}

    def flush(force: bool = False) -> None:
        batches: tuple[tuple[list[Any], Any, str], ...] = (
            (consents, Consent, "consents"),
            (visits, Visit, "visits"),
            (moods, MoodEntry, "moods"),
            (readings, WellbeingReading, "readings"),
            (items, CareItem, "items"),
        )
        for rows, model, key in batches:
            if rows and (force or len(rows) >= BATCH):
                model.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
                counts[key] += len(rows)
                rows.clear()

    for pk in people:
        shared = {s for s, p in shares.items() if rng.random() < p}
        consents += [Consent(member_id=pk, kind=cues.KINDS[s].key, audience=rng.choice(audiences)) for s in shared]
        if Source.GOING_QUIET in shared:
            # A personal rhythm: a usual gap of 1-7 days, some members irregular, some gone quiet lately.
            usual, irregular = rng.choice([1, 1, 2, 2, 3, 4, 7]), rng.random() < 0.2
            day = today - timedelta(days=rng.choice([0, 0, 1, 2, 5, 20]))
            while day > today - timedelta(days=365):
                visits.append(Visit(member_id=pk, day=day))
                gap = usual if not irregular or rng.random() > 0.15 else rng.randint(10, 30)
                day -= timedelta(days=max(1, int(rng.gauss(gap, gap / 3))))
        if shared & {Source.MOOD, Source.MOOD_TREND}:
            level = rng.uniform(2, 4.5)
            for d in range(0, 365, rng.choice([1, 2, 3])):
                moods.append(
                    MoodEntry(
                        member_id=pk, day=today - timedelta(days=d), score=max(1, min(5, round(rng.gauss(level, 1))))
                    )
                )
        if Source.WELLBEING in shared:
            base = rng.uniform(25, 60)
            readings += [
                WellbeingReading(
                    member_id=pk,
                    day=today - timedelta(days=d),
                    metric="stress",
                    value=max(0, min(100, rng.gauss(base, 8))),
                )
                for d in range(365)
            ]
        if rng.random() < 0.02:
            items.append(CareItem(member_id=pk, source=Source.TRIAGE, reason="Wrote something worrying", weight=50))
        flush()
    flush(force=True)
    return counts
