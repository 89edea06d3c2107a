"""``/ws/care/``: the care queue changed (no names, no reasons: the page fetches what this viewer may see)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from hearth.care.actions import CARE_GROUP
from hearth.core.consumers import EventConsumer
from hearth.core.events import member_group
from hearth.members import policy
from hearth.members.policy import Perm


class CareQueueConsumer(EventConsumer):
    def groups_for(self, member: Any, **url_kwargs: Any) -> list[str]:
        if not policy.can(member, Perm.VIEW_CARE_QUEUE):
            raise PermissionDenied
        return [CARE_GROUP, member_group(member.pk)]
