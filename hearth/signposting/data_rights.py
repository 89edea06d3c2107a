"""What the signposting app holds about a member (their referrals), for export and erasure."""

from __future__ import annotations

from typing import Any

from hearth.core.data_rights import Section, register
from hearth.members.models import Member
from hearth.signposting.models import Referral


def _export(member: Member) -> list[dict[str, Any]]:
    return [r.as_export() for r in Referral.objects.filter(member=member).select_related("resource")]


def _erase(member: Member) -> None:
    Referral.objects.filter(member=member).delete()


register(
    Section(
        "referrals",
        _export,
        _erase,
        "Referrals to other services, and the notes on them, are deleted.",
    )
)
