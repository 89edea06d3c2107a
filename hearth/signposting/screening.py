"""Signposting's text is the staff's directory; a member's own self-referral note is screened."""

from __future__ import annotations

from typing import Any

from hearth.core.screening import DrillSkipped, Path, member_text, register_path, staff_text, system_text
from hearth.members.models import Member


def _drill_self_referral(member: Member, text: str) -> Any:
    """As a member writes it: "I've contacted them" on a place that takes self-referrals, then a note on how it went."""
    from hearth.signposting.actions import do_create_referral, do_update_referral
    from hearth.signposting.models import Referral, Resource

    resource = Resource.objects.filter(active=True, self_referral=True, referral_needed=False).first()
    if resource is None:
        raise DrillSkipped("no resource in the directory takes self-referrals")
    referral = do_create_referral(member, member, resource, status=Referral.Status.MADE)
    return do_update_referral(member, referral, status=Referral.Status.MADE, note=text[:500])


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
