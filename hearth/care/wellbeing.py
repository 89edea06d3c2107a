"""Reading the daily scores members export from fitness trackers.

Two shapes are accepted, for both the upload and the token endpoint:

- CSV with a header row: ``date`` and one or both of ``stress`` and ``sleep``
  (other columns are ignored), e.g. ``date,stress,sleep`` / ``2026-11-20,42,78``.
- JSON: a list of objects (or ``{"readings": [...]}``) with ``date`` and
  ``stress`` and/or ``sleep``.

Scores are 0-100 (stress: higher is more stressed; sleep: higher is better).
Anything else raises :class:`~hearth.core.errors.ActionError` naming the line.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from hearth.care.models import WellbeingMetric
from hearth.core import params
from hearth.core.errors import ActionError

MAX_ROWS = 400  # a little over a year of days
MAX_BYTES = 200_000


def _reading(row: dict[str, Any], where: str) -> list[tuple[date, str, float]]:
    try:
        day = date.fromisoformat(str(row.get("date", "")).strip()[:10])
    except ValueError:
        raise ActionError(f"{where}: the date should look like 2026-11-20.") from None
    today = timezone.localdate()
    if day > today or day < today - timedelta(days=400):
        raise ActionError(f"{where}: the date should be within the last year, not in the future.")
    out = []
    for metric in WellbeingMetric.values:
        raw = row.get(metric)
        if raw is None or str(raw).strip() == "":
            continue
        try:
            value = float(raw)
        except (TypeError, ValueError):
            raise ActionError(f"{where}: {metric} should be a number from 0 to 100.") from None
        if not 0 <= value <= 100:
            raise ActionError(f"{where}: {metric} should be a number from 0 to 100.")
        out.append((day, metric, value))
    return out


def parse(data: bytes | str, *, content_type: str = "") -> list[tuple[date, str, float]]:
    """``[(day, metric, value), …]`` from CSV or JSON text (JSON when it starts with ``[`` or ``{``)."""
    if len(data) > MAX_BYTES:
        raise ActionError("That file is too big: send up to a year of daily scores at a time.")
    text = data.decode("utf-8-sig", errors="replace") if isinstance(data, bytes) else data
    stripped = text.lstrip()
    rows: list[dict[str, Any]]
    if "json" in content_type or stripped[:1] in ("[", "{"):
        try:
            parsed = params.load_json(stripped, max_bytes=MAX_BYTES)
        except ValueError:
            raise ActionError("That isn't valid JSON.") from None
        if isinstance(parsed, dict):
            parsed = parsed.get("readings")
        if not isinstance(parsed, list) or not all(isinstance(r, dict) for r in parsed):
            raise ActionError('Send a list of readings, e.g. [{"date": "2026-11-20", "stress": 42}].')
        rows = parsed
    else:
        try:
            reader = csv.DictReader(io.StringIO(stripped))
            fields = {f.strip().lower() for f in reader.fieldnames or []}
            if "date" not in fields or not fields & set(WellbeingMetric.values):
                raise ActionError("The first line should name the columns: date, and stress and/or sleep.")
            rows = [{(k or "").strip().lower(): v for k, v in r.items()} for r in reader]
        except csv.Error:  # e.g. a field longer than the csv module's limit (131,072 characters)
            raise ActionError("That isn't a CSV file of dates and scores: check it has one line per day.") from None
    if len(rows) > MAX_ROWS:
        raise ActionError(f"Send up to {MAX_ROWS} days at a time.")
    out: list[tuple[date, str, float]] = []
    for n, row in enumerate(rows, start=1):
        out += _reading(row, f"Reading {n}")
    if not out:
        raise ActionError("There were no scores in that file.")
    return out
