"""Every word a member writes goes through the one screening path: the registry keeps it so.

Each text column of every Hearth model is declared (screened member text, staff text, system
text, or an explained exemption). A new column nobody declared fails here, with what to do.
Screened paths each have a drill, and ``safety/tests/test_drill.py`` runs ``hearth drill``, which runs them all.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

import pytest
from django.db import models
from django.test.utils import isolate_apps

from hearth.community.models import Post
from hearth.core import screening
from hearth.core.screening import Source
from hearth.members.models import Member


def test_every_text_column_of_every_model_is_declared() -> None:
    missing = screening.undeclared()
    assert not missing, (
        "These columns can hold words but nobody said whether members write them: "
        f"{', '.join(missing)}. In the app's screening.py, declare each with member_text(..., path=...) "
        "and screen it in the action that stores it (hearth.core.screening.screen), or with staff_text / "
        "system_text / exempt_text and the reason."
    )


def test_declarations_name_columns_that_exist() -> None:
    real = {(m.lower(), f) for m, f in screening.text_columns()}
    stale = [f"{d.model}.{d.name}" for key, d in screening.text_fields().items() if key not in real]
    assert not stale, f"declared but not a text column (renamed or removed?): {stale}"


def test_member_text_is_screened_on_a_path_with_a_drill() -> None:
    paths = screening.paths()
    for field in screening.text_fields().values():
        if field.source == Source.MEMBER:
            assert field.path in paths, f"{field.model}.{field.name}: no registered path {field.path!r}"
    undrilled = {p.key for p in paths.values() if not callable(p.drill)}
    assert not undrilled, f"every path needs a drill (hearth drill runs them all): {undrilled}"


def test_unscreened_text_always_says_why() -> None:
    for field in screening.text_fields().values():
        if field.source in (Source.STAFF, Source.EXEMPT):
            assert len(field.why) > 10, f"{field.model}.{field.name} needs a reason"


@isolate_apps("hearth.community")
def test_a_new_field_of_member_text_is_caught() -> None:
    class Letter(models.Model):  # e.g. someone adds member-to-member letters and forgets screening
        body = models.TextField()
        mood = models.CharField(max_length=5, choices=[("ok", "OK")])  # fixed choices: not words

        class Meta:
            app_label = "community"

        def __str__(self) -> str:
            return self.body

    assert screening.undeclared([Letter]) == ["community.Letter.body"]
    screening.member_text("community.Letter", "body", path="community.post")
    try:
        assert screening.undeclared([Letter]) == []
    finally:
        screening._FIELDS.pop(("community.letter", "body"))


def test_screening_without_a_registered_path_is_refused(member: Member) -> None:
    import pytest

    with pytest.raises(ValueError, match="unknown screening path"):
        screening.screen(author=member, text="hello", path="community.letter", object_id=1)


# --- The guard: a write of member text that skips screening fails loudly ------------------------------------------


@pytest.fixture(autouse=True)
def _as_if_an_action(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Writes from this module count as an app's (test code's set-up writes are otherwise not checked), in a
    unit of work of their own (not the whole test's)."""
    monkeypatch.setattr(screening, "_is_test_code", lambda module: False)
    token = screening._watch.set(None)
    yield
    screening._watch.reset(token)


def _store_post_unscreened(member: Member, body: str) -> Post:  # stands in for an action that forgot to screen
    from hearth.community.models import Group, Post

    with screening.not_member_words("the test's group"):
        group = Group.objects.create(name="Walkers", purpose="Walks")
    return Post.objects.create(group=group, author=member, body=body)


def test_member_text_stored_without_screening_fails_the_unit_of_work(member: Member) -> None:
    with (
        pytest.raises(screening.UnscreenedWrite, match=r"community\.Post\.body .* without screening"),
        screening.watch("a request", strict=True),
    ):
        _store_post_unscreened(member, "I can't see a way through this")


def test_in_production_the_words_are_kept_and_the_gap_is_logged(
    member: Member, caplog: pytest.LogCaptureFixture
) -> None:
    with screening.watch("a request", strict=False):
        post = _store_post_unscreened(member, "I can't see a way through this")
    post.refresh_from_db()
    assert post.body == "I can't see a way through this"
    [record] = [r for r in caplog.records if r.getMessage() == "screening.unscreened_write"]
    assert record.levelname == "ERROR"


def test_screening_the_stored_object_settles_it_and_unchanged_words_need_nothing(member: Member) -> None:
    with screening.watch("a request", strict=True):
        post = _store_post_unscreened(member, "A good walk today")
        screening.screen(author=member, text=post.body, path="community.post", object_id=post.pk)
    with screening.watch("another request", strict=True):
        post.hidden = True
        post.save()  # the words didn't change: nothing to screen
        post.save(update_fields=["hidden"])


def test_staff_and_system_columns_and_declared_exceptions_are_not_checked(member: Member) -> None:
    from hearth.community.models import CommunityProfile

    with screening.watch("a request", strict=True):
        CommunityProfile.objects.update_or_create(member=member, defaults={"muted_words": "diets"})  # exempt_text
        with screening.not_member_words("a placeholder Hearth writes"):
            _store_post_unscreened(member, "(removed)")


