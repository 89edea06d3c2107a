"""Views are thin and written one way (docs/architecture.md, "The rules every app follows", 1).

This test reads every ``views.py`` and fails on what ``hearth/core/web.py`` replaces: a copied ``_me(request)``,
a cast of ``request.user`` with a ``type: ignore``, and a ``try/except ActionError`` whose handler only shows the
refusal (``messages.error(request, str(error))`` or ``form.add_error(…, str(error))``) — that is
``with show_errors(request)``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import hearth

ROOT = Path(hearth.__file__).parent


def _shows_refusal(handler: ast.ExceptHandler) -> bool:
    if not handler.body or not handler.name:
        return False
    first = handler.body[0]
    if not (isinstance(first, ast.Expr) and isinstance(first.value, ast.Call)):
        return False
    text = ast.unparse(first.value)
    return text in (f"messages.error(request, str({handler.name}))",) or (
        ".add_error(" in text and text.endswith(f"str({handler.name}))")
    )


def copies_in(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef) and node.name == "_me":
            found.append(f"line {node.lineno}: def _me (use request.member)")
        if isinstance(node, ast.Try):
            for handler in node.handlers:
                caught = handler.type
                names = caught.elts if isinstance(caught, ast.Tuple) else [caught] if caught else []
                if "ActionError" in [ast.unparse(n) for n in names] and _shows_refusal(handler):
                    found.append(f"line {node.lineno}: try/except ActionError that only shows it (use show_errors)")
    for number, line in enumerate(source.splitlines(), 1):
        if "request.user" in line and "type: ignore" in line:
            found.append(f"line {number}: request.user cast (use request.member)")
    return found


def test_views_use_request_member_and_show_errors() -> None:
    problems = [
        f"hearth/{path.relative_to(ROOT)} {problem}"
        for path in sorted(ROOT.glob("*/views.py"))
        for problem in copies_in(path.read_text())
    ]
    assert problems == [], "\n".join(problems)


def test_the_check_finds_a_copied_block() -> None:
    source = """
def view(request):
    try:
        actions.do_thing(request.user)  # type: ignore[arg-type]
    except ActionError as exc:
        messages.error(request, str(exc))
"""
    assert len(copies_in(source)) == 2


def test_the_check_finds_a_refusal_caught_with_other_errors() -> None:
    source = """
def view(request):
    try:
        actions.do_thing(request.member)
    except (ActionError, ValueError) as error:
        messages.error(request, str(error))
"""
    assert copies_in(source) == ["line 3: try/except ActionError that only shows it (use show_errors)"]
