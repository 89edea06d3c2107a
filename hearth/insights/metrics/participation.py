"""Active members by week, participation styles (the 90-9-1 picture) and how people move between styles."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from hearth.insights import small_numbers as sn
from hearth.insights.metrics.activity import STYLE_LABELS, STYLES, active_by_week, style_counts, style_moves
from hearth.insights.registry import Chart, Column, Metric, Span, Table, month_of, register

WHOLE_WEEKS = "Different people are counted in whole weeks, Monday to Sunday."


def active_members(span: Span) -> Table:
    rows: list[dict[str, sn.Cell | str]] = [
        {"week": f"{week:%d %b %Y}", "active": sn.count(n)}
        for week, n in zip(span.weeks(), active_by_week(span), strict=True)
    ]
    return Table(
        [Column("week", "Week starting"), Column("active", "Active members")],
        rows,
        notes=[
            "Active: posted, replied, reacted, said 'I'm here', chatted, came to a gathering, asked to talk, or visited.",
            WHOLE_WEEKS,
        ],
    )


register(
    Metric(
        key="active_members",
        title="Active members by week",
        description="How many different people took part in any way each week, reading included.",
        compute=active_members,
        chart=Chart("bars", "week", ("active",), unit="members"),
        order=10,
    )
)


def _blocks(span: Span) -> list[tuple[str, list[date]]]:
    """Months of the span, each with the weeks whose Monday (or the span's first day) falls in it."""
    by_month: dict[date, list[date]] = defaultdict(list)
    for week in span.weeks():
        by_month[month_of(max(week, span.start))].append(week)
    return [(f"{month:%b %Y}", weeks) for month, weeks in sorted(by_month.items())]


def participation_styles(span: Span) -> Table:
    rows: list[dict[str, sn.Cell | str]] = []
    blocks = [*_blocks(span), ("Whole period", span.weeks())]
    for label, weeks in blocks:
        counts = style_counts(span, weeks)
        cells = sn.breakdown({key: counts.get(key, 0) for key, _ in STYLES})
        rows.append({"period": label, **cells})
    whole = style_counts(span, span.weeks())
    total = sum(whole.values())
    notes = []
    if total >= sn.MIN_CELL:
        shares = sn.breakdown({k: whole.get(k, 0) for k, _ in STYLES})
        parts = [
            f"{STYLE_LABELS[k]} {sn.share(whole.get(k, 0), total) if not shares[k].suppressed else shares[k]}"
            for k, _ in STYLES
        ]
        notes.append("Over the whole period: " + ", ".join(parts) + ".")
    notes.append("Each person is counted once per period, in the most visible way they took part.")
    notes.append(WHOLE_WEEKS)
    return Table([Column("period", "Period"), *[Column(k, label) for k, label in STYLES]], rows, notes)


register(
    Metric(
        key="participation_styles",
        title="Ways of taking part",
        description="Readers, reactors, people here quietly, posters, supporters and hosts each month: "
        "the 90-9-1 picture. Most people read; that is taking part too.",
        compute=participation_styles,
        chart=Chart("stacked", "period", tuple(k for k, _ in STYLES), unit="members"),
        order=20,
    )
)

NOT_SEEN = "not_seen"


def style_transitions(span: Span) -> Table:
    weeks = span.weeks()
    half = max(1, len(weeks) // 2)
    keys = [k for k, _ in STYLES] + [NOT_SEEN]
    moves: dict[str, Counter[str]] = {k: Counter() for k in keys}
    for (earlier, later), n in style_moves(span, weeks[:half], weeks[half:]).items():
        moves[earlier or NOT_SEEN][later or NOT_SEEN] += n
    rows: list[dict[str, sn.Cell | str]] = []
    for k in keys:
        if k == NOT_SEEN and not moves[k]:
            continue
        label = STYLE_LABELS.get(k, "Not seen (new or returning)")
        rows.append({"from": label, **sn.breakdown({to: moves[k].get(to, 0) for to in keys})})
    first, last = weeks[0], weeks[-1]
    mid = weeks[half] if half < len(weeks) else last
    return Table(
        [
            Column("from", "Earlier style"),
            *[Column(k, f"Later: {label}") for k, label in STYLES],
            Column(NOT_SEEN, "Later: not seen"),
        ],
        rows,
        notes=[
            f"Earlier: weeks from {first:%d %b %Y}; later: weeks from {mid:%d %b %Y} to {last:%d %b %Y}. "
            "Each row is where the people who took part one way earlier were later."
        ],
    )


register(
    Metric(
        key="style_transitions",
        title="How people move between ways of taking part",
        description="The first half of the period against the second: who went from reading to reacting or posting, "
        "who started supporting others, who went quiet.",
        compute=style_transitions,
        chart=Chart("stacked", "from", (*(k for k, _ in STYLES), NOT_SEEN), unit="members"),
        order=25,
    )
)
