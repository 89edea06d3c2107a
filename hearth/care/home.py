"""The care panel on the home page: a gentle mood check-in, for members who share a mood cue.

Opening the home page also counts as coming in (for the "going quiet" cue, only
if shared). The panel is left out entirely unless the check-in is offered today.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from hearth.care import actions
from hearth.core.home import Panel, register_panel


def _context(request: HttpRequest) -> dict[str, Any] | None:
    from hearth.community.access import profile_of

    member: Any = request.user
    actions.record_visit(member)
    if not actions.mood_offered(member, quiet=profile_of(member).quiet):
        return None
    return {"scores": [(1, "Very low"), (2, "Low"), (3, "OK"), (4, "Good"), (5, "Very good")]}


register_panel(Panel("care.mood", "care/_mood_panel.html", _context, order=30))
