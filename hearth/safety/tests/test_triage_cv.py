"""Leave-one-set-out cross-validation: the honest figures, and the machinery that produces them.

The slow test re-runs the whole cross-validation of the shipped configuration over every labelled set, so tuning
to one file shows up as a drop in the pooled figures. The others check the pieces on small data.
"""

from __future__ import annotations

import json

import pytest

from hearth.safety.triage import classify, model
from hearth.safety.triage import training as tr


def _items(name: str, rows: list[tuple[str, str]]) -> list[tr.Item]:
    return tr.prepare(name, [{"id": f"{name}-{i}", "text": t, "risk": r, "flags": []} for i, (t, r) in enumerate(rows)])


CRISIS = [
    "took every tablet in the box an hour ago and im so sleepy now, sorry everyone",
    "the rope is tied in the garage and im going out there tonight when they are asleep",
    "written the letters, the dog goes to my sister. tonight is the night i end it",
    "standing on the bridge now, nobody will miss me, goodbye all of you",
]
CONCERN = [
    "i keep wishing i just would not wake up in the morning, everything feels pointless",
    "feel like such a burden to everyone around me lately, cant see the point of much",
    "cut myself again last week and the urges are bad tonight but im holding on",
    "so alone in this flat, havent spoken to anyone in days and i am struggling badly",
]
NONE = [
    "anyone up for the quiz on thursday night at the pub",
    "finished my allotment shed today, very muddy and very happy with it",
    "that jumper looks amazing, what wool is it made from",
    "morning all, grey and drizzly here but the tea is good",
    "welcome to the group, glad you found us, pull up a chair",
    "this exam is killing me lol but nearly done now",
]


def _toy_sets() -> dict[str, list[tr.Item]]:
    sets = {}
    for k in range(3):
        rows = [(t, "crisis") for t in CRISIS] + [(t, "concern") for t in CONCERN] + [(t, "none") for t in NONE]
        sets[f"toy{k}"] = _items(f"toy{k}", [(f"{t} {'x' * (k + 1)}", r) for t, r in rows])
    return sets


def test_every_set_is_found_and_adding_a_file_adds_a_set():
    paths = tr.set_paths()
    assert {"veterans", "farmers-rural", "hearing-voices", "blind4_final", "tune"} <= set(paths)
    assert all(p.suffix == ".jsonl" for p in paths.values())


def test_cross_validation_leaves_each_set_out_and_picks_thresholds_without_it():
    sets = _toy_sets()
    report = tr.cross_validate(sets, tr.Config(c=10.0, min_words=3))
    assert set(report.per_set) == set(sets)
    assert report.pooled.n == sum(len(v) for v in sets.values())
    for name, t in report.thresholds.items():
        assert {"crisis", "risk", "review"} <= set(t), name
    assert report.pooled.crisis_recall >= 0.75  # the toy sets share their concepts: it learns them
    table = tr.format_report(report)
    assert "| **pooled** |" in table and "95% CI" in table


def test_the_fast_threshold_search_makes_the_same_decision_as_classify():
    sets = _toy_sets()
    cfg = tr.Config(c=10.0, min_words=3)
    rows = tr.out_of_fold(sets, cfg)["toy0"]
    arr = tr._Arrays(rows, cfg)
    for tc, tr_ in ((0.3, 0.5), (0.6, 0.4), (0.9, 0.9)):
        t = {"crisis": tc, "risk": tr_}
        scalar = [tr.URGENCY[tr.decide(r, t, cfg).risk] for r in rows]
        assert list(arr.risk(tc, tr_)) == scalar


def test_wilson_interval_brackets_the_proportion():
    lo, hi = tr.wilson(45, 50)
    assert lo < 0.9 < hi and lo >= 0 and hi <= 1


def test_shipped_weights_carry_their_cross_validated_figures():
    meta = json.loads(model.WEIGHTS_PATH.read_text(encoding="utf-8"))
    cv = meta["cross_validation"]
    assert cv["sets"] == len(meta["trained_on"]) >= 27
    assert cv["crisis_precision"] >= tr.ALARM_PRECISION - 0.02  # the alarm keeps its precision
    assert cv["crisis_recall"] >= 0.85
    assert cv["macro_f1"] >= 0.85


@pytest.mark.slow
def test_pooled_cross_validated_figures_hold():
    """The whole leave-one-set-out run of the shipped configuration (a few minutes on one core)."""
    meta = json.loads(model.WEIGHTS_PATH.read_text(encoding="utf-8"))
    cfg = tr.Config(**{**meta["config"], "learned_flags": tuple(meta["config"]["learned_flags"])})
    report = tr.cross_validate(tr.load_all(), cfg)
    recorded = meta["cross_validation"]
    pooled = report.pooled
    # The recorded figures were produced by this same run; allow a hair for a changed rule elsewhere.
    assert pooled.crisis_recall >= recorded["crisis_recall"] - 0.02, tr.format_report(report)
    assert pooled.crisis_precision >= tr.ALARM_PRECISION - 0.02, tr.format_report(report)
    assert pooled.macro_f1 >= recorded["macro_f1"] - 0.02, tr.format_report(report)
    assert classify("Love this!").risk == "none"
