from __future__ import annotations

from typing import Any

from hearth.core.data_rights import Section, register
from hearth.members.models import Member
from hearth.safety.models import Report, Sanction, TriageLabel, TriageRecord


def _export(member: Member) -> dict[str, Any]:
    return {
        "reports_you_made": [
            {"at": r.created_at.isoformat(), "reason": r.reason, "outcome": r.outcome or r.get_state_display()}
            for r in Report.objects.filter(reporter=member)
        ],
        "decisions_about_you": [
            {"at": s.created_at.isoformat(), "what": s.get_kind_display(), "reason": s.reason}
            for s in Sanction.objects.filter(member=member)
        ],
    }


def _erase(member: Member) -> None:
    """Triage records keep no text, only risk levels; their link to the writer goes (as do reports' reasons)."""
    TriageRecord.objects.filter(author=member).update(author=None)
    TriageLabel.objects.filter(author=member).delete()  # their words, kept to teach triage, go with them
    Report.objects.filter(reporter=member).update(reporter=None, reason="(removed when the reporter left)")


register(
    Section(
        "safety",
        _export,
        _erase,
        "Reports you made are kept as 'a former member' without your words; safety decisions about you are deleted.",
    )
)
