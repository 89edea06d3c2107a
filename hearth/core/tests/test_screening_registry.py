"""Every word a member writes goes through the one screening path: the registry keeps it so.

Each text column of every Hearth model is declared (screened member text, staff text, system
text, or an explained exemption). A new column nobody declared fails here, with what to do.
Screened paths each have a drill, and ``safety/tests/test_drill.py`` runs ``hearth drill``, which runs them all.
"""

from __future__ import annotations

from django.db import models
from django.test.utils import isolate_apps

from hearth.core import screening
from hearth.core.screening import Source


def test_every_text_column_of_every_model_is_declared():
    missing = screening.undeclared()
    assert not missing, (
        "These columns can hold words but nobody said whether members write them: "
        f"{', '.join(missing)}. In the app's screening.py, declare each with member_text(..., path=...) "
        "and screen it in the action that stores it (hearth.core.screening.screen), or with staff_text / "
        "system_text / exempt_text and the reason."
    )


def test_declarations_name_columns_that_exist():
    real = {(m.lower(), f) for m, f in screening.text_columns()}
    stale = [f"{d.model}.{d.name}" for key, d in screening.text_fields().items() if key not in real]
    assert not stale, f"declared but not a text column (renamed or removed?): {stale}"


def test_member_text_is_screened_on_a_path_with_a_drill():
    paths = screening.paths()
    for field in screening.text_fields().values():
        if field.source == Source.MEMBER:
            assert field.path in paths, f"{field.model}.{field.name}: no registered path {field.path!r}"
    undrilled = {p.key for p in paths.values() if not callable(p.drill)}
    assert not undrilled, f"every path needs a drill (hearth drill runs them all): {undrilled}"


def test_unscreened_text_always_says_why():
    for field in screening.text_fields().values():
        if field.source in (Source.STAFF, Source.EXEMPT):
            assert len(field.why) > 10, f"{field.model}.{field.name} needs a reason"


@isolate_apps("hearth.community")
def test_a_new_field_of_member_text_is_caught():
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


def test_screening_without_a_registered_path_is_refused(member):
    import pytest

    with pytest.raises(ValueError, match="unknown screening path"):
        screening.screen(author=member, text="hello", path="community.letter", object_id=1)
