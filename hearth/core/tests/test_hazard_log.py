"""The hazard log (docs/safety/hazard-log.md) can't rot: every file, function and test it names exists.

Each control row must name the code that implements it and the test that proves it, or say it is
"in progress (issue N)" or a known **gap:**. Rename or remove a test or function and this fails until the log says so.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
LOG = ROOT / "docs" / "safety" / "hazard-log.md"
REFERENCE = re.compile(r"`([\w./-]+\.(?:py|sh))(?:::([\w.]+))?`")


@cache
def names_in(path: Path) -> frozenset[str]:
    """Top-level functions and classes, and ``Class.method``, defined in a Python file."""
    tree = ast.parse(path.read_text())
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            found.add(node.name)
        if isinstance(node, ast.ClassDef):
            found |= {
                f"{node.name}.{item.name}"
                for item in node.body
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
            }
    return frozenset(found)


def control_rows() -> list[tuple[str, str]]:
    """(hazard id, row) for every control row in the hazard sections."""
    rows, hazard = [], None
    for line in LOG.read_text().splitlines():
        heading = re.match(r"## (H\d+) ", line)
        if heading:
            hazard = heading.group(1)
        elif hazard and line.startswith("| ") and not line.startswith(("| control", "|---")):
            rows.append((hazard, line))
    return rows


def test_every_file_function_and_test_named_in_the_hazard_log_exists() -> None:
    references = REFERENCE.findall(LOG.read_text())
    assert len(references) > 50
    missing = []
    for path, name in references:
        file = ROOT / path
        if not file.exists():
            missing.append(path)
        elif name and name not in names_in(file):
            missing.append(f"{path}::{name}")
    assert not missing, f"the hazard log names things that don't exist: {missing}"


def test_every_control_names_its_code_and_its_test_or_says_it_is_in_progress() -> None:
    rows = control_rows()
    hazards = {hazard for hazard, _ in rows}
    assert hazards == {f"H{n}" for n in range(1, len(hazards) + 1)}
    for hazard, row in rows:
        if re.search(r"in progress \(issue \d+\)|\*\*gap:\*\*", row):
            continue
        references = REFERENCE.findall(row)
        tests = [(p, n) for p, n in references if "/tests/" in p and n.startswith("test_")]
        code = [(p, n) for p, n in references if "/tests/" not in p]
        assert tests and code, f"{hazard}: a control without its code and a test: {row}"


def test_each_hazard_has_at_least_one_proven_control() -> None:
    proven = {hazard for hazard, row in control_rows() if "/tests/" in row}
    summary = set(re.findall(r"^\| (H\d+) \|", LOG.read_text(), re.M))
    assert summary and summary == proven
