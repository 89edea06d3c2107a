from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from hearth.availability.actions import DUTY_GROUP
from hearth.core.consumers import EventConsumer
from hearth.core.events import member_group
from hearth.members import policy
from hearth.members.policy import Perm


class DutyConsumer(EventConsumer):
    """``/ws/duty/``: supporters hear that the talk-now queue changed (never its content) and their own alerts."""

    def groups_for(self, member: Any, **url_kwargs: Any) -> list[str]:
        if not policy.can(member, Perm.TAKE_SHIFTS):
            raise PermissionDenied
        return [DUTY_GROUP, member_group(member.pk)]
