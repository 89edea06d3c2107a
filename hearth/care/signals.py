"""What care hears from other apps: signing in (a visit, for "going quiet"), safety's concerns, chat's follow-ups."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from hearth.chat.signals import follow_up_wanted
from hearth.core.screening import concern_found


@receiver(user_logged_in, dispatch_uid="care.record_visit")
def _signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from hearth.care.actions import record_visit

    record_visit(user)


@receiver(concern_found, dispatch_uid="care.triage_concern")
def _concern(sender: str, author: Any, reasons: list[str], now: Any, **kwargs: Any) -> None:
    """Triage found something worrying in what someone wrote: someone should reach out soon (no live alarm)."""
    from hearth.care.actions import add_care_item

    add_care_item(author, source="triage", reason="Wrote something worrying: " + "; ".join(reasons[:2]), now=now)


@receiver(follow_up_wanted, dispatch_uid="care.chat_follow_up")
def _follow_up(sender: str, member: Any, source: str, reason: str, **kwargs: Any) -> None:
    """Chat handed someone on or they missed a booking: the care queue checks on them later."""
    from hearth.care.actions import add_care_item

    add_care_item(member, source=source, reason=reason)
