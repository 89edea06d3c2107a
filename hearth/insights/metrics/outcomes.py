"""Outcome measures in aggregate: how many people's latest answers fall in each band, and change over time.

Only members who agreed to answer questionnaires have responses at all
(withdrawing deletes them), so no further consent filter is needed here.
"""

from __future__ import annotations

from django.db.models import Count, Q, Sum

from hearth.insights import measures
from hearth.insights import small_numbers as sn
from hearth.insights.models import CountedAnswer, Measure
from hearth.insights.registry import Chart, Column, Metric, Span, Table, register


def outcome_bands(span: Span) -> Table:
    people: dict[tuple[str, str], int] = {}
    change: dict[str, tuple[int, int]] = {}
    for measure, band, n, change_sum, changers in _latest_answers(span):
        people[(measure, band)] = n
        total, count = change.get(measure, (0, 0))
        change[measure] = (total + change_sum, count + changers)
    rows: list[dict[str, sn.Cell | str]] = []
    notes = []
    for q in measures.QUESTIONNAIRES.values():
        if q.measure not in change:
            continue
        cells = sn.breakdown({b.key: people.get((q.measure, b.key), 0) for b in q.bands})
        for b in q.bands:
            rows.append({"band": f"{q.name}: {b.label} ({b.low} to {b.high})", "people": cells[b.key]})
        mean = sn.mean_of(*change[q.measure], digits=1)
        better = "lower is less lonely" if q.measure == Measure.UCLA3 else "lower is better"
        notes.append(
            f"{q.name}: mean change from first to latest answer in the period, for people who answered more than "
            f"once: {mean} ({better})."
        )
    return Table([Column("band", "Latest answer"), Column("people", "People")], rows, notes)


def _latest_answers(span: Span) -> list[tuple[str, str, int, int, int]]:
    """Per questionnaire and band: how many people's latest answer in the span is in it; and, for people who answered
    more than once in the span, the sum of their change from first to latest answer (split by the bands their
    answers are in: only the sum per questionnaire means anything) and how many they are.

    Read from the rollup job's :class:`CountedAnswer` rows, each answer linked to the same person's answers before
    and after it: an answer is someone's latest in the span when their next is after it, their first when their
    previous is before it. One pass over the span's answers, grouped into a handful of rows by the database.
    """
    start, end = span.start_at, span.end_at
    latest = Q(next_at__isnull=True) | Q(next_at__gte=end)
    first = Q(previous_at__isnull=True) | Q(previous_at__lt=start)
    latest_of_several = latest & Q(previous_at__gte=start)
    first_of_several = first & Q(next_at__lt=end)
    rows = (
        CountedAnswer.objects.filter(answered_at__gte=start, answered_at__lt=end)
        .filter(latest | first)  # answers in between count for nothing
        .values("measure", "band")
        .annotate(
            people=Count("pk", filter=latest),
            later=Sum("score", filter=latest_of_several, default=0),
            earlier=Sum("score", filter=first_of_several, default=0),
            changers=Count("pk", filter=latest_of_several),
        )
        .order_by()
        .values_list("measure", "band", "people", "later", "earlier", "changers")
    )
    return [(measure, band, n, later - earlier, changers) for measure, band, n, later, earlier, changers in rows]


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
