"""What the rollups show is what counting the rows themselves shows (issue 21).

The dashboard reads what the worker stored; these tests build a random world, let the worker count it, and
compare each rolled-up figure with the same figure worked out the slow way from the rows, over many spans:
outcome bands and mean change (against the grouped query the dashboard ran before), ways of taking part and
moves between them (against each member's weeks taken one by one), and the members' weeks themselves across
the boundary of two stored blocks.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from itertools import repeat
from operator import itemgetter
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from hearth.community.models import Comment, Group, GroupState, Membership, Post, Reaction
from hearth.insights import measures, registry, specs
from hearth.insights.actions import do_roll_up, roll_up_due
from hearth.insights.metrics import activity, outcomes
from hearth.insights.models import ActivityWeeks, CountedAnswer, OutcomeResponse
from hearth.insights.registry import Span
from hearth.insights.rollup import BLOCK, block_of, weeks_of_activity
from hearth.members.models import Member

NOW = timezone.make_aware(datetime(2026, 6, 17, 12))  # noqa: DTZ001 (made aware in London time)
TODAY = date(2026, 6, 17)
FIRST = TODAY - timedelta(days=150)


@pytest.fixture
def clock(db: None) -> Iterator[Any]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _spans(rng: random.Random, n: int = 12) -> list[Span]:
    spans = [Span(FIRST, TODAY), Span(TODAY - timedelta(days=83), TODAY)]
    for _ in range(n):
        a = FIRST + timedelta(days=rng.randint(0, 140))
        spans.append(Span(a, min(TODAY, a + timedelta(days=rng.randint(0, 120)))))
    return spans


def _moment(rng: random.Random) -> datetime:
    return timezone.make_aware(datetime.combine(FIRST, datetime.min.time())) + timedelta(
        minutes=rng.randint(0, 150 * 24 * 60)
    )


# --- Outcomes -------------------------------------------------------------------------------------------------


def _live_answers(span: Span) -> list[tuple[str, str, int, int, int]]:
    """The outcome figures as the dashboard counted them before the rollup: each person's first and latest answer."""
    table = OutcomeResponse._meta.db_table
    sql = f"""
        SELECT latest.measure, latest.band, COUNT(*),
            SUM(CASE WHEN person.n > 1 THEN latest.score - earliest.score END),
            SUM(CASE WHEN person.n > 1 THEN 1 ELSE 0 END)
        FROM (
            SELECT member_id, measure, MIN(created_at) AS first_at, MAX(created_at) AS last_at, COUNT(*) AS n
            FROM {table} WHERE created_at >= %s AND created_at < %s GROUP BY member_id, measure
        ) person
        JOIN {table} latest ON latest.member_id = person.member_id AND latest.measure = person.measure
            AND latest.created_at = person.last_at
        JOIN {table} earliest ON earliest.member_id = person.member_id AND earliest.measure = person.measure
            AND earliest.created_at = person.first_at
        GROUP BY latest.measure, latest.band
    """  # noqa: S608 (the model's own table; dates are parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, [connection.ops.adapt_datetimefield_value(d) for d in (span.start_at, span.end_at)])
        return [(m, b, n, change or 0, changers or 0) for m, b, n, change, changers in cursor.fetchall()]


def _outcome_table(span: Span) -> tuple[list[list[str]], list[str]]:
    table = outcomes.outcome_bands(span)
    return [[str(c) for c in row] for row in table.cells()], table.notes


def _answer(rng: random.Random, person: Member, measure: str, at: datetime) -> OutcomeResponse:
    q = measures.get(measure)
    score = rng.randint(q.min_score, q.max_score)
    band = q.band(score).key
    return OutcomeResponse.objects.create(
        member=person, measure=measure, answers=[], score=score, band=band, created_at=at
    )


def _compare_outcomes(spans: list[Span], monkeypatch: pytest.MonkeyPatch) -> None:
    for span in spans:
        rolled = _outcome_table(span)
        with monkeypatch.context() as m:
            m.setattr(outcomes, "_latest_answers", _live_answers)
            live = _outcome_table(span)
        assert rolled == live, span


