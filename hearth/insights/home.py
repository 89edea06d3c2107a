"""The home-page panel: the one-time "would you like to answer questionnaires?" and waiting questionnaires.

It never nags: the question is asked once (any answer, including "no", is
remembered in the consent centre), waiting questionnaires have a "not now",
and on a low-energy day (quiet mode) the panel stays away.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest

from hearth.core.home import Panel, register_panel
from hearth.insights import measures
from hearth.insights.access import NOT_TAKING_PART, OUTCOMES, TAKING_PART, access_member_outcomes
from hearth.insights.models import InsightsSettings, OutcomeInvitation
from hearth.members.models import Consent


def _context(request: HttpRequest) -> dict[str, Any] | None:
    member: Any = request.user
    offered = InsightsSettings.load().measures_on()
    if not offered:
        return None
    from hearth.community.access import profile_of

    if profile_of(member).quiet:
        return None
    chosen = Consent.objects.filter(member=member, kind=OUTCOMES.key).values_list("audience", flat=True).first()
    if chosen is None:
        labels = {NOT_TAKING_PART.key: "No thanks"}
        return {"ask": True, "audiences": [(a.key, labels.get(a.key, a.label)) for a in OUTCOMES.audiences]}
    if chosen not in TAKING_PART:
        return None
    waiting = list(
        OutcomeInvitation.objects.filter(
            member=member, measure__in=offered, answered_at__isnull=True, set_aside_at__isnull=True
        ).values_list("measure", flat=True)
    )
    if not waiting:
        return None
    return {"ask": False, "waiting": [measures.get(m) for m in offered if m in waiting]}


register_panel(Panel("insights.questionnaires", "insights/_home_panel.html", _context, order=60))


def _outcomes_link(request: HttpRequest, person: Any) -> dict[str, Any] | None:
    """On a supporter's page about someone: their questionnaire results, only if they chose to share them."""
    try:
        access_member_outcomes(request.user, person.pk)
    except Http404:
        return None
    return {"person": person}


register_panel(Panel("insights.outcomes", "insights/_person_panel.html", _outcomes_link, slot="person"))
