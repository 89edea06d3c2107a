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
import hashlib
import json
import logging
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from hearth.core.logs import log_event

EVENT_TYPE = "hearth.event"  # the channel-layer message type consumers handle
RECHECK_TYPE = "hearth.recheck"  # consumers look again at the sign-in rules (never forwarded to the page)
WRITING_TYPE = "hearth.writing"  # consumers forget the writing rules they keep (never forwarded to the page)


def member_group(member_id: int) -> str:
    """Everything addressed to one person: notifications, alerts, their own updates."""
    return f"member.{member_id}"


@dataclass
class _Capture:
    sent: list[tuple[tuple[str, ...], dict[str, Any]]] = field(default_factory=list)
    rechecks: list[tuple[str, ...]] = field(default_factory=list)
    writing: list[tuple[str, ...]] = field(default_factory=list)

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
        transaction.on_commit(lambda: _after_commit(targets, event))


_deferring = threading.local()


def _after_commit(targets: tuple[str, ...], event: dict[str, Any]) -> None:
    kept: list[tuple[tuple[str, ...], dict[str, Any]]] | None = getattr(_deferring, "events", None)
    if kept is not None:
        kept.append((targets, event))
    else:
        send_event_now(targets, event)


@contextlib.contextmanager
def events_kept() -> Iterator[list[tuple[tuple[str, ...], dict[str, Any]]]]:
    """While the block runs (on this thread), events due after a commit are kept, in order, in the list it
    yields instead of being sent; the caller sends them from its event loop with :func:`send_event_async`.

    The chat send path (``chat/sending.py``) stores batches on the database thread: sending each message's
    broadcast from there would cost a trip back to the event loop per message, with the thread waiting."""
    previous = getattr(_deferring, "events", None)
    kept: list[tuple[tuple[str, ...], dict[str, Any]]] = []
    _deferring.events = kept
    try:
        yield kept
    finally:
        _deferring.events = previous


def send_event_now(groups: tuple[str, ...], event: dict[str, Any], *, raise_errors: bool = False) -> None:
    """Send at once. Best effort unless ``raise_errors`` (the live delivery transport records and retries)."""
    if _capture is not None:
        _capture.sent.append((groups, event))
    layer = get_channel_layer()
    if layer is None:
        return
    text = json.dumps(event)  # written once: the fan-out hands the same text to every socket (core/fanout.py)
    for group in groups:
        try:
            async_to_sync(layer.group_send)(group, layer_message(group, event, text))
        except Exception:  # a live update is best effort: the write already committed
            if raise_errors:
                raise
            _log_failed(event, group)


def _log_failed(event: dict[str, Any], group: str) -> None:
    log_event(
        "delivery.attempt",
        level=logging.ERROR,
        exc_info=True,
        channel="live",
        kind=str(event.get("kind")),
        group=group,
        outcome="failed",
    )


def session_digest(session_key: str) -> str:
    """A name for a session that can travel through the channel layer (never the key itself)."""
    return hashlib.sha256(f"hearth.session:{session_key}".encode()).hexdigest()[:32]


def recheck_sockets_on_commit(member_ids: Iterable[int], *, ended_session: str | None = None) -> None:
    """After commit, every open websocket of these people checks the sign-in rules again and closes if they fail.

    Call it when something a socket was admitted on changes: a sign-out (``ended_session``: that session's
    key, whose sockets close at once), a suspension, a role, the two-factor requirement. See
    :func:`hearth.members.sessions.socket_refusal` for the rules.
    """
    message: dict[str, Any] = {"type": RECHECK_TYPE}
    if ended_session:
        message["session"] = session_digest(ended_session)
    groups = _tell_sockets_on_commit(member_ids, message)
    if _capture is not None:
        _capture.rechecks.append(groups)


def writing_changed_on_commit(member_ids: Iterable[int]) -> None:
    """After commit, every open websocket of these people forgets the writing rules it keeps (a sanction given
    or lifted, hostile writing triaged: :class:`hearth.safety.actions.WritingRules`) and reads them afresh."""
    groups = _tell_sockets_on_commit(member_ids, {"type": WRITING_TYPE})
    if _capture is not None:
        _capture.writing.append(groups)


def _tell_sockets_on_commit(member_ids: Iterable[int], message: dict[str, Any]) -> tuple[str, ...]:
    groups = tuple(sorted({member_group(pk) for pk in member_ids}))

    def send() -> None:
        layer = get_channel_layer()
        if layer is None:
            return
        for group in groups:
            try:
                async_to_sync(layer.group_send)(group, message)
            except Exception:  # best effort, like any live update; the page refuses on its next request anyway
                log_event("ws.recheck", level=logging.ERROR, exc_info=True, group=group, outcome="failed")

    if groups:
        transaction.on_commit(send)
    return groups


def layer_message(group: str, event: dict[str, Any], text: str = "") -> dict[str, Any]:
    """The channel-layer message for ``event`` sent to ``group`` (consumers read ``event``; the fan-out
    reads ``group`` and ``text``, the event's JSON, so it is not written again per socket)."""
    return {"type": EVENT_TYPE, "event": event, "group": group, "text": text or json.dumps(event)}


async def send_event_async(groups: Iterable[str], event: dict[str, Any]) -> None:
    """:func:`send_event_now` from async code (the chat send path, after its commit). Best effort, logged."""
    if _capture is not None:
        _capture.sent.append((tuple(groups), event))
    layer = get_channel_layer()
    if layer is None:
        return
    text = json.dumps(event)
    for group in groups:
        try:
            await layer.group_send(group, layer_message(group, event, text))
        except Exception:
            _log_failed(event, group)


@contextlib.contextmanager
def capture_events() -> Iterator[_Capture]:
    """Record every event sent while the block runs (events are still delivered)."""
    global _capture
    previous, _capture = _capture, _Capture()
    try:
        yield _capture
    finally:
        _capture = previous
