from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from hearth.core.consumers import EventConsumer
from hearth.core.events import member_group
from hearth.members import policy
from hearth.members.policy import Perm
from hearth.safety.actions import QUEUE_GROUP


class ModerationConsumer(EventConsumer):
    """``/ws/moderation/``: the queue changed (no content) and the moderator's own alerts."""

    def groups_for(self, member: Any, **url_kwargs: Any) -> list[str]:
        if not policy.can(member, Perm.MODERATE):
            raise PermissionDenied
        return [QUEUE_GROUP, member_group(member.pk)]
