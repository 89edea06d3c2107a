"""Scoring and every severity band of PHQ-9, GAD-7 and the UCLA 3-item loneliness scale."""

from __future__ import annotations

from typing import Any

import pytest

from hearth.insights.measures import GAD7, PHQ9, UCLA3, Questionnaire


def _answers_for(q: Questionnaire, total: int) -> list[int]:
    """Item answers adding up to ``total`` (filled from the first item)."""
    values = sorted(v for v, _ in q.options)
    low, high = values[0], values[-1]
    answers = [low] * len(q.items)
    left = total - low * len(q.items)
    for i in range(len(answers)):
        step = min(high - low, left)
        answers[i] += step
        left -= step
    assert left == 0
    return answers


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"), (14, "moderate"),
        (15, "moderately_severe"), (19, "moderately_severe"), (20, "severe"), (27, "severe"),
    ],
)  # fmt: skip
def test_phq9_bands(score: int, band: str) -> None:
    answers = _answers_for(PHQ9, score)
    assert PHQ9.score(answers) == score
    assert PHQ9.band(score).key == band


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "severe"),
        (21, "severe"),
    ],
)
def test_gad7_bands(score: int, band: str) -> None:
    assert GAD7.score(_answers_for(GAD7, score)) == score
    assert GAD7.band(score).key == band


@pytest.mark.parametrize(("score", "band"), [(3, "not_lonely"), (5, "not_lonely"), (6, "lonely"), (9, "lonely")])
def test_ucla3_runs_from_3_to_9_and_6_or_more_is_lonely(score: int, band: str) -> None:
    assert UCLA3.min_score == 3 and UCLA3.max_score == 9
    assert UCLA3.score(_answers_for(UCLA3, score)) == score
    assert UCLA3.band(score).key == band


def test_ranges_are_the_published_ones() -> None:
    assert (PHQ9.min_score, PHQ9.max_score, len(PHQ9.items)) == (0, 27, 9)
    assert (GAD7.min_score, GAD7.max_score, len(GAD7.items)) == (0, 21, 7)


@pytest.mark.parametrize(
    "answers", [[0] * 8, [0] * 10, [0] * 8 + [4], [0] * 8 + [-1], [0] * 8 + ["1"], [0] * 8 + [True]]
)
def test_incomplete_or_out_of_range_answers_are_refused(answers: list[Any]) -> None:
    with pytest.raises(ValueError, match="one answer for each"):
        PHQ9.score(answers)


def test_ucla3_has_no_zero_answer() -> None:
    with pytest.raises(ValueError):
        UCLA3.score([0, 1, 1])
