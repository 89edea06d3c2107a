"""The intake panel on the home page: an invitation to the self-assessment until it's done."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from hearth.core.home import Panel, register_panel
from hearth.intake.access import latest_assessment
from hearth.intake.models import Scope


def _context(request: HttpRequest) -> dict[str, Any] | None:
    if latest_assessment(request.user) is not None:
        return None
    return {"scope": Scope.load()}


register_panel(Panel("intake.start", "intake/_home_panel.html", _context, order=5))
