"""What members write to safety (report reasons, appeals) and what moderators write."""

from __future__ import annotations

from typing import Any

from hearth.core.screening import Path, member_text, register_path, staff_text, system_text
from hearth.members.models import Member


def _drill_report(member: Member, text: str) -> Any:
    from hearth.safety.actions import do_report

    return do_report(member, member=member, reason=text[:500])


def _drill_appeal(member: Member, text: str) -> Any:
    from hearth.safety.actions import do_appeal
    from hearth.safety.models import Sanction

    sanction = Sanction.objects.create(member=member, kind="warn", reason="A drill: no sanction was ever given.")
    return do_appeal(sanction, text)


register_path(Path("safety.report", "report reason", drill=_drill_report))
register_path(Path("safety.appeal", "appeal", drill=_drill_appeal))

member_text("safety.Report", "reason", path="safety.report")
member_text("safety.Appeal", "text", path="safety.appeal")
staff_text("safety.Report", "outcome", why="what the moderator tells the reporter (Perm.MODERATE)")
staff_text("safety.Appeal", "response", why="the coordinator's decision (Perm.DECIDE_APPEALS)")
staff_text("safety.Sanction", "reason", "message", why="the moderator's decision (Perm.MODERATE and up)")
staff_text("safety.ModeratorNote", "text", why="moderators' notes (Perm.MODERATE)")
staff_text("safety.ModerationItem", "resolution_note", why="the moderator's decision (Perm.MODERATE)")
system_text("safety.ModerationItem", "content_key", "flags", "reasons", why="triage's findings, in Hearth's words")
system_text("safety.TriageRecord", "content_key", "flags", "reasons", why="triage's findings, in Hearth's words")
system_text("safety.CrisisAlert", "summary", why="why the alert was raised, in Hearth's words (no message text)")
system_text(
    "safety.TriageLabel",
    "text_encrypted",
    "flags",
    why="ciphertext of words already screened when they were written (a moderator's label for retraining)",
)
