"""Views fetch by id through their app's access helpers (docs/architecture.md, "Who sees what").

An access helper (``access_group``, ``access_room``, …) is where the rule "may this person see that thing" lives;
a view that looks a row up by its id itself can forget the rule. This test reads every ``views.py`` and fails on a
lookup by ``pk``/``id`` (``Model.objects.get/filter(pk=…)``, ``get_object_or_404(Model, pk=…)``) outside a
function whose name starts with ``access``, naming the file, function and model.
"""

from __future__ import annotations

import ast
from pathlib import Path

import hearth

ROOT = Path(hearth.__file__).parent

# The lookups that remain, each with why it is safe for now. Shrink this; never grow it.
KNOWN: dict[tuple[str, str, str], str] = {
    ("availability/views.py", "duty", "TalkRequest"): "limited to the requests the signed-in supporter accepted",
    ("availability/views.py", "rules", "StaffingRule"): "the page requires Perm.MANAGE_ROTA first; rules are "
    "organisation-wide",
    ("availability/views.py", "rules", "ServiceException"): "as above (special days)",
    ("availability/views.py", "on_call", "OnCallSlot"): "as above (the on-call rota)",
    ("chat/views.py", "gathering_attendance", "Member"): "the gathering comes through access_gathering and "
    "do_mark_attendance refuses a person who is not on it",
    ("community/views.py", "manage_group", "JoinRequest"): "the group comes through require_host and the "
    "lookup is limited to that group's requests",
    ("community/views.py", "proposal", "Group"): "a fresh copy, for the form, of the group access_proposal "
    "already returned (group.pk)",
    ("members/views.py", "verify_two_factor", "Member"): "the id is the session's own pending sign-in",
    ("members/views.py", "invitations", "Invitation"): "limited to invitations the signed-in coordinator made",
    ("safety/views.py", "report", "Member"): "anyone may report a member they can name; only the display name "
    "is shown back",
    ("signposting/views.py", "staff_referral_new", "Member"): "the page requires Perm.MANAGE_REFERRALS first; "
    "only the display name is used",
}


def _model_of_lookup(call: ast.Call) -> str | None:
    """The model a call looks up by id, or None when it is not such a lookup."""
    by_id = any(kw.arg in {"pk", "id"} for kw in call.keywords)
    func = call.func
    if not by_id:
        return None
    if isinstance(func, ast.Attribute) and func.attr in {"get", "filter"}:
        # Model.objects.get(pk=…), and through a chain: Model.objects.select_related(…).filter(pk=…)
        node: ast.expr = func.value
        while isinstance(node, ast.Call | ast.Attribute):
            if isinstance(node, ast.Attribute) and node.attr == "objects" and isinstance(node.value, ast.Name):
                return node.value.id
            node = node.func if isinstance(node, ast.Call) else node.value
    if isinstance(func, ast.Name) and func.id == "get_object_or_404" and call.args:
        first = call.args[0]
        return first.id if isinstance(first, ast.Name) else ast.unparse(first)
    return None


def lookups_by_id(source: str) -> set[tuple[str, str]]:
    """(function, model) for every lookup by id outside an ``access…`` function."""
    found: set[tuple[str, str]] = set()
    for top in ast.walk(ast.parse(source)):
        if not isinstance(top, ast.FunctionDef | ast.AsyncFunctionDef) or top.name.startswith("access"):
            continue
        for node in ast.walk(top):
            if isinstance(node, ast.Call) and (model := _model_of_lookup(node)):
                found.add((top.name, model))
    return found


def test_views_fetch_by_id_only_through_access_helpers() -> None:
    found = {
        (str(path.relative_to(ROOT)), function, model)
        for path in sorted(ROOT.glob("*/views.py"))
        for function, model in lookups_by_id(path.read_text(encoding="utf-8"))
    }
    new = sorted(found - set(KNOWN))
    assert not new, "Views fetching by id outside an access helper (use the app's access_… helper): " + ", ".join(
        f"{path} {function}() {model}" for path, function, model in new
    )
    assert not set(KNOWN) - found, f"Fixed, so take them off KNOWN: {sorted(set(KNOWN) - found)}"


def test_the_scan_sees_a_lookup_by_id_and_lets_an_access_helper_be() -> None:
    source = (
        "def page(request, room_id):\n    room = Room.objects.get(pk=room_id)\n"
        "def other(request, n):\n    return get_object_or_404(Note, id=n)\n"
        "def access_room(member, room_id):\n    return Room.objects.filter(pk=room_id).first()\n"
        "def listing(request):\n    return Room.objects.filter(open=True)\n"
    )
    assert lookups_by_id(source) == {("page", "Room"), ("other", "Note")}
