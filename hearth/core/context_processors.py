from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from hearth.core.crisis import crisis_resources, emergency_number


def organisation(request: HttpRequest) -> dict[str, Any]:
    """What every page needs: the organisation's name and its crisis lines."""
    return {
        "org_name": settings.HEARTH_ORG_NAME,
        "crisis_resources": crisis_resources(),
        "emergency_number": emergency_number(),
    }
