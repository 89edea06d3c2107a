"""One object per event loop: what a process keeps for its sockets (the fan-out, the chat sender, …).

Under uvicorn a process runs one event loop, so "per loop" is "per process"; tests run a loop each, and an
object made for a loop goes with it (a weak reference), so no test sees another's.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable


class PerLoop[T]:
    """Call it for this event loop's ``T``, made by ``make`` on first use (and again when ``stale`` says so)."""

    def __init__(self, make: Callable[[], T], stale: Callable[[T], bool] | None = None) -> None:
        self._make = make
        self._stale = stale
        self._made: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, T] = weakref.WeakKeyDictionary()

    def __call__(self) -> T:
        loop = asyncio.get_running_loop()
        found = self._made.get(loop)
        if found is None or (self._stale is not None and self._stale(found)):
            found = self._made[loop] = self._make()
        return found
