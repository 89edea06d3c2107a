"""A ``# type: ignore`` is there only where a library's types force it, and says which error and why (issue 19).

Each one names its error code (``# type: ignore[attr-defined]``, so any other error on the line is still
reported) and, after it, a comment saying what in the library forces it. The few there are listed in
``docs/architecture.md`` ("Types"); anything else is fixed in our own code (narrow the type, declare the
attribute, type the helper) rather than ignored.
"""

from __future__ import annotations

import re
from pathlib import Path

import hearth

REPO = Path(hearth.__file__).parent.parent
SAMPLES = {"test_type_ignores.py", "test_thin_views.py"}  # their sample sources hold ignores on purpose
IGNORE = re.compile(r"#\s*type:\s*ignore(?P<code>\[[a-z-, ]+\])?(?P<why>\s*#\s*\S.*)?$")


def unexplained(source: str) -> list[str]:
    found = []
    for number, line in enumerate(source.splitlines(), 1):
        match = IGNORE.search(line)
        if match and not (match["code"] and match["why"]):
            found.append(f"line {number}: {line.strip()}")
    return found


def test_every_type_ignore_names_its_error_and_why() -> None:
    problems = [
        f"{path.relative_to(REPO)} {problem}"
        for folder in ("hearth", "e2e")
        for path in sorted((REPO / folder).rglob("*.py"))
        if path.name not in SAMPLES and "/migrations/" not in str(path)
        for problem in unexplained(path.read_text())
    ]
    assert problems == [], "\n".join(problems)


def test_the_check_finds_a_bare_or_unexplained_ignore() -> None:
    source = (
        "a = b  # type: ignore\nc = d  # type: ignore[attr-defined]\ne = f  # type: ignore[misc]  # untyped library\n"
    )
    assert unexplained(source) == ["line 1: a = b  # type: ignore", "line 2: c = d  # type: ignore[attr-defined]"]
