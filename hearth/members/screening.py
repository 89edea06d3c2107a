"""What members write in their account (profile words, invitation notes) and how it is screened."""

from __future__ import annotations

from typing import Any

from hearth.core.screening import Path, member_text, register_path, system_text
from hearth.members.models import Member


def _drill_profile(member: Member, text: str) -> Member:
    from hearth.members.actions import do_update_profile

    do_update_profile(member, {"contact_notes": text[:200]})
    return member


def _drill_invitation(member: Member, text: str) -> Any:
    from hearth.members.actions import do_create_invitation

    return do_create_invitation(member, text[:80])


register_path(Path("members.profile", "profile", drill=_drill_profile))
register_path(Path("members.invitation", "invitation note", drill=_drill_invitation))

member_text("members.Member", "display_name", "pronouns", "gender", "contact_notes", path="members.profile")
system_text("members.Member", "password", "email", "phone", why="credentials and contact details, not words")
member_text("members.Invitation", "note", path="members.invitation")
system_text("members.Invitation", "token")
system_text("members.Consent", "kind", "audience")
