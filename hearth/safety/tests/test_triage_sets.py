"""The community triage sets in ``hearth/safety/triage/sets/`` are well-formed.

Each set is its own file so it can be left out of training; these checks keep every file loadable by the
trainer and the scorer (``/work/shared/triage/score.py`` reads the same JSON Lines shape).
"""

import json
import re
from pathlib import Path

import pytest

SETS = Path(__file__).resolve().parents[1] / "triage" / "sets"
RISKS = {"crisis", "concern", "none"}
FLAGS = {"hostility", "substance", "practical"}
SET_FILES = sorted(SETS.glob("*.jsonl"))


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower())


def _records(path: Path) -> list[dict[str, object]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def test_there_are_sets() -> None:
    assert len(SET_FILES) >= 1


@pytest.mark.parametrize("path", SET_FILES, ids=lambda p: p.stem)
def test_set_is_well_formed(path: Path) -> None:
    records = _records(path)
    assert 150 <= len(records) <= 200
    ids = [r["id"] for r in records]
    assert len(set(ids)) == len(ids)
    for record in records:
        assert set(record) == {"id", "text", "risk", "flags"}
        assert isinstance(record["id"], str) and re.fullmatch(rf"{re.escape(path.stem)}-\d{{3}}", record["id"])
        assert isinstance(record["text"], str) and record["text"].strip()
        assert record["risk"] in RISKS
        flags = record["flags"]
        assert isinstance(flags, list) and set(flags) <= FLAGS and len(set(flags)) == len(flags)
    risks = {risk: sum(r["risk"] == risk for r in records) for risk in RISKS}
    assert risks["crisis"] > 0 and risks["concern"] > 0 and risks["none"] > 0


def test_every_text_is_unique_across_sets() -> None:
    seen: dict[str, str] = {}
    for path in SET_FILES:
        for record in _records(path):
            key = _normal(str(record["text"]))
            assert key not in seen, f"{record['id']} repeats {seen[key]}"
            seen[key] = str(record["id"])


def test_readme_lists_every_set() -> None:
    readme = (SETS / "README.md").read_text(encoding="utf-8")
    for path in SET_FILES:
        assert f"`{path.name}`" in readme
