"""Live events: sent by actions after commit, to explicit recipients, as plain JSON.

An action calls :func:`send_event_on_commit` with the channel-layer group names
that may receive the event (e.g. ``member_group(7)``, ``group_feed(3)``) and a
JSON-ready dict. Nothing is sent if the transaction rolls back. Consumers
(:class:`hearth.core.consumers.EventConsumer`) only authenticate, check access,
join groups and forward. Tests use :func:`capture_events` to see exactly who
received what.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from hearth.core.logs import log_event

EVENT_TYPE = "hearth.event"  # the channel-layer message type consumers handle


def member_group(member_id: int) -> str:
    """Everything addressed to one person: notifications, alerts, their own updates."""
    return f"member.{member_id}"


@dataclass
class _Capture:
    sent: list[tuple[tuple[str, ...], dict[str, Any]]] = field(default_factory=list)

    def recipients_of(self, kind: str) -> set[str]:
        return {g for groups, event in self.sent if event.get("kind") == kind for g in groups}

    def events_for(self, group: str) -> list[dict[str, Any]]:
        return [event for groups, event in self.sent if group in groups]


_capture: _Capture | None = None


def send_event_on_commit(groups: Iterable[str], event: dict[str, Any]) -> None:
    """Send ``event`` (must have a ``kind``) to ``groups`` once the current transaction commits."""
    targets = tuple(sorted(set(groups)))
    if "kind" not in event:
        raise ValueError("every live event needs a 'kind'")
    json.dumps(event)  # fail in the action, not later in a consumer, if it isn't plain JSON
    if targets:
        transaction.on_commit(lambda: send_event_now(targets, event))


def send_event_now(groups: tuple[str, ...], event: dict[str, Any], *, raise_errors: bool = False) -> None:
    """Send at once. Best effort unless ``raise_errors`` (the live delivery transport records and retries)."""
    if _capture is not None:
        _capture.sent.append((groups, event))
    layer = get_channel_layer()
    if layer is None:
        return
    for group in groups:
        try:
            async_to_sync(layer.group_send)(group, {"type": EVENT_TYPE, "event": event})
        except Exception:  # a live update is best effort: the write already committed
            if raise_errors:
                raise
            log_event(
                "delivery.attempt",
                level=logging.ERROR,
                exc_info=True,
                channel="live",
                kind=str(event.get("kind")),
                group=group,
                outcome="failed",
            )


@contextlib.contextmanager
def capture_events() -> Iterator[_Capture]:
    """Record every event sent while the block runs (events are still delivered)."""
    global _capture
    previous, _capture = _capture, _Capture()
    try:
        yield _capture
    finally:
        _capture = previous
