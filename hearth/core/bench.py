"""Timing server-rendered pages for the benchmarks (``hearth bench_feed``, ``hearth bench_insights``): one command shape."""

from __future__ import annotations

import json as jsonlib
import math
import statistics
import time
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def time_pages(client: Any, targets: dict[str, str], repeat: int) -> dict[str, dict[str, float | int]]:
    """Median and p95 server time (ms) and the query count of each page, after one warm-up request."""
    results: dict[str, dict[str, float | int]] = {}
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
            "p95_ms": round(timings[min(len(timings) - 1, math.ceil(len(timings) * 0.95) - 1)], 1),
            "queries": len(queries),
        }
    return results


def report_lines(results: dict[str, dict[str, float | int]], labels: Any) -> list[str]:
    return [
        f"{label}: median {results[label]['median_ms']} ms, p95 {results[label]['p95_ms']} ms, "
        f"{results[label]['queries']} queries"
        for label in labels
    ]


class PageBench(BaseCommand):
    """A benchmark of server-rendered pages, signed in as one account: ``hearth bench_feed``, ``bench_insights``.

    A subclass names the account (``default_email``) and says what to time in :meth:`pages`: the
    pages (label -> URL), the facts about the data printed beside them, and the headline line.
    """

    default_email = ""
    default_repeat = 5

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--email", default=self.default_email, help="Whose pages to load.")
        parser.add_argument("--repeat", type=int, default=self.default_repeat)
        parser.add_argument("--json", action="store_true", help="Print one JSON object instead of lines.")

    def pages(self, member: AbstractBaseUser) -> tuple[dict[str, str], dict[str, Any], str]:
        raise NotImplementedError

    def handle(self, *args: Any, email: str, repeat: int, json: bool, **options: Any) -> None:
        member = get_user_model()._default_manager.filter(email=email).first()
        if member is None:
            raise CommandError(f"No account {email}. Load data first: hearth seed_demo --scale 5000:200000")
        targets, facts, headline = self.pages(member)
        client = Client()
        client.force_login(member)
        results: dict[str, Any] = {**facts, "database": connection.vendor}
        results.update(time_pages(client, targets, repeat))
        if json:
            self.stdout.write(jsonlib.dumps(results))
            return
        self.stdout.write(f"{headline}, {connection.vendor}")
        for line in report_lines(results, targets):
            self.stdout.write(line)
