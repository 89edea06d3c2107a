"""Timing server-rendered pages for the benchmarks (``hearth bench_feed``, ``hearth bench_insights``)."""

from __future__ import annotations

import math
import statistics
import time
from typing import Any

from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext


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
