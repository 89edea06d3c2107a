"""Panels that apps contribute to pages they don't own: the home page, a group's page, the feed.

An app registers a panel (a template and a function that builds its context
for the request, or returns None to leave the panel out) for a *slot* — the
page it appears on — and that page renders the slot's panels in ``order``. So
"is anyone on now?", "drop-in open now" and "coming up" each live in their own
app, and a lower app's page (the community's group page) shows a higher app's
panel (chat's gatherings) without importing it.

Slots and the keyword arguments their context functions receive:

- ``"home"``: the signed-in home page; ``context(request)``.
- ``"group"``: a group's page, for its members; ``context(request, group=…)``.
- ``"feed"``: the member's feed; ``context(request)``.
- ``"person"``: a supporter's page about one person (the care person page), after that page's access check;
  ``context(request, person=…)``. The panel still runs its own access rule for what it shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

SLOTS = ("home", "group", "feed", "person")


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    context: Callable[..., dict[str, Any] | None]
    order: int = 50
    slot: str = "home"

    def __post_init__(self) -> None:
        if self.slot not in SLOTS:
            raise ValueError(f"unknown panel slot {self.slot!r}; add it to SLOTS with a line saying what it gets")


_PANELS: dict[tuple[str, str], Panel] = {}


def register_panel(panel: Panel) -> None:
    _PANELS[(panel.slot, panel.name)] = panel


def panels_for(request: HttpRequest, slot: str = "home", **kwargs: Any) -> list[tuple[str, dict[str, Any]]]:
    """The slot's panels that have something to show, as ``(template, context)`` pairs in order."""
    out = []
    for panel in sorted((p for p in _PANELS.values() if p.slot == slot), key=lambda p: (p.order, p.name)):
        context = panel.context(request, **kwargs)
        if context is not None:
            out.append((panel.template, context))
    return out