def _fixed(value: ast.expr) -> bool:
    """A literal, or a literal sealed by a helper (``encrypt_json("(removed)")``): a placeholder, not anyone's words."""
    import ast

    if isinstance(value, ast.Call):
        return all(_fixed(a) for a in value.args) and bool(value.args)
    return isinstance(value, ast.Constant)


def _root_name(node: ast.expr) -> str:
    """``Concern`` for ``Concern.objects.filter(...).update``; "" when the queryset is in a variable."""
    import ast

    while isinstance(node, (ast.Attribute, ast.Call)):
        node = node.value if isinstance(node, ast.Attribute) else node.func
    return node.id if isinstance(node, ast.Name) else ""


def _bulk_member_writes(code: str, where: str) -> list[str]:
    """Calls in ``code`` that write a member-text column past ``save()``, unless with a fixed placeholder."""
    import ast

    from django.apps import apps

    declared = [f for f in screening.text_fields().values() if f.source == Source.MEMBER]
    words_of: dict[str, set[str]] = {}
    for f in declared:
        words_of.setdefault(f.model.split(".")[1], set()).add(f.name)
    models = {m.__name__ for m in apps.get_models()}

    def columns(root: str) -> set[str]:  # a model's own member-text columns; any model's, if it isn't named
        return words_of.get(root, set()) if root in models else {f.name for f in declared}

    found = []
    for node in ast.walk(ast.parse(code)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        at, kind = f"{where}:{node.lineno}", node.func.attr
        if kind == "update":
            words = columns(_root_name(node.func.value))
            found += [f"{at} update({k.arg}=…)" for k in node.keywords if k.arg in words and not _fixed(k.value)]
        elif kind == "bulk_update":
            named = {
                c.value
                for arg in node.args[1:] + [k.value for k in node.keywords]
                for c in ast.walk(arg)
                if isinstance(c, ast.Constant)
            }
            found += [f"{at} bulk_update(…{n}…)" for n in sorted(columns(_root_name(node.func.value)) & named)]
        elif kind == "bulk_create":
            for made in ast.walk(node):
                if isinstance(made, ast.Call) and isinstance(made.func, ast.Name):
                    words = words_of.get(made.func.id, set())
                    found += [
                        f"{at} bulk_create({made.func.id}({k.arg}=…))"
                        for k in made.keywords
                        if k.arg in words and not _fixed(k.value)
                    ]
    return found


def test_member_text_is_never_written_by_a_bulk_query() -> None:
    """The guard watches ``save()``; ``QuerySet.update``, ``bulk_update`` and ``bulk_create`` bypass it. So no Hearth
    code stores a member's words that way: only a fixed placeholder ("(removed)") may be written in bulk."""
    from pathlib import Path as FilePath

    from django.apps import apps

    root = FilePath(apps.get_app_config("core").path).parent
    found = []
    for source in sorted(root.rglob("*.py")):
        relative = source.relative_to(root.parent).as_posix()
        synthetic = source.name in ("demo.py", "loadtest.py", "seed_demo.py") or source.name.startswith("bench_")
        if "/tests/" in relative or "/migrations/" in relative or source.name == "conftest.py" or synthetic:
            continue
        found += _bulk_member_writes(source.read_text(), relative)
    assert not found, (
        "Member text written in bulk, past the screening guard: "
        + "; ".join(found)
        + ". Store each piece through its action (save() and screen()), or write only a fixed placeholder."
    )


def test_the_bulk_check_catches_words_and_lets_placeholders_and_other_columns_by() -> None:
    code = """
Post.objects.filter(pk=pk).update(body=form.cleaned_data["body"])
Comment.objects.bulk_create([Comment(post=post, body=text)])
Referral.objects.bulk_update(referrals, ["note", "status"])
Report.objects.filter(reporter=member).update(reporter=None, reason="(removed when the reporter left)")
Concern.objects.filter(raised_by=member).update(noticed_encrypted=crypto.encrypt_json("(removed)"))
CareItem.objects.bulk_update(changed, ["reason", "weight"])
"""
    assert _bulk_member_writes(code, "x.py") == [
        "x.py:2 update(body=…)",
        "x.py:3 bulk_create(Comment(body=…))",
        "x.py:4 bulk_update(…note…)",
    ]


def test_a_worker_task_that_stores_member_text_unscreened_is_logged_not_raised(
    member: Member, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    from types import SimpleNamespace

    from django_tasks_db.management.commands.db_worker import Worker

    from hearth.core.logs import _FIELDS
    from hearth.core.management.commands.worker import _LaneWorker

    monkeypatch.setattr(Worker, "run_task", lambda self, result: _store_post_unscreened(member, "Nobody would notice"))
    _LaneWorker.__new__(_LaneWorker).run_task(SimpleNamespace(task_path="hearth.community.tasks.example"))
    [record] = [r for r in caplog.records if r.getMessage() == "screening.unscreened_write"]
    fields = getattr(record, _FIELDS)
    assert fields["unit"] == "task hearth.community.tasks.example" and fields["model"] == "community.Post"
