"""Signing in counts as coming in, for members who share the "going quiet" cue."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver


@receiver(user_logged_in, dispatch_uid="care.record_visit")
def _signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from hearth.care.actions import record_visit

    record_visit(user)
