"""Outcome measures in aggregate: how many people's latest answers fall in each band, and change over time.

Only members who agreed to answer questionnaires have responses at all
(withdrawing deletes them), so no further consent filter is needed here.
"""

from __future__ import annotations

from collections import Counter

from hearth.insights import measures
from hearth.insights import small_numbers as sn
from hearth.insights.models import Measure, OutcomeResponse
from hearth.insights.registry import Chart, Column, Metric, Span, Table, register


def outcome_bands(span: Span) -> Table:
    first: dict[tuple[str, int], int] = {}
    latest: dict[tuple[str, int], tuple[int, str]] = {}
    answers: Counter[tuple[str, int]] = Counter()
    for member_id, measure, score, band in (
        OutcomeResponse.objects.filter(created_at__gte=span.start_at, created_at__lt=span.end_at)
        .order_by("created_at", "pk")
        .values_list("member_id", "measure", "score", "band")
    ):
        first.setdefault((measure, member_id), score)
        latest[(measure, member_id)] = (score, band)
        answers[(measure, member_id)] += 1
    rows: list[dict[str, sn.Cell | str]] = []
    notes = []
    for q in measures.QUESTIONNAIRES.values():
        mine = {key: v for key, v in latest.items() if key[0] == q.measure}
        if not mine:
            continue
        bands = Counter(band for _, band in mine.values())
        cells = sn.breakdown({b.key: bands.get(b.key, 0) for b in q.bands})
        for b in q.bands:
            rows.append({"band": f"{q.name}: {b.label} ({b.low} to {b.high})", "people": cells[b.key]})
        change = sn.stat(
            [score - first[key] for key, (score, _) in mine.items() if answers[key] > 1], how="mean", digits=1
        )
        better = "lower is less lonely" if q.measure == Measure.UCLA3 else "lower is better"
        notes.append(
            f"{q.name}: mean change from first to latest answer in the period, for people who answered more than "
            f"once: {change} ({better})."
        )
    return Table([Column("band", "Latest answer"), Column("people", "People")], rows, notes)


register(
    Metric(
        key="outcome_bands",
        title="Outcome measures",
        description="For people who chose to answer the questionnaires: where their latest answers fall. "
        "Bands describe scores; they are not diagnoses.",
        compute=outcome_bands,
        chart=Chart("hbars", "band", ("people",), unit="people"),
        order=80,
    )
)
