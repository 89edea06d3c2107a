"""``hearth insights_rollup``: count the dashboard's figures for past days now (after an upgrade, or an import).

The worker's ``roll_up_insights`` job keeps the rollups current and fills in a year of past days a few weeks
at a time; this counts them all at once: ``--days 366`` (default) up to today, or ``--since 2026-01-01``.
"""

from __future__ import annotations

import time
from datetime import date, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from hearth.insights.actions import do_roll_up


class Command(BaseCommand):
    help = "Count the insights dashboard's daily figures for past days (a backfill)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--days", type=int, default=366, help="How many days up to today (default a year).")
        parser.add_argument("--since", type=date.fromisoformat, help="Count from this date (YYYY-MM-DD) instead.")

    def handle(self, *args: Any, days: int, since: date | None, **options: Any) -> None:
        today = timezone.localdate()
        first = since or today - timedelta(days=days - 1)
        if first > today:
            raise CommandError("--since is after today: there is nothing to count yet.")
        if days < 1:
            raise CommandError("--days must be 1 or more.")
        start = time.perf_counter()
        counted = do_roll_up(first, today)
        self.stdout.write(
            f"insights: counted {counted} days ({first} to {today}) in {time.perf_counter() - start:.1f} s"
        )
