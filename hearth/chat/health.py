"""The chat app's figures in /metrics."""

from __future__ import annotations

from datetime import datetime

from hearth.chat.pushback import gate
from hearth.core.health import gauge


@gauge(
    "hearth_chat_sends_refused_total",
    "Chat sends refused with 'slow down' (over capacity) by the process that answered.",
)
def _refused(now: datetime) -> int:
    return gate.refused


@gauge("hearth_chat_sends_waiting", "Chat sends waiting to be stored in the process that answered.")
def _waiting(now: datetime) -> int:
    return gate.waiting
