"""``{% scope_summary %}``: the "who we're for" box on the sign-up pages."""

from __future__ import annotations

from typing import Any

from django import template

from hearth.intake.models import Scope

register = template.Library()


@register.inclusion_tag("intake/_scope_summary.html")
def scope_summary() -> dict[str, Any]:
    return {"scope": Scope.load()}
