"""``hearth bench_triage``: triage throughput and per-message latency on one core."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from hearth.safety.triage import classify
from hearth.safety.triage.data import TriageDataMissing, triage_file


class Command(BaseCommand):
    help = "Measure the triage classifier: messages per second and p50/p99 milliseconds per message."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--data", default="", help="JSON Lines with a text per line (default: the shared dev set)")
        parser.add_argument("--repeat", type=int, default=20)

    def handle(self, *args: Any, data: str, repeat: int, **options: Any) -> None:
        try:
            path = Path(data) if data else triage_file("dev.jsonl")
        except TriageDataMissing as missing:
            raise CommandError(str(missing)) from None
        if not path.is_file():
            raise CommandError(f"No messages to time: {path} is missing.")
        texts = [json.loads(line)["text"] for line in path.read_text().splitlines() if line.strip()]
        if hasattr(os, "sched_setaffinity"):
            os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as the target says
        for text in texts:  # warm up (regex compilation happens at import already)
            classify(text)
        timings = []
        start = time.perf_counter()
        for _ in range(repeat):
            for text in texts:
                t0 = time.perf_counter()
                classify(text)
                timings.append(time.perf_counter() - t0)
        total = time.perf_counter() - start
        timings.sort()
        n = len(timings)
        p50, p99 = timings[n // 2] * 1000, timings[min(n - 1, int(n * 0.99))] * 1000
        self.stdout.write(
            f"triage: {n} messages from {path.name} on one core: {n / total:,.0f} messages/s, "
            f"p50 {p50:.2f} ms, p99 {p99:.2f} ms, max {timings[-1] * 1000:.2f} ms"
        )
        # A pasted wall of repeated trigger words (was a timed test; timings belong here).
        wall = "bridge the roof gave my dog to " * 400
        walls: list[float] = []
        for _ in range(5):
            t0 = time.perf_counter()
            classify(wall + str(len(walls)))  # a different text each time, so the normalise cache does not help
            walls.append(time.perf_counter() - t0)
        self.stdout.write(
            f"triage: a {len(wall):,}-character wall of trigger words: {min(walls) * 1000:.0f} ms best of 5"
        )
