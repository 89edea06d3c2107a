"""``hearth bench_feed``: server time of the feed and a group page on the current database.

Run it on a database seeded with ``hearth seed_demo --scale 5000:200000``. It
signs in as the demo member (member@example.org) in-process, so the figure is
Django's time to answer (queries, templates), without network or browser.
"""

from __future__ import annotations

import json as jsonlib
import statistics
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hearth.community.access import my_groups
from hearth.community.models import Post
from hearth.members.models import Member


class Command(BaseCommand):
    help = "Measure the feed and group page server time (median and 95th percentile, in ms)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--email", default="member@example.org", help="Whose feed to load.")
        parser.add_argument("--repeat", type=int, default=30)
        parser.add_argument("--json", action="store_true", help="Print one JSON object instead of lines.")

    def handle(self, *args: Any, email: str, repeat: int, json: bool, **options: Any) -> None:
        member = Member.objects.filter(email=email).first()
        if member is None:
            raise CommandError(f"No account {email}. Load data first: hearth seed_demo --scale 5000:200000")
        membership = my_groups(member).first()
        if membership is None:
            raise CommandError(f"{email} is in no groups, so there is no feed to measure.")
        client = Client()
        client.force_login(member)
        targets = {
            "feed page 1": "/feed/",
            "feed page 10": "/feed/?page=10",
            "group page 1": f"/groups/{membership.group_id}/",
        }
        results: dict[str, Any] = {
            "members": Member.objects.count(),
            "posts": Post.objects.count(),
            "posts_in_feed": Post.objects.filter(group__memberships__member=member).count(),
            "database": connection.vendor,
        }
        for label, url in targets.items():
            client.get(url)  # warm caches and templates
            timings = []
            for _ in range(repeat):
                with CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    response = client.get(url)
                    timings.append((time.perf_counter() - start) * 1000)
                if response.status_code != 200:
                    raise CommandError(f"{url} answered {response.status_code}")
            timings.sort()
            results[label] = {
                "median_ms": round(statistics.median(timings), 1),
                "p95_ms": round(timings[max(0, int(len(timings) * 0.95) - 1)], 1),
                "queries": len(queries),
            }
        if json:
            self.stdout.write(_dumps(results))
            return
        self.stdout.write(
            f"{results['members']} members, {results['posts']} posts ({results['posts_in_feed']} in the feed), "
            f"{results['database']}"
        )
        for label in targets:
            r = results[label]
            self.stdout.write(f"{label}: median {r['median_ms']} ms, p95 {r['p95_ms']} ms, {r['queries']} queries")


def _dumps(value: Any) -> str:
    return jsonlib.dumps(value)
