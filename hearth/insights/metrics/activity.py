"""Who did what, week by week: the raw material of "active members" and participation styles.

What counts as taking part is declared once, in ``specs.ACTIONS`` (a model, whose row it is, its date field).
The dashboard reads the worker's weekly characters (:func:`style_counts`, :func:`style_moves`, :func:`active_by_week`, from
``ActivityWeeks``); the research export, which needs each action, reads the rows themselves (:func:`activity`),
one query per action. Weeks are local weeks starting on Monday.

What is recorded limits what can be seen: reading leaves only the latest trace
(a group's ``last_read_at``, ``last_login``, a chat room visit, a care "visit"
for members who share that cue), and "I'm here" keeps only the latest day, so
past weeks undercount readers and quiet presence. Hosting is today's hosts.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from hearth.community.models import Membership
from hearth.insights import specs
from hearth.insights.registry import Span, week_of
from hearth.insights.rollup import ACTIVE_PEOPLE, Stored, available, rows_of, styles, weeks_of_activity
from hearth.insights.specs import ACTION_STYLE, STYLE_LABELS, STYLES

__all__ = [
    "ACTION_STYLE",
    "STYLES",
    "STYLE_LABELS",
    "active_by_week",
    "activity",
    "style_counts",
    "style_of",
    "styles_over",
]

RANK = {key: i for i, (key, _) in enumerate(STYLES)}

Activity = dict[date, dict[int, set[str]]]  # week -> member id -> actions


def activity(span: Span) -> Activity:
    """Week -> member -> the actions they took that week, read from the rows (memoised per request)."""
    weeks: Activity = span.memo("activity", lambda: _activity(span))
    return weeks


def _activity(span: Span) -> Activity:
    out: Activity = defaultdict(lambda: defaultdict(set))
    for action in specs.ACTIONS:
        if not available(action.app, action.model):
            continue
        for who, when in rows_of(action, span.start, span.end, action.who, action.when):
            if who is not None and when is not None:
                out[week_of(when)][who].add(action.action)
    # Today's hosts count as hosting in any week they took part at all.
    hosts = set(Membership.objects.filter(is_host=True).values_list("member_id", flat=True).distinct())
    for members in out.values():
        for member_id in hosts & members.keys():
            members[member_id].add("host")
    return {week: dict(members) for week, members in out.items()}


def style_of(actions: set[str]) -> str | None:
    """The most visible style among ``actions`` (None when nothing they did is a community style)."""
    styles = [ACTION_STYLE[x] for x in actions if x in ACTION_STYLE]
    return min(styles, key=RANK.__getitem__) if styles else None


def active_by_week(span: Span) -> list[int]:
    """How many different people took part in each of the span's weeks (whole weeks, counted by the worker)."""
    stored = Stored.of(span)
    return [stored.week(ACTIVE_PEOPLE, week)[0] for week in span.weeks()]


def _slice(span: Span, weeks: list[date]) -> slice:
    first = span.weeks().index(weeks[0])
    return slice(first, first + len(weeks))


def styles_over(span: Span, weeks: list[date]) -> dict[int, str]:
    """Member -> their style across ``weeks`` (consecutive weeks of the span) taken together."""
    if not weeks:
        return {}
    part = _slice(span, weeks)
    found = {
        member_id: specs.STYLE_OF_CHAR.get(min(chars[part])) for member_id, chars in weeks_of_activity(span).items()
    }
    return {member_id: style for member_id, style in found.items() if style is not None}


def style_counts(span: Span, weeks: list[date]) -> Counter[str]:
    """How many people had each style across ``weeks`` (consecutive weeks of the span) taken together."""
    if not weeks:
        return Counter()
    return styles(span).counts(_slice(span, weeks))


def style_moves(span: Span, before: list[date], after: list[date]) -> Counter[tuple[str | None, str | None]]:
    """How many people went from each style over ``before`` to each over ``after`` (None: not seen, or no style).

    Only people with a style in one of the two count.
    """
    found = styles(span)
    earlier = found.exactly(_slice(span, before)) if before else {None: found.everyone}
    later = found.exactly(_slice(span, after)) if after else {None: found.everyone}
    out: Counter[tuple[str | None, str | None]] = Counter()
    for a, people_a in earlier.items():
        for b, people_b in later.items():
            if (a, b) != (None, None) and (n := (people_a & people_b).bit_count()):
                out[(a, b)] = n
    return out
