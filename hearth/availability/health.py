"""Availability's part of ``/metrics``: how many members are waiting to talk now."""

from __future__ import annotations

from datetime import datetime

from hearth.availability.models import TalkRequest
from hearth.core.health import gauge


@gauge("hearth_talk_now_waiting", "Talk-now requests waiting for a supporter to accept them.")
def _talk_now_waiting(now: datetime) -> int:
    return TalkRequest.objects.filter(state=TalkRequest.State.WAITING).count()


@gauge("hearth_talk_now_messages_waiting", "Messages left while nobody was on duty, not yet answered.")
def _messages_waiting(now: datetime) -> int:
    return TalkRequest.objects.filter(state=TalkRequest.State.MESSAGE).count()
