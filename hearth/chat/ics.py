"""Calendar files (RFC 5545) for gatherings, for members who want them in their own calendar.

A small subset written by hand rather than a dependency: VEVENTs with UTC times (so no VTIMEZONE is needed and
every calendar shows the right local time), a stable UID per gathering (importing again updates it instead of
adding a copy), STATUS:CANCELLED for a skipped date, text escaped and lines folded at 75 octets.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from django.conf import settings

from hearth.chat.models import Gathering


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (never splitting a character)."""
    out: list[str] = []
    current = b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode())
            current = b""
        current += encoded
    out.append(current.decode())
    return "\r\n ".join(out)


def _utc(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(gatherings: Iterable[Gathering], *, base_url: str, name: str, now: datetime) -> str:
    """The text of a ``.ics`` file with one event per gathering."""
    host = base_url.split("//", 1)[-1].split("/", 1)[0] or "hearth.local"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//{_escape(settings.HEARTH_ORG_NAME)}//Hearth//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(name)}",
    ]
    for g in gatherings:
        where = g.place or ("Online, in Hearth" if g.room_id else "")
        description = g.description
        if g.bring:
            description = f"Bring or install: {g.bring}\n{description}".strip()
        if g.activity:
            description = f"Activity: {g.activity}\n{description}".strip()
        lines += [
            "BEGIN:VEVENT",
            f"UID:gathering-{g.pk}@{host}",
            f"DTSTAMP:{_utc(now)}",
            f"DTSTART:{_utc(g.starts_at)}",
            f"DTEND:{_utc(g.ends_at)}",
            f"SUMMARY:{_escape(g.title)}",
            *([f"LOCATION:{_escape(where)}"] if where else []),
            *([f"DESCRIPTION:{_escape(description)}"] if description else []),
            f"URL:{base_url}/chat/gatherings/{g.pk}/",
            f"STATUS:{'CANCELLED' if g.cancelled_at else 'CONFIRMED'}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
