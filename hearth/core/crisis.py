"""The organisation's crisis resources: shown wherever "Need help now?" appears.

They are configuration (``HEARTH_CRISIS_RESOURCES``), not code, because every
organisation and country has its own lines. The defaults are the UK's.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class CrisisResource:
    name: str
    contact: str
    how: str  # e.g. "Call", "Text", "Call and choose option 2"
    hours: str
    href: str  # tel: or sms: link, so it is one tap on a phone


UK_DEFAULTS = [
    {"name": "Samaritans", "contact": "116 123", "how": "Call, free", "hours": "24 hours, every day"},
    {"name": "Shout", "contact": "85258", "how": "Text SHOUT to", "hours": "24 hours, every day"},
    {"name": "NHS 111", "contact": "111", "how": "Call and choose option 2 (mental health)", "hours": "24 hours"},
]


def _href(how: str, contact: str) -> str:
    digits = "".join(ch for ch in contact if ch.isdigit() or ch == "+")
    if "text" in how.lower():
        body = "?body=SHOUT" if "shout" in how.lower() else ""
        return f"sms:{digits}{body}"
    return f"tel:{digits}"


@cache
def crisis_resources() -> tuple[CrisisResource, ...]:
    raw = settings.HEARTH_CRISIS_RESOURCES
    if raw is None:
        raw = UK_DEFAULTS
    if not isinstance(raw, list) or not raw:
        raise ImproperlyConfigured("HEARTH_CRISIS_RESOURCES must be a non-empty JSON list of resources.")
    resources = []
    for item in raw:
        if not isinstance(item, dict) or not item.get("name") or not item.get("contact"):
            raise ImproperlyConfigured(
                "Each crisis resource needs at least a 'name' and a 'contact' (e.g. a phone number)."
            )
        how = str(item.get("how", "Call"))
        resources.append(
            CrisisResource(
                name=str(item["name"]),
                contact=str(item["contact"]),
                how=how,
                hours=str(item.get("hours", "")),
                href=str(item.get("href") or _href(how, str(item["contact"]))),
            )
        )
    return tuple(resources)


def emergency_number() -> str:
    return str(settings.HEARTH_EMERGENCY_NUMBER)
