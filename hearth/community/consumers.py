"""Live updates for a group page and for the feed.

Both only authenticate, run the access helper and forward events; events
carry ids, and the page fetches what it shows through access-checked views.
"""

from __future__ import annotations

from typing import Any

from hearth.community import access
from hearth.core.consumers import CLOSE_FORBIDDEN, EventConsumer
from hearth.core.events import member_group


class GroupConsumer(EventConsumer):
    """``/ws/community/groups/<id>/``: one group's posts and replies, for its members only."""

    def groups_for(self, member: Any, **url_kwargs: Any) -> list[str]:
        group, _ = access.access_group_content(member, int(url_kwargs["group_id"]))  # raises Http404
        self.group_id = group.pk
        return [access.group_channel(group.pk), member_group(member.pk)]

    async def hearth_event(self, message: dict[str, Any]) -> None:
        event = message["event"]
        if event.get("kind") == "community.left" and event.get("group") == getattr(self, "group_id", None):
            await self.close(code=CLOSE_FORBIDDEN)
            return
        await super().hearth_event(message)


class FeedConsumer(EventConsumer):
    """``/ws/community/feed/``: every group the member is in, plus their own events."""

    def groups_for(self, member: Any, **url_kwargs: Any) -> list[str]:
        ids = list(access.my_groups(member).values_list("group_id", flat=True))
        return [access.group_channel(i) for i in ids] + [member_group(member.pk)]

    async def hearth_event(self, message: dict[str, Any]) -> None:
        event = message["event"]
        if event.get("kind") == "community.left":
            # Stop following a group the member has just left.
            channel = access.group_channel(int(event["group"]))
            await self.channel_layer.group_discard(channel, self.channel_name)
            self.joined = [g for g in self.joined if g != channel]
        await super().hearth_event(message)
