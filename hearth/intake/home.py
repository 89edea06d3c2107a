"""The intake panel on the home page.

Before the self-assessment: an invitation to it. Afterwards: what it suggested and the member hasn't
taken up yet (groups not joined, other places that help), so suggestions aren't lost once the result
page is closed.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from hearth.core.home import Panel, register_panel
from hearth.intake import questionnaire
from hearth.intake.access import latest_assessment, suggested_groups
from hearth.intake.models import Path, Scope


def _context(request: HttpRequest) -> dict[str, Any] | None:
    assessment = latest_assessment(request.user)
    if assessment is None:
        return {"scope": Scope.load()}
    paths = assessment.path_list()
    if not ({Path.GROUPS, Path.OUTSIDE_SCOPE} & set(paths)):
        return None  # a one-to-one request has its own place (Talk to someone, Messages)
    routing = questionnaire.route(assessment.version.definition, assessment.answers())
    groups = suggested_groups(request.user, routing.tags) if Path.GROUPS in paths else []
    outside = Path.OUTSIDE_SCOPE in paths
    if not groups and not outside:
        return None
    return {"assessment": assessment, "groups": groups[:3], "outside": outside}


register_panel(Panel("intake.start", "intake/_home_panel.html", _context, order=5))
