"""A form and the action it feeds cannot drift apart (docs/architecture.md, "The rules every app follows", 1).

A view parses the request with a form and hands what it cleaned to an action. This test reads every ``views.py``
and, for each form a view makes (``form = SomeForm(...)``):

- a call that passes the whole form (``actions.do_x(..., **form.cleaned_data)``): every field is a keyword the
  action takes, and every keyword the action needs is a field or given in the call. An action that takes
  ``**fields`` says which in ``FIELDS_OF`` below (the same tuple its form's ``Meta.fields`` is built from);
- a value read by name (``form.cleaned_data["note"]``, or ``data["note"]`` after ``data = form.cleaned_data``):
  the form has that field.

It names the file, view, form and action.
"""

from __future__ import annotations

import ast
import importlib
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django import forms as django_forms

import hearth
from hearth.availability.actions import PROFILE_FIELDS
from hearth.community.actions import GROUP_FIELDS
from hearth.signposting.actions import RESOURCE_FIELDS

ROOT = Path(hearth.__file__).parent

# Actions that take ``**fields``: the fields they use (anything else would be dropped without a word).
FIELDS_OF: dict[str, tuple[str, ...]] = {
    "hearth.community.actions.do_propose_group": GROUP_FIELDS,
    "hearth.community.actions.do_revise_proposal": GROUP_FIELDS,
    "hearth.signposting.actions.do_save_resource": RESOURCE_FIELDS,
    "hearth.availability.actions.do_save_supporter_profile": PROFILE_FIELDS,
}

# Fields a form's clean() folds into another before the action sees them.
FOLDED: dict[str, set[str]] = {
    "SupporterProfileForm": {"more_experience"},  # added to experience
}


type FormClass = type[django_forms.Form | django_forms.ModelForm[Any]]


def _form_variables(function: ast.FunctionDef, namespace: dict[str, Any]) -> dict[str, FormClass]:
    """``{variable: form class}`` for ``x = SomeForm(...)`` (also ``... if ... else None``) in a view."""
    found: dict[str, FormClass] = {}
    for node in ast.walk(function):
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)):
            continue
        value = node.value.body if isinstance(node.value, ast.IfExp) else node.value
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Name):
            made = namespace.get(value.func.id)
            if isinstance(made, type) and issubclass(made, (django_forms.Form, django_forms.ModelForm)):
                found[node.targets[0].id] = made
    return found


def _cleaned_of(node: ast.expr, forms: dict[str, FormClass]) -> str | None:
    """The form variable when ``node`` is ``<form>.cleaned_data``."""
    if (
        isinstance(node, ast.Attribute)
        and node.attr == "cleaned_data"
        and isinstance(node.value, ast.Name)
        and node.value.id in forms
    ):
        return node.value.id
    return None


def _callee(call: ast.Call, namespace: dict[str, Any]) -> Callable[..., Any] | None:
    target: Any = None
    parts: list[str] = []
    func: ast.expr = call.func
    while isinstance(func, ast.Attribute):
        parts.insert(0, func.attr)
        func = func.value
    if not isinstance(func, ast.Name):
        return None
    target = namespace.get(func.id)
    for part in parts:
        target = getattr(target, part, None)
    return target if callable(target) else None


def _takes(action: Callable[..., Any]) -> tuple[set[str], set[str]] | None:
    """(keywords the action takes, keywords it needs); None for ``**fields`` not named in FIELDS_OF."""
    name = f"{action.__module__}.{action.__qualname__}"
    parameters = inspect.signature(action).parameters.values()
    named = {p.name for p in parameters if p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)}
    needed = {p.name for p in parameters if p.kind == p.KEYWORD_ONLY and p.default is p.empty}
    if any(p.kind == p.VAR_KEYWORD for p in parameters):
        if name not in FIELDS_OF:
            return None
        named |= set(FIELDS_OF[name])
    return named, needed


def drift(relative: str) -> list[str]:
    module = importlib.import_module("hearth." + relative.removesuffix(".py").replace("/", "."))
    return drift_in((ROOT / relative).read_text(), vars(module), f"hearth/{relative}")


def drift_in(source: str, namespace: dict[str, Any], filename: str) -> list[str]:
    problems = []
    for function in ast.parse(source).body:
        if not isinstance(function, ast.FunctionDef):
            continue
        forms = _form_variables(function, namespace)
        aliases = {
            node.targets[0].id: variable
            for node in ast.walk(function)
            if isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and (variable := _cleaned_of(node.value, forms))
        }
        where = f"{filename} {function.name}"
        for node in ast.walk(function):
            if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
                variable = _cleaned_of(node.value, forms) or (
                    aliases.get(node.value.id) if isinstance(node.value, ast.Name) else None
                )
                if variable and node.slice.value not in forms[variable].base_fields:
                    problems.append(f"{where}: {forms[variable].__name__} has no field {node.slice.value!r}")
            if not isinstance(node, ast.Call):
                continue
            whole = [_cleaned_of(k.value, forms) for k in node.keywords if k.arg is None]
            variable = next((v for v in whole if v), None)
            action = _callee(node, namespace) if variable else None
            if variable is None or action is None:
                continue
            fields = set(forms[variable].base_fields) - FOLDED.get(forms[variable].__name__, set())
            popped = {  # cleaned_data.pop("date") passed on its own
                str(n.args[0].value)
                for n in ast.walk(node)
                if isinstance(n, ast.Call)
                and isinstance(n.func, ast.Attribute)
                and n.func.attr == "pop"
                and _cleaned_of(n.func.value, forms) == variable
                and n.args
                and isinstance(n.args[0], ast.Constant)
            }
            given = {k.arg for k in node.keywords if k.arg}
            form_name, action_name = forms[variable].__name__, action.__name__
            takes = _takes(action)
            if takes is None:
                problems.append(f"{where}: {action_name} takes **fields: name them in FIELDS_OF")
                continue
            named, needed = takes
            for field in sorted(fields - popped - named):
                problems.append(f"{where}: {form_name} field {field!r} is not a keyword of {action_name}")
            for keyword in sorted(needed - fields - given):
                problems.append(f"{where}: {action_name} needs {keyword!r}, which {form_name} has no field for")
    return problems


def _views() -> list[str]:
    return sorted("/".join(p.relative_to(ROOT).parts) for p in ROOT.glob("*/views.py"))


def test_every_form_matches_the_action_it_feeds() -> None:
    problems = [problem for relative in _views() for problem in drift(relative)]
    assert problems == [], "\n".join(problems)


def test_the_check_finds_a_drifted_form() -> None:
    """A form field the action does not take, a keyword it needs that no field gives, a field read that isn't."""
    from django import forms

    class NoteForm(forms.Form):
        note = forms.CharField()
        colour = forms.CharField()

    def do_save(actor: object, *, note: str, when: str) -> None: ...

    source = """
def view(request):
    form = NoteForm(request.POST)
    do_save(request.member, **form.cleaned_data)
    data = form.cleaned_data
    return data["size"]
"""
    assert sorted(drift_in(source, {"NoteForm": NoteForm, "do_save": do_save}, "views.py")) == [
        "views.py view: NoteForm field 'colour' is not a keyword of do_save",
        "views.py view: NoteForm has no field 'size'",
        "views.py view: do_save needs 'when', which NoteForm has no field for",
    ]
