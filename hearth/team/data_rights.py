"""What the team app holds about a member, for export and erasure."""

from __future__ import annotations

from typing import Any

from hearth.core.data_rights import Section, register
from hearth.members.models import Member
from hearth.team.models import Application, Check, DebriefRequest, Departure, SupervisionSession, TrainingRecord


def _day(value: Any) -> str | None:
    return value.isoformat() if value else None


def _export(member: Member) -> dict[str, Any]:
    return {
        "applications": [
            {
                "role": a.role,
                "why": a.why,
                "availability": a.availability,
                "state": a.state,
                "message": a.message,
                "sent": a.created_at.isoformat(),
            }
            for a in Application.objects.filter(member=member)
        ],
        "training": [
            {"training": r.module.name, "completed": _day(r.completed_on), "renew_by": _day(r.expires_on)}
            for r in TrainingRecord.objects.filter(member=member).select_related("module")
        ],
        "checks": [
            {
                "kind": c.kind,
                "outcome": c.outcome,
                "asked": _day(c.requested_on),
                "completed": _day(c.completed_on),
                "renew_by": _day(c.expires_on),
            }
            for c in Check.objects.filter(member=member)
        ],
        "supervision": [
            {"kind": s.kind, "held_on": _day(s.held_on), "notes": s.notes()}
            for s in SupervisionSession.objects.filter(supporter=member)
        ],
        "debriefs_asked": [
            {"asked": d.created_at.isoformat(), "note": d.note(), "state": d.state}
            for d in DebriefRequest.objects.filter(supporter=member)
        ],
        "stepped_back": [{"on": _day(d.left_on), "roles": d.roles} for d in Departure.objects.filter(member=member)],
    }


def _erase(member: Member) -> None:
    """Applications, training, checks, supervision and debriefs cascade with the account; records of stepping
    back keep only ids (the member is set to nobody by the foreign key)."""


register(
    Section(
        "volunteering",
        _export,
        _erase,
        "Your applications, training records, checks, supervision notes and debrief requests are deleted.",
    )
)
