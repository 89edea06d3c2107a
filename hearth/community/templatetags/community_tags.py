from __future__ import annotations

from typing import Any

from django import template

from hearth.community.access import profile_of
from hearth.community.models import Energy

register = template.Library()

_SHORT = {Energy.LOW: "Low", Energy.SOME: "Some", Energy.GOOD: "Good", Energy.UNSAID: "Not saying"}


@register.inclusion_tag("community/_energy.html", takes_context=True)
def energy_control(context: Any) -> dict[str, Any]:
    """The one-tap energy control in the header (signed-in members only)."""
    request = context["request"]
    profile = profile_of(request.user)
    return {
        "csrf_token": context.get("csrf_token"),
        "next": request.get_full_path(),
        "current": profile.energy,
        "choices": [(value, _SHORT[Energy(value)]) for value in (Energy.LOW, Energy.SOME, Energy.GOOD, Energy.UNSAID)],
    }


@register.simple_tag(takes_context=True)
def quiet_mode(context: Any) -> bool:
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return False
    return profile_of(request.user).quiet
