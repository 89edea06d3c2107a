"""Reading values from the address or a form when no Django form parses them: the one way.

Every function takes the request's ``GET`` or ``POST`` (or any mapping of strings) and a name, and
returns the value, or the default when the value is absent or blank. A value that is there but isn't
what the page expects raises :class:`BadParameter`: the person sees the 400 page with a sentence saying
what was wrong, never a 500. Ids are bounded so a huge number can't overflow a database integer.

    alert_id = params.require_id(request.POST, "alert")
    week = params.get_date(request.GET, "week", default=today)
    back = params.safe_next(request, default=reverse("core:home"))

Path segments are parsed by the ``<id:name>`` converter (registered in ``core/apps.py``), which only
matches ids that fit: a longer number is a 404 like any unknown address.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.core.exceptions import BadRequest
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

# The largest id a database row can have (a signed 64-bit integer: BigAutoField on SQLite and PostgreSQL).
MAX_ID = 2**63 - 1


class BadParameter(BadRequest):
    """A value in the request the page can't use; ``str(error)`` is shown to the person on the 400 page."""

    def __init__(self, name: str, expected: str) -> None:
        self.name = name
        super().__init__(f"The value for “{name}” should be {expected}. Please go back and try again.")


class IdConverter:
    """``<id:name>``: a positive whole number that fits a database id (at most 18 digits), as an ``int``."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int | str) -> str:
        return str(value)


class TokenConverter:
    """``<token:name>``: a token Hearth made (``secrets.token_urlsafe`` or ``django.core.signing``), or a 404.

    Only the characters those use, so a hand-typed address with a NUL or anything else a database can't store in
    a text field never reaches a query (PostgreSQL refuses a NUL with an error, which would be a 500).
    """

    regex = "[A-Za-z0-9_:.=-]{1,400}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


def storable(value: str) -> bool:
    """Whether a database can keep ``value``: no NUL (PostgreSQL refuses it) and no lone surrogate (half of an
    emoji, which a JSON ``"\\ud800"`` escape can carry and no database driver can encode)."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _raw(data: Mapping[str, Any], name: str) -> str:
    value = data.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):  # a JSON body or a test's dict: only text is a form value
        raise BadParameter(name, "text")
    if not storable(value):
        raise BadParameter(name, "plain text")
    return value.strip()


def get_text(data: Mapping[str, Any], name: str, *, max_length: int, default: str = "") -> str:
    """The text in ``data[name]`` (trimmed, at most ``max_length`` characters), or ``default`` when blank."""
    raw = _raw(data, name)
    if len(raw) > max_length:
        raise BadParameter(name, f"at most {max_length} characters")
    return raw or default


def parse_id(value: Any) -> int | None:
    """``value`` as a row id (1 to :data:`MAX_ID`), or None when it isn't one. For JSON and websocket values."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 < value <= MAX_ID else None
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 19:
        return parse_id(int(value))
    return None


def get_id(data: Mapping[str, Any], name: str) -> int | None:
    """The row id in ``data[name]``, or None when absent or blank."""
    raw = _raw(data, name)
    if not raw:
        return None
    value = parse_id(raw)
    if value is None:
        raise BadParameter(name, "a number from a link or a form on Hearth")
    return value


def require_id(data: Mapping[str, Any], name: str) -> int:
    """The row id in ``data[name]``; absent or blank is a :class:`BadParameter` too."""
    value = get_id(data, name)
    if value is None:
        raise BadParameter(name, "a number from a link or a form on Hearth")
    return value


def get_int(data: Mapping[str, Any], name: str, default: int, *, low: int, high: int) -> int:
    """A whole number from ``low`` to ``high`` (inclusive) in ``data[name]``, or ``default`` when absent."""
    raw = _raw(data, name)
    if not raw:
        return default
    digits = raw[1:] if raw[:1] == "-" else raw
    if not (digits.isascii() and digits.isdigit() and len(digits) <= 18) or not low <= int(raw) <= high:
        raise BadParameter(name, f"a whole number from {low} to {high}")
    return int(raw)


def get_choice[T](data: Mapping[str, Any], name: str, choices: Iterable[str], default: T) -> str | T:
    """``data[name]`` when it is one of ``choices``, ``default`` when absent."""
    raw = _raw(data, name)
    if not raw:
        return default
    if raw not in set(choices):
        raise BadParameter(name, "one of the choices the page offers")
    return raw


def get_date[T](data: Mapping[str, Any], name: str, default: T) -> date | T:
    """A date written ``YYYY-MM-DD`` in ``data[name]``, or ``default`` when absent.

    Years 1900 to 2999 only, so a page can step weeks either side without running off the calendar.
    """
    raw = _raw(data, name)
    if not raw:
        return default
    try:
        if len(raw) != 10 or not raw.isascii():
            raise ValueError
        day = date.fromisoformat(raw)
    except ValueError:
        raise BadParameter(name, "a date like 2026-03-31") from None
    if not 1900 <= day.year <= 2999:
        raise BadParameter(name, "a date like 2026-03-31")
    return day


def load_json(data: bytes | str, *, max_bytes: int) -> Any:
    """JSON from a request body or a websocket frame; ``ValueError`` for anything that isn't small, sound JSON.

    Too long, not UTF-8, not JSON, or nested deeper than the parser can go (``RecursionError``): all the
    same ``ValueError``, so a caller answers one clear error and never crashes.
    """
    if len(data) > max_bytes:
        raise ValueError("too long")
    try:
        return json.loads(data)
    except (UnicodeDecodeError, RecursionError, json.JSONDecodeError) as error:
        raise ValueError("not JSON") from error


def safe_next(request: HttpRequest, default: str) -> str:
    """Where to go back to: ``next`` from the form or address if it is a path on this site, else ``default``.

    Only a path ("/groups/3/") is accepted, checked by Django's safe-URL test: never another site, never a
    view name (``redirect()`` would look one up and fail on "-1").
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (
        isinstance(target, str)
        and target.startswith("/")
        and "\x00" not in target
        and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure())
    ):
        return target
    return default
