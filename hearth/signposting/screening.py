"""Signposting's text is the staff's directory; a member's own self-referral note is screened."""

from __future__ import annotations

from typing import Any

from hearth.core.screening import DrillSkipped, Path, member_text, register_path, staff_text, system_text
from hearth.members.models import Member


def _drill_self_referral(member: Member, text: str) -> Any:
    from hearth.signposting.actions import do_create_referral
    from hearth.signposting.models import Resource

    resource = Resource.objects.filter(active=True, self_referral=True, referral_needed=False).first()
    if resource is None:
        raise DrillSkipped("no resource in the directory takes self-referrals")
    return do_create_referral(member, member, resource, note=text[:500])


register_path(Path("signposting.referral", "self-referral note", drill=_drill_self_referral))

member_text("signposting.Referral", "note", path="signposting.referral")
staff_text(
    "signposting.Resource",
    "name",
    "description",
    "eligibility",
    "contact",
    "phone",
    "website",
    "hours",
    why="the resources directory (Perm.EDIT_DIRECTORY)",
)
system_text("signposting.Resource", "topics", why="choices from a fixed list")
