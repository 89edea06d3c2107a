"""The default (one-process) channel layer.

Channels' ``InMemoryChannelLayer`` sweeps every channel and every group for
expired entries on *each* ``receive`` and ``group_send``: with a thousand open
sockets that is thousands of steps per delivered message, and live chat
saturated one core at ~900 deliveries/s (see ``hearth bench_chat``). Expiry
here is a 60-second safety net, so sweeping at most once a second changes
nothing anyone can see.
"""

from __future__ import annotations

import time

from channels.layers import InMemoryChannelLayer as _Upstream


class InMemoryChannelLayer(_Upstream):
    SWEEP_EVERY = 1.0  # seconds
    _last_sweep = 0.0

    def _clean_expired(self) -> None:
        now = time.monotonic()
        if now - self._last_sweep < self.SWEEP_EVERY:
            return
        self._last_sweep = now
        super()._clean_expired()
