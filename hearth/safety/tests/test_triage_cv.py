"""Leave-one-set-out cross-validation: the honest figures, and the machinery that produces them.

The slow test re-runs the whole cross-validation of the shipped configuration over every labelled set, so tuning
to one file shows up as a drop in the pooled figures. The others check the pieces on small data.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import sys
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

from hearth.safety.triage import classify, model
from hearth.safety.triage import training as tr
from hearth.safety.triage.data import REPO_ROOT


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


def test_every_set_is_found_and_adding_a_file_adds_a_set() -> None:
    paths = tr.set_paths()
    assert {"veterans", "farmers-rural", "hearing-voices", "blind4_final", "tune"} <= set(paths)
    assert all(p.suffix == ".jsonl" for p in paths.values())


def test_cross_validation_leaves_each_set_out_and_picks_thresholds_without_it() -> None:
    sets = _toy_sets()
    report = tr.cross_validate(sets, tr.Config(c=10.0, min_words=3))
    assert set(report.per_set) == set(sets)
    assert report.pooled.n == sum(len(v) for v in sets.values())
    for name, t in report.thresholds.items():
        assert {"crisis", "risk", "review"} <= set(t), name
    assert report.pooled.crisis_recall >= 0.75  # the toy sets share their concepts: it learns them
    table = tr.format_report(report)
    assert "| **pooled** |" in table and "95% CI" in table


def test_the_fast_threshold_search_makes_the_same_decision_as_classify() -> None:
    sets = _toy_sets()
    cfg = tr.Config(c=10.0, min_words=3)
    rows = tr.out_of_fold(sets, cfg)["toy0"]
    arr = tr._Arrays(rows, cfg)
    for tc, tr_ in ((0.3, 0.5), (0.6, 0.4), (0.9, 0.9)):
        t = {"crisis": tc, "risk": tr_}
        scalar = [tr.URGENCY[tr.decide(r, t, cfg).risk] for r in rows]
        assert list(arr.risk(tc, tr_)) == scalar


def test_wilson_interval_brackets_the_proportion() -> None:
    lo, hi = tr.wilson(45, 50)
    assert lo < 0.9 < hi and lo >= 0 and hi <= 1


def test_shipped_weights_carry_their_cross_validated_figures() -> None:
    meta = json.loads(model.WEIGHTS_PATH.read_text(encoding="utf-8"))
    cv = meta["cross_validation"]
    assert cv["sets"] == len(meta["trained_on"]) >= 27
    assert cv["crisis_precision"] >= tr.ALARM_PRECISION - 0.02  # the alarm keeps its precision
    assert cv["crisis_recall"] >= 0.85
    assert cv["macro_f1"] >= 0.85


def cv_inputs_fingerprint(repository_only: bool = False) -> str:
    """A hash of everything the cross-validation reads: Python and the numeric libraries' versions, the triage
    code (it imports nothing else of Hearth's), the shipped weights (their configuration) and any organisation's
    own, and every labelled set found (the shared dev set only where ``../shared/triage`` is, so a clean clone
    has a fingerprint of its own; ``repository_only`` leaves it out)."""
    digest = hashlib.sha256(platform.python_version().encode())
    for package in ("numpy", "scipy", "scikit-learn"):
        digest.update(f"{package} {metadata.version(package)}".encode())
    for path in sorted(Path(tr.__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    digest.update(model.WEIGHTS_PATH.read_bytes())
    if Path(model.active_path()) != model.WEIGHTS_PATH:
        digest.update(Path(model.active_path()).read_bytes())
    for name, path in sorted(tr.set_paths().items()):
        if repository_only and not path.resolve().is_relative_to(REPO_ROOT):
            continue
        digest.update(name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


# The figures of runs already made, committed beside this file under their fingerprint, so a clean clone (CI)
# needs no run while nothing the run reads has changed; any change to the triage code, the weights or a labelled
# set is a new fingerprint, which runs again. HEARTH_TRIAGE_CV_RECORD=1 records the run it makes here.
RECORDED = Path(__file__).with_name("triage_cv_figures.json")


def _recorded() -> dict[str, dict[str, object]]:
    return dict(json.loads(RECORDED.read_text(encoding="utf-8"))) if RECORDED.exists() else {}


def _run_cross_validation() -> dict[str, object]:
    meta = json.loads(model.WEIGHTS_PATH.read_text(encoding="utf-8"))
    cfg = tr.Config(**{**meta["config"], "learned_flags": tuple(meta["config"]["learned_flags"])})
    sets = tr.load_all()
    report = tr.cross_validate(sets, cfg)
    p = report.pooled
    return {
        "sets": sorted(sets),
        "crisis_recall": p.crisis_recall,
        "crisis_precision": p.crisis_precision,
        "macro_f1": p.macro_f1,
        "report": tr.format_report(report),
    }


def pooled_cross_validation() -> dict[str, Any]:
    """The pooled figures of the shipped configuration's whole leave-one-set-out run (minutes on one core).

    The run is deterministic, so its figures are looked up under :func:`cv_inputs_fingerprint`: first in the
    committed ``triage_cv_figures.json``, then in the temporary directory; the run is repeated only when
    something it reads has changed. ``HEARTH_TRIAGE_CV_FRESH=1`` runs it regardless and fails if a recorded
    figure for the same inputs differs (proving the record); ``HEARTH_TRIAGE_CV_RECORD=1`` writes the run into
    ``triage_cv_figures.json`` (commit it); ``scripts/train_triage.py cv`` prints the whole table.
    """
    fingerprint = cv_inputs_fingerprint()
    recorded = _recorded()
    cache = Path(tempfile.gettempdir()) / f"hearth-triage-cv-{os.getuid()}" / f"{fingerprint}.json"
    fresh, record = os.environ.get("HEARTH_TRIAGE_CV_FRESH"), os.environ.get("HEARTH_TRIAGE_CV_RECORD")
    if not fresh and not record:
        if fingerprint in recorded:
            return recorded[fingerprint]
        if cache.exists():
            return dict(json.loads(cache.read_text(encoding="utf-8")))
    figures = _run_cross_validation()
    if fingerprint in recorded:
        # The figures only: the report's wording and the record's own "repository" key are not figures.
        figures_only = {k: v for k, v in figures.items() if k not in ("report", "repository")}
        on_record = {k: v for k, v in recorded[fingerprint].items() if k not in ("report", "repository")}
        assert figures_only == on_record, (
            f"triage_cv_figures.json records other figures for these inputs ({fingerprint}) than this run made"
        )
    cache.parent.mkdir(exist_ok=True)
    partial = cache.with_suffix(f".{os.getpid()}.partial")
    partial.write_text(json.dumps(figures), encoding="utf-8")
    partial.replace(cache)
    if record:
        # Keep the records of these same repository files (with and without the shared dev set); drop the rest.
        keep = {k: v for k, v in recorded.items() if v.get("repository") == cv_inputs_fingerprint(repository_only=True)}
        keep[fingerprint] = {**figures, "repository": cv_inputs_fingerprint(repository_only=True)}
        RECORDED.write_text(json.dumps(keep, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return figures


def test_the_cross_validation_fingerprint_changes_with_what_it_reads(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    before = cv_inputs_fingerprint()
    assert cv_inputs_fingerprint() == before
    one_more = tmp_path / "one-more.jsonl"
    one_more.write_text('{"id": "x", "text": "hello", "risk": "none", "flags": []}\n', encoding="utf-8")
    monkeypatch.setattr(tr, "set_paths", lambda real=tr.set_paths: {**real(), "one-more": one_more})
    assert cv_inputs_fingerprint() != before


def test_a_recorded_figure_is_used_only_for_the_inputs_it_was_made_from(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ran = {"crisis_recall": 0.5, "crisis_precision": 0.5, "macro_f1": 0.5, "report": "a fresh run"}
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(sys.modules[__name__], "_run_cross_validation", lambda: ran)
    monkeypatch.setattr(sys.modules[__name__], "RECORDED", tmp_path / "recorded.json")
    monkeypatch.delenv("HEARTH_TRIAGE_CV_FRESH", raising=False)
    monkeypatch.delenv("HEARTH_TRIAGE_CV_RECORD", raising=False)
    on_record = {"crisis_recall": 0.9, "crisis_precision": 0.9, "macro_f1": 0.9, "report": "recorded"}
    (tmp_path / "recorded.json").write_text(json.dumps({cv_inputs_fingerprint(): on_record}), encoding="utf-8")
    assert pooled_cross_validation() == on_record

    one_more = tmp_path / "one-more.jsonl"  # a labelled set added: the record no longer stands for the run
    one_more.write_text('{"id": "x", "text": "hello", "risk": "none", "flags": []}\n', encoding="utf-8")
    monkeypatch.setattr(tr, "set_paths", lambda real=tr.set_paths: {**real(), "one-more": one_more})
    assert pooled_cross_validation() == ran


def test_a_fresh_run_that_agrees_with_a_written_record_passes(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A record written by HEARTH_TRIAGE_CV_RECORD=1 carries a "repository" key; a fresh run compares figures only."""
    ran = {"crisis_recall": 0.9, "crisis_precision": 0.9, "macro_f1": 0.9, "report": "a fresh run"}
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(sys.modules[__name__], "_run_cross_validation", lambda: ran)
    monkeypatch.setattr(sys.modules[__name__], "RECORDED", tmp_path / "recorded.json")
    monkeypatch.delenv("HEARTH_TRIAGE_CV_FRESH", raising=False)
    monkeypatch.setenv("HEARTH_TRIAGE_CV_RECORD", "1")
    pooled_cross_validation()
    assert "repository" in json.loads((tmp_path / "recorded.json").read_text(encoding="utf-8"))[cv_inputs_fingerprint()]
    monkeypatch.delenv("HEARTH_TRIAGE_CV_RECORD")
    monkeypatch.setenv("HEARTH_TRIAGE_CV_FRESH", "1")
    assert pooled_cross_validation() == ran


def test_a_fresh_run_that_disagrees_with_the_record_fails(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    ran = {"crisis_recall": 0.5, "crisis_precision": 0.5, "macro_f1": 0.5, "report": "a fresh run"}
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(sys.modules[__name__], "_run_cross_validation", lambda: ran)
    monkeypatch.setattr(sys.modules[__name__], "RECORDED", tmp_path / "recorded.json")
    monkeypatch.setenv("HEARTH_TRIAGE_CV_FRESH", "1")
    on_record = {"crisis_recall": 0.9, "crisis_precision": 0.9, "macro_f1": 0.9, "report": "recorded"}
    (tmp_path / "recorded.json").write_text(json.dumps({cv_inputs_fingerprint(): on_record}), encoding="utf-8")
    with pytest.raises(AssertionError, match="other figures"):
        pooled_cross_validation()


@pytest.mark.slow
def test_pooled_cross_validated_figures_hold() -> None:
    """The whole leave-one-set-out run of the shipped configuration (repeated only when its inputs change)."""
    meta = json.loads(model.WEIGHTS_PATH.read_text(encoding="utf-8"))
    recorded = meta["cross_validation"]
    pooled = pooled_cross_validation()
    # The recorded figures were produced by this same run; allow a hair for a changed rule elsewhere.
    assert pooled["crisis_recall"] >= recorded["crisis_recall"] - 0.02, pooled["report"]
    assert pooled["crisis_precision"] >= tr.ALARM_PRECISION - 0.02, pooled["report"]
    assert pooled["macro_f1"] >= recorded["macro_f1"] - 0.02, pooled["report"]
    assert classify("Love this!").risk == "none"
