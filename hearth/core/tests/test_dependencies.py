"""Dependencies point one way (docs/architecture.md, "Dependencies"): an app imports only apps below it.

A lower app that must set off work in a higher one announces it (a signal or a registry the higher app fills
in at start-up); it never imports the higher app, not even inside a function. This test reads every module's
imports (function-level ones too) and fails on one that points up, naming the file and line.
"""

from __future__ import annotations

import ast
from pathlib import Path

import hearth

# Lowest first. Apps on one line know nothing of each other.
LAYERS: list[set[str]] = [
    {"core"},
    {"members"},
    {"signposting", "availability"},
    {"safety"},
    {"community"},
    {"chat", "intake"},
    {"care"},
    {"team"},
    {"insights"},
]

# The imports that still point up, each with why it is allowed for now. Shrink this; never grow it.
KNOWN_UPWARD: dict[tuple[str, str], str] = {
    ("availability/demo.py", "chat"): "the demo's talk-now conversation writes its messages through chat's action "
    "(demo seeding only; the service itself hands accepted requests to chat through a registry)",
}

ROOT = Path(hearth.__file__).parent


def _rank(app: str) -> int:
    return next(i for i, layer in enumerate(LAYERS) if app in layer)


def _imports(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{a.name}" for a in node.names] if node.module == "hearth" else [node.module]
            found += [(node.lineno, name) for name in names]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
    return found


def _sources() -> list[tuple[str, str]]:
    """(path under hearth/, source) of every module of the app code (not tests or migrations)."""
    return [
        ("/".join(path.relative_to(ROOT).parts), path.read_text())
        for path in sorted(ROOT.rglob("*.py"))
        if len(path.relative_to(ROOT).parts) > 1 and not {"tests", "migrations"} & set(path.relative_to(ROOT).parts)
    ]


def upward_imports(sources: list[tuple[str, str]]) -> list[str]:
    apps = {app for layer in LAYERS for app in layer}
    problems = []
    for relative, source in sources:
        here = relative.split("/")[0]
        if here not in apps:
            continue
        for line, name in _imports(source):
            pieces = name.split(".")
            if pieces[0] != "hearth" or len(pieces) < 2 or pieces[1] not in apps or pieces[1] == here:
                continue
            there = pieces[1]
            if _rank(there) < _rank(here):
                continue
            if any(relative.startswith(prefix) and there == to for prefix, to in KNOWN_UPWARD):
                continue
            side = "beside" if _rank(there) == _rank(here) else "below"
            problems.append(f"hearth/{relative}:{line} imports {name} ({here} is {side} {there})")
    return problems


def test_every_app_is_in_one_layer() -> None:
    apps = {p.name for p in ROOT.iterdir() if (p / "apps.py").exists()}
    layered = [app for layer in LAYERS for app in layer]
    assert sorted(layered) == sorted(apps), "add the new app to LAYERS (and to docs/architecture.md)"


def test_no_app_imports_one_above_it_or_beside_it() -> None:
    problems = upward_imports(_sources())
    assert not problems, (
        "A lower app imports a higher one. Announce it instead: a signal the higher app receives "
        "(hearth/chat/signals.py, hearth/core/screening.py's crisis_found) or a registry it fills in from its "
        "AppConfig.ready (hearth/availability/conversations.py, hearth/community/joining.py):\n" + "\n".join(problems)
    )


def test_the_check_catches_an_import_inside_a_function_too() -> None:
    lazy = "def f():\n    from hearth.care.actions import add_care_item\n"
    assert upward_imports([("safety/alerts.py", lazy)]) == [
        "hearth/safety/alerts.py:2 imports hearth.care.actions (safety is below care)"
    ]
    assert upward_imports([("care/alerts.py", "from hearth.safety import alerts\n")]) == []  # downward is fine
    assert upward_imports([("chat/x.py", "import hearth.intake.models\n")]) == [
        "hearth/chat/x.py:1 imports hearth.intake.models (chat is beside intake)"
    ]
