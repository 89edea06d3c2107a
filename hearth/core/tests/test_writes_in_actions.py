"""Every write is in an app's ``actions.py`` (docs/architecture.md, "The rules every app follows", 1).

This test reads every module of the application code and fails on a model write outside ``actions.py``: a call
to ``.save()`` (no positional arguments, as a model's), ``.delete()`` (none either), or ``create``, ``update``,
``bulk_create``, ``bulk_update``, ``get_or_create``, ``update_or_create``, ``delete`` on a manager or queryset
(a chain through ``.objects`` or a related ``_set``). It names the file, line and call.

Not read, by rule: tests, migrations and management commands; ``models.py`` (a model's own ``save``);
``demo.py`` (the demo's seeders write its history directly where no action fits, e.g. a week of bulk rows);
``data_rights.py`` (each app's erase function, run only inside the erasure action's transaction).
"""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

import hearth

ROOT = Path(hearth.__file__).parent

ON_MANAGERS = {"create", "update", "delete", "bulk_create", "bulk_update", "get_or_create", "update_or_create"}
SKIPPED_PARTS = {"tests", "migrations", "management"}
SKIPPED_NAMES = {"actions.py", "models.py", "demo.py", "data_rights.py"}

# Modules that write outside an actions.py, each with why. Shrink this; never grow it without a reason as good.
KNOWN: dict[str, str] = {
    "core/audit.py": "the audit entry itself, written inside the caller's action",
    "core/deliveries.py": "the delivery pipeline's own records (each send, retry and outcome)",
    "core/notifications.py": "the notifications centre: core's actions for notifying and marking read",
    "core/push.py": "push devices and their subscriptions: core's actions for push",
    "core/scheduler.py": "the periodic scheduler's claims on its own runs",
    "core/health.py": "the worker's heartbeat row",
    "core/tasks.py": "core's housekeeping job (old bookkeeping rows)",
    "chat/loadtest.py": "the load test's own rooms and people",
    "community/screening.py": "the crisis drill's own private group, made and removed by hearth drill",
    "safety/screening.py": "the crisis drill's stand-in sanction for its appeal path",
    "safety/drill.py": "the crisis drill's synthetic people and their signed-in session",
}


@functools.cache
def _parse(source: str) -> ast.Module:
    """Each module is read by two checks here: parsed once."""
    return ast.parse(source)


def _through_a_manager(node: ast.expr) -> bool:
    while isinstance(node, ast.Attribute | ast.Call):
        if isinstance(node, ast.Attribute):
            if node.attr == "objects" or node.attr.endswith("_set"):
                return True
            node = node.value
        else:
            node = node.func
    return False


def writes_in(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(_parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        name = node.func.attr
        if (
            (name == "save" and not node.args)
            or (name == "delete" and not node.args and not node.keywords)
            or (name in ON_MANAGERS and _through_a_manager(node.func.value))
        ):
            found.append((node.lineno, ast.unparse(node)[:80]))
    return found


def _modules() -> list[Path]:
    return [
        path
        for path in sorted(ROOT.rglob("*.py"))
        if len(path.relative_to(ROOT).parts) > 1
        and not SKIPPED_PARTS & set(path.relative_to(ROOT).parts)
        and path.name not in SKIPPED_NAMES
    ]


def test_every_write_is_in_an_actions_module() -> None:
    problems = [
        f"hearth/{path.relative_to(ROOT)}:{line} {call}"
        for path in _modules()
        if "/".join(path.relative_to(ROOT).parts) not in KNOWN
        for line, call in writes_in(path.read_text())
    ]
    assert problems == [], "writes outside actions.py (move them into the app's actions):\n" + "\n".join(problems)


def test_every_known_exception_still_writes() -> None:
    """An entry that no longer writes is taken off the list."""
    stale = [name for name in KNOWN if not (ROOT / name).exists() or not writes_in((ROOT / name).read_text())]
    assert stale == []


def test_the_check_finds_writes_and_passes_over_look_alikes() -> None:
    source = """
item.save(update_fields=["state"])
Thing.objects.filter(pk=1).update(state="x")
member.careitem_set.create(reason="r")
row.delete()
image.save(out, format="PNG")
counts.update(more)
default_storage.delete(name)
"""
    assert [line for line, _ in writes_in(source)] == [2, 3, 4, 5]


# Modules that write another app's rows through its manager, each with why (demo seeders are not read at all).
KNOWN_CROSS_APP: dict[str, str] = {
    "chat/loadtest.py": "the load test's own people, groups and memberships, made for the run",
    "safety/drill.py": "the crisis drill's synthetic people's roles, removed with them",
}


def cross_app_writes_in(source: str, app: str) -> list[tuple[int, str]]:
    """Writes through the manager of a model imported from another app's ``models`` (``Member.objects.create``)."""
    tree = _parse(source)
    owner = {
        alias.asname or alias.name: node.module.split(".")[1]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and re.fullmatch(r"hearth\.\w+\.models", node.module)
        for alias in node.names
    }
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ON_MANAGERS):
            continue
        base: ast.expr = node.func.value
        while isinstance(base, ast.Attribute | ast.Call):
            base = base.value if isinstance(base, ast.Attribute) else base.func
        if isinstance(base, ast.Name) and owner.get(base.id, app) != app and _through_a_manager(node.func.value):
            found.append((node.lineno, ast.unparse(node)[:80]))
    return found


def test_a_change_to_another_apps_rows_goes_through_that_apps_action() -> None:
    problems = [
        f"hearth/{path.relative_to(ROOT)}:{line} {call}"
        for path in _modules()
        if "/".join(path.relative_to(ROOT).parts) not in KNOWN_CROSS_APP
        for line, call in cross_app_writes_in(path.read_text(), path.relative_to(ROOT).parts[0])
    ]
    assert problems == [], "another app's rows written directly (call that app's action):\n" + "\n".join(problems)


def test_the_cross_app_check_knows_whose_model_it_is() -> None:
    source = """
from hearth.members.models import Member
from hearth.safety.models import Sanction

Member.objects.filter(pk=1).update(is_active=False)
Sanction.objects.create(member=member)
"""
    assert [line for line, _ in cross_app_writes_in(source, "safety")] == [5]
    assert [line for line, _ in cross_app_writes_in(source, "members")] == [6]


def test_every_known_cross_app_exception_still_writes() -> None:
    stale = [
        name
        for name in KNOWN_CROSS_APP
        if not (ROOT / name).exists() or not cross_app_writes_in((ROOT / name).read_text(), name.split("/")[0])
    ]
    assert stale == []
