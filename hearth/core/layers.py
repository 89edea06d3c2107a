"""The default (one-process) channel layer.

Channels' ``InMemoryChannelLayer`` sweeps every channel and every group for
expired entries on *each* ``receive`` and ``group_send``: with a thousand open
sockets that is thousands of steps per delivered message, and live chat
saturated one core at ~900 deliveries/s (see ``hearth bench_chat``). Expiry
here is a 60-second safety net, so sweeping at most once a second changes
nothing anyone can see.

Upstream's ``group_send`` also swallows "channel full" without a trace. Here a
full channel is counted (:func:`full_channel_drops`, in /metrics) and logged:
a delivery is never discarded silently. The fan-out's own channel (one per
process, carrying every busy group's events, see ``core/fanout.py``) holds
``FANOUT_CAPACITY`` messages instead of the default 100.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from channels.exceptions import ChannelFull
from channels.layers import InMemoryChannelLayer as _Upstream

from hearth.core.logs import log_event

FANOUT_CAPACITY = 10_000

_full_drops = 0


def full_channel_drops() -> int:
    """Messages the in-memory layer could not queue because a channel was full (this process, ever)."""
    return _full_drops


class InMemoryChannelLayer(_Upstream):  # type: ignore[misc]  # channels has no type hints
    SWEEP_EVERY = 1.0  # seconds
    _last_sweep = 0.0

    def __init__(self, **kwargs: Any) -> None:
        capacities = kwargs.pop("channel_capacity", None) or {"fanout*": FANOUT_CAPACITY}
        super().__init__(**kwargs)
        # Upstream keeps the dict as given, but get_capacity expects (regex, value) pairs.
        self.channel_capacity = self.compile_capacities(capacities)

    def _clean_expired(self) -> None:
        now = time.monotonic()
        if now - self._last_sweep < self.SWEEP_EVERY:
            return
        self._last_sweep = now
        super()._clean_expired()

    async def group_send(self, group: str, message: dict[str, Any]) -> None:
        assert isinstance(message, dict), "Message is not a dict"
        self.require_valid_group_name(group)
        self._clean_expired()
        for channel in list(self.groups.get(group, {})):
            try:
                await self.send(channel, message)
            except ChannelFull:
                global _full_drops
                _full_drops += 1
                event = message.get("event")
                log_event(
                    "live.channel_full",
                    level=logging.WARNING,
                    group=group,
                    kind=str(event.get("kind")) if isinstance(event, dict) else "-",
                )
