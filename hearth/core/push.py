"""Web push: reaching a person's devices with the app closed.

Filled in by the push transport (issue 14); until a ``push`` transport is
registered, :func:`send_push` sends nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import models

from hearth.core import deliveries

if TYPE_CHECKING:
    from hearth.members.models import Member


def send_push(
    member: Member,
    *,
    kind: str,
    body: str,
    url: str = "",
    tag: str = "",
    about: models.Model | None = None,
    now: datetime | None = None,
    not_before: datetime | None = None,
) -> int:
    """One push delivery per device ``member`` turned push on for; returns how many."""
    if "push" not in deliveries.channels():
        return 0
    return 0
