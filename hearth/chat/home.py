"""What chat adds to other apps' pages and to the header.

- "Coming up": the next drop-ins and gatherings of the member's groups, on the home page, the feed
  and each group's page (so a new gathering appears wherever members already look).
- The header's "Messages" count: conversations with something unread.
- On a supporter's page about someone: their journey (writing, phone, video, in person).
"""

from __future__ import annotations

from typing import Any

from django.db.models import F, Func, OuterRef, Subquery
from django.http import HttpRequest
from django.urls import reverse

from hearth.chat import access
from hearth.chat.models import InboxEntry
from hearth.core.badges import register_count
from hearth.core.home import Panel, register_panel


def _coming_up(request: HttpRequest, group: Any = None) -> dict[str, Any] | None:
    if not request.user.is_authenticated:
        return None
    group_id = group.pk if group is not None else None
    items = access.coming_up(request.user, group_id=group_id, limit=8 if group_id else 5)
    refresh = reverse("chat:coming_up") + (f"?group={group_id}" if group_id else "")
    if not items and group_id is None:
        return None  # the home page and feed stay quiet; a group's page says "nothing planned"
    return {"items": items, "group": group, "refresh_url": refresh}


register_panel(Panel("chat.coming_up", "chat/_coming_up.html", _coming_up, order=7))
register_panel(Panel("chat.coming_up", "chat/_coming_up.html", _coming_up, order=10, slot="group"))
register_panel(Panel("chat.coming_up", "chat/_coming_up.html", _coming_up, order=10, slot="feed"))


def _journey(request: HttpRequest, person: Any) -> dict[str, Any] | None:
    """On a supporter's page about someone: how they have met the service so far (writing, phone, video, in
    person), for staff and the supporters who have talked with them."""
    if not request.user.is_authenticated or not access.sees_journey(request.user, person):
        return None
    return {"person": person, "steps": access.journey(person)}


register_panel(Panel("chat.journey", "chat/_journey_panel.html", _journey, order=20, slot="person"))


def _unread_conversations() -> Subquery:
    """How many of the member's conversations have something unread (not how many messages: calmer)."""
    return Subquery(
        InboxEntry.objects.filter(member=OuterRef("pk"), unread__gt=0)
        .order_by()  # no model ordering inside a COUNT: PostgreSQL refuses it (GROUP BY)
        .annotate(n=Func(F("pk"), function="COUNT"))
        .values("n")[:1]
    )


register_count("messages", _unread_conversations)
