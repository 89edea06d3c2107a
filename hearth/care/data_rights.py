from __future__ import annotations

from typing import Any

from hearth.care.models import CareItem
from hearth.members.data_rights import Section, _nothing_to_erase, register
from hearth.members.models import Member


def _export(member: Member) -> list[dict[str, Any]]:
    return [
        {"noted_at": i.created_at.isoformat(), "why": i.reason, "state": i.get_state_display(), "outcome": i.outcome}
        for i in CareItem.objects.filter(member=member)
    ]


register(Section("care", _export, _nothing_to_erase, "Notes the team kept about reaching out to you are deleted."))
