"""Signposting's text is the staff's directory; a member's own self-referral note is screened."""

from __future__ import annotations

from hearth.core.screening import Path, member_text, register_path, staff_text, system_text

register_path(
    Path(
        "signposting.referral",
        "referral note",
        no_drill="only for resources that take self-referrals, which a fresh organisation may not have; "
        "covered by signposting/tests/test_screening.py",
    )
)

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
