"""Panels on a signed-in member's home page, contributed by each app.

An app registers a panel (a template and a function that builds its context
for the member, or returns None to leave the panel out) and the home view
renders them in ``order``. So "is anyone on now?", "drop-in open now" and the
feed each live in their own app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    context: Callable[[HttpRequest], dict[str, Any] | None]
    order: int = 50


_PANELS: dict[str, Panel] = {}


def register_panel(panel: Panel) -> None:
    _PANELS[panel.name] = panel


def panels_for(request: HttpRequest) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for panel in sorted(_PANELS.values(), key=lambda p: (p.order, p.name)):
        context = panel.context(request)
        if context is not None:
            out.append((panel.template, context))
    return out
