"""Throttles: how many times something may happen in a while, counted in a store every process shares.

The counts live in the ``throttle`` cache: Redis when ``REDIS_URL`` is set, else a table in the database
(``hearth_throttle``, made by a migration), so a restart doesn't forget them and every web process sees
the same count. Each limit is per something (an account, a network address, a member), and a refusal
says when to try again::

    wait = throttle.check("reset:address", client_address(request), RESET_PER_ADDRESS)
    if wait:
        ...  # f"Please try again {throttle.when(wait)}."
    throttle.hit("reset:address", client_address(request), RESET_PER_ADDRESS)

The network address comes from :func:`client_address`: ``REMOTE_ADDR``, or, when that is one of
``HEARTH_TRUSTED_PROXIES``, the nearest address in ``X-Forwarded-For`` the proxies added. Behind a proxy
that isn't listed, every request seems to come from the proxy: so per-address limits are skipped for
the proxy's own address (they would lock everyone out) and the per-account limits still hold.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest


@dataclass(frozen=True)
class Limit:
    times: int
    seconds: int


def _key(scope: str, who: str) -> str:
    # Hashed: an email address or a network address never sits in the store as it is.
    return "throttle:" + scope + ":" + hashlib.sha256(who.encode()).hexdigest()[:32]


def _window(scope: str, who: str, limit: Limit) -> tuple[str, int]:
    slot = int(time.time()) // limit.seconds
    return f"{_key(scope, who)}:{slot}", (slot + 1) * limit.seconds


def check(scope: str, who: str, limit: Limit) -> int:
    """Seconds until ``who`` may do ``scope`` again (0: now). Nothing is counted; see :func:`hit`."""
    if not who:
        return 0
    key, ends = _window(scope, who, limit)
    if (caches["throttle"].get(key) or 0) >= limit.times:
        return max(1, ends - int(time.time()))
    return 0


def hit(scope: str, who: str, limit: Limit) -> None:
    """Count one more ``scope`` for ``who`` in the current window."""
    if not who:
        return
    store = caches["throttle"]
    key, ends = _window(scope, who, limit)
    ttl = max(1, ends - int(time.time())) + 5
    if store.add(key, 1, ttl):
        return
    try:
        store.incr(key)
    except ValueError:  # expired between add and incr
        store.set(key, 1, ttl)


def take(scope: str, who: str, limit: Limit) -> int:
    """:func:`check`, and if allowed, :func:`hit`: seconds to wait (0 when this one is allowed and counted)."""
    wait = check(scope, who, limit)
    if not wait:
        hit(scope, who, limit)
    return wait


def reset(scope: str, who: str, limit: Limit) -> None:
    caches["throttle"].delete(_window(scope, who, limit)[0])


def when(seconds: int) -> str:
    """'in a minute', 'in 12 minutes', 'in 2 hours': for "Please try again …"."""
    minutes = max(1, math.ceil(seconds / 60))
    if minutes == 1:
        return "in a minute"
    if minutes < 90:
        return f"in {minutes} minutes"
    return f"in {math.ceil(minutes / 60)} hours"


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(net, strict=False) for net in settings.HEARTH_TRUSTED_PROXIES)


def client_address(request: HttpRequest) -> str:
    """The address a request came from, for per-address limits; "" when it can't be known.

    ``X-Forwarded-For`` is believed only from ``HEARTH_TRUSTED_PROXIES``, read right to left past the
    proxies; a request from a trusted proxy that didn't say whom for gives "" (not the proxy: one address
    for everyone would lock everyone out together).
    """
    remote = request.META.get("REMOTE_ADDR", "") or ""
    if not _trusted(remote):
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    for address in reversed(forwarded):
        if not _trusted(address):
            try:
                return str(ipaddress.ip_address(address))
            except ValueError:
                return ""
    return ""