def test_outcome_bands_and_change_from_the_rollup_are_the_live_figures(
    clock: Any, crowd: Callable[..., list[Member]], monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(21)
    people = crowd(40)
    for person in people:
        for measure in ("phq9", "gad7", "ucla3"):
            for _ in range(rng.choice([0, 1, 1, 2, 3, 5, 8])):
                _answer(rng, person, measure, _moment(rng))
    do_roll_up(FIRST, TODAY)
    assert CountedAnswer.objects.count() == OutcomeResponse.objects.count()
    spans = _spans(rng)
    _compare_outcomes(spans, monkeypatch)
    # Something to compare: bands with people in them, and a mean change shown.
    rows, notes = _outcome_table(spans[0])
    assert any(row[1] not in ("0", "fewer than 5") for row in rows)
    assert any(re.search(r"more than once: -?[0-9]", n) for n in notes)


def test_an_answer_dated_in_the_past_and_a_withdrawal_are_counted_by_the_job(
    clock: Any, crowd: Callable[..., list[Member]], monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(9)
    people = crowd(12)
    for person in people:
        for _ in range(4):
            _answer(rng, person, "phq9", _moment(rng))
    roll_up_due(NOW)
    do_roll_up(FIRST, TODAY)
    # Given today but dated a month ago (an import): between two answers of the same person.
    _answer(rng, people[0], "phq9", NOW - timedelta(days=30))
    # Answered today: the person's earlier answers are no longer their latest.
    for person in people[1:4]:
        _answer(rng, person, "phq9", NOW - timedelta(minutes=5))
    # Said no to questionnaires after all: their answers go.
    OutcomeResponse.objects.filter(member=people[5]).delete()
    roll_up_due(NOW + timedelta(minutes=5))
    assert CountedAnswer.objects.count() == OutcomeResponse.objects.count()
    _compare_outcomes(_spans(rng), monkeypatch)


# --- Ways of taking part ---------------------------------------------------------------------------------------


def _old_style_counts(span: Span, weeks: list[date]) -> Counter[str]:
    """Each member's weeks taken one by one (the dashboard's counting before the bit counts)."""
    if not weeks:
        return Counter()
    first = span.weeks().index(weeks[0])
    part = slice(first, first + len(weeks))
    chars = Counter(map(min, map(itemgetter(part), weeks_of_activity(span).values())))
    return Counter({specs.STYLE_OF_CHAR[c]: n for c, n in chars.items() if c in specs.STYLE_OF_CHAR})


def _old_style_moves(span: Span, before: list[date], after: list[date]) -> Counter[tuple[str | None, str | None]]:
    members = list(weeks_of_activity(span).values())

    def chars(weeks: list[date]) -> Any:
        if not weeks:
            return repeat(specs.NOT_SEEN)
        first = span.weeks().index(weeks[0])
        return map(min, map(itemgetter(slice(first, first + len(weeks))), members))

    out: Counter[tuple[str | None, str | None]] = Counter()
    for (a, b), n in Counter(zip(chars(before), chars(after), strict=False)).items():
        pair = (specs.STYLE_OF_CHAR.get(a), specs.STYLE_OF_CHAR.get(b))
        if pair != (None, None):
            out[pair] += n
    return out


def _styles_tables(span: Span) -> list[list[list[str]]]:
    out = []
    for key in ("participation_styles", "style_transitions", "active_members"):
        metric = registry.get(key)
        assert metric is not None
        out.append([[str(c) for c in row] for row in metric.compute(Span(span.start, span.end)).cells()])
    return out


def test_ways_of_taking_part_by_bit_counts_are_the_member_by_member_figures(
    clock: Any, crowd: Callable[..., list[Member]], monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(5)
    people = crowd(60)
    group = Group.objects.create(name="Walkers", purpose="x", who_for="x", state=GroupState.ACTIVE)
    for i, person in enumerate(people):
        Membership.objects.create(group=group, member=person, is_host=i < 2)
    posts = []
    for _ in range(150):
        posts.append(Post.objects.create(group=group, author=rng.choice(people), body="x", created_at=_moment(rng)))
    for _ in range(250):
        Reaction.objects.get_or_create(
            post=rng.choice(posts), member=rng.choice(people), kind="hug", defaults={"created_at": _moment(rng)}
        )
    for _ in range(120):
        post = rng.choice(posts)
        Comment.objects.create(post=post, author=rng.choice(people), body="same", created_at=_moment(rng))
    for person in rng.sample(people, 20):
        Membership.objects.filter(member=person).update(here_on=_moment(rng).date())
    do_roll_up(FIRST, TODAY)
    for span in _spans(rng):
        rolled = _styles_tables(span)
        with monkeypatch.context() as m:
            m.setattr(activity, "style_counts", _old_style_counts)
            m.setattr(activity, "style_moves", _old_style_moves)
            from hearth.insights.metrics import participation

            m.setattr(participation, "style_counts", _old_style_counts)
            m.setattr(participation, "style_moves", _old_style_moves)
            live = _styles_tables(span)
        assert rolled == live, span
    whole = _styles_tables(Span(FIRST, TODAY))[0][-1]
    assert any(cell not in ("0", "fewer than 5") for cell in whole[1:])


def test_a_span_across_two_stored_blocks_reads_the_right_weeks(crowd: Callable[..., list[Member]]) -> None:
    rng = random.Random(3)
    people = crowd(8)
    # The blocks of about ten years meet on 6 January 2031.
    first_block, _ = block_of(date(2030, 6, 3))
    second_block = first_block + timedelta(weeks=BLOCK)
    assert second_block == date(2031, 1, 6)
    full: dict[int, str] = {}
    for person in people:
        chars = {
            block: "".join(rng.choice("0123456xxxx") for _ in range(BLOCK)) for block in (first_block, second_block)
        }
        for block, weeks in chars.items():
            if person != people[0] or block == first_block:  # one member has no row for the second block
                ActivityWeeks.objects.create(member=person, first_week=block, weeks=weeks)
            else:
                chars[block] = specs.NOT_SEEN * BLOCK
        full[person.pk] = chars[first_block] + chars[second_block]
    for start, end in [
        (date(2030, 7, 1), date(2031, 6, 30)),
        (date(2030, 12, 31), date(2031, 1, 6)),
        (date(2031, 1, 6), date(2031, 12, 31)),
        (date(2030, 1, 1), date(2030, 12, 31)),
    ]:
        span = Span(start, end)
        offset = (span.weeks()[0] - first_block).days // 7
        expected = {pk: chars[offset : offset + len(span.weeks())] for pk, chars in full.items()}
        expected = {pk: chars for pk, chars in expected.items() if chars.count(specs.NOT_SEEN) != len(chars)}
        assert weeks_of_activity(span) == expected, span


# --- Referrals -------------------------------------------------------------------------------------------------


def test_referrals_counted_by_the_database_are_the_people_counted_one_by_one(
    clock: Any, crowd: Callable[..., list[Member]]
) -> None:
    from hearth.insights import small_numbers as sn
    from hearth.insights.metrics.service import referrals
    from hearth.signposting.models import Referral, Resource

    rng = random.Random(11)
    people = crowd(30)
    resources = [Resource.objects.create(name=name, description="x") for name in ("Advice", "Therapy", "Advice")]
    statuses = [s for s, _ in Referral.Status.choices]
    for _ in range(200):
        Referral.objects.create(
            member=rng.choice(people),
            resource=rng.choice(resources),
            status=rng.choice(statuses),
            follow_up_on=TODAY,
            created_at=_moment(rng),
        )
    for span in _spans(rng):
        people_by: dict[str, dict[str, set[int]]] = {}
        for name, status, member_id in Referral.objects.filter(
            created_at__gte=span.start_at, created_at__lt=span.end_at
        ).values_list("resource__name", "status", "member_id"):
            people_by.setdefault(name, {}).setdefault(status, set()).add(member_id)
        expected = [
            [name, *(str(c) for c in sn.breakdown({s: len(people_by[name].get(s, set())) for s in statuses}).values())]
            for name in sorted(people_by)
        ]
        assert [[str(c) for c in row] for row in referrals(span).cells()] == expected, span
