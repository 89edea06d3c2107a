"""The community's panel on the home page: your groups, gently."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef
from django.http import HttpRequest

from hearth.community.access import my_groups, profile_of
from hearth.community.models import Post
from hearth.core.home import Panel, register_panel


def _context(request: HttpRequest) -> dict[str, Any] | None:
    member: Any = request.user
    groups = list(
        my_groups(member).annotate(
            has_new=Exists(
                Post.objects.filter(
                    group=OuterRef("group"), created_at__gt=OuterRef("last_read_at"), hidden=False
                ).exclude(author=member)
            )
        )[:8]
    )
    return {"groups": groups, "quiet": profile_of(member).quiet}


register_panel(Panel("community.groups", "community/_home_panel.html", _context, order=40))
