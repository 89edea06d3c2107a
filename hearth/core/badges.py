"""Counts shown in the header ("Messages 2", "Notifications 1"), contributed by the apps that own them.

An app registers a count with a function that returns a *subquery expression*
counting rows for the member ``OuterRef("pk")``. :func:`counts_for` folds every
registered count into one ``SELECT`` on the member row, so the header costs one
query on every page however many apps add a count. Counts are of things waiting
for the person (unread messages, unread notifications) — never likes, streaks
or anything that invites comparison.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Expression, IntegerField, Value
from django.db.models.functions import Coalesce

_COUNTS: dict[str, Callable[[], Any]] = {}


def register_count(name: str, expression: Callable[[], Any]) -> None:
    """``expression()`` returns a ``Subquery`` (or other expression) counting for ``OuterRef("pk")``."""
    _COUNTS[name] = expression


def counts_for(member: Any) -> dict[str, int]:
    """Every registered count for ``member`` (0 for anyone signed out), in one query."""
    names = sorted(_COUNTS)
    if not names or member is None or not getattr(member, "is_authenticated", False):
        return dict.fromkeys(names, 0)
    annotations: dict[str, Expression] = {
        name: Coalesce(_COUNTS[name](), Value(0), output_field=IntegerField()) for name in names
    }
    row = get_user_model().objects.filter(pk=member.pk).annotate(**annotations).values(*names).first()
    return {name: int((row or {}).get(name) or 0) for name in names}
