from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from hearth.core.badges import counts_for
from hearth.core.crisis import crisis_resources, emergency_number


def organisation(request: HttpRequest | None) -> dict[str, Any]:
    """What every page needs: the organisation's name and its crisis lines (no request needed: error pages)."""
    return {
        "org_name": settings.HEARTH_ORG_NAME,
        "crisis_resources": crisis_resources(),
        "emergency_number": emergency_number(),
    }


def badges(request: HttpRequest) -> dict[str, Any]:
    """The header's counts (unread messages, notifications), read in one query only if the page shows them."""
    return {"badges": SimpleLazyObject(lambda: counts_for(getattr(request, "user", None)))}
