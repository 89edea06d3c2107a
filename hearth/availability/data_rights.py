"""What the availability app holds about a member, for export and erasure."""

from __future__ import annotations

from typing import Any

from hearth.availability.models import DutySession, HandoverNote, ShiftPattern, SupporterProfile, TalkRequest
from hearth.core.data_rights import Section, register
from hearth.members.models import Member


def _export(member: Member) -> dict[str, Any]:
    return {
        "talk_requests": [
            {
                "asked_at": r.created_at.isoformat(),
                "mode": r.mode,
                "state": r.state,
                "message": r.message,
                "preferences": r.preferences(),
                "answered_by": r.accepted_by.display_name if r.accepted_by else None,
            }
            for r in TalkRequest.objects.filter(member=member).select_related("accepted_by")
        ],
        "shifts": [str(p) for p in ShiftPattern.objects.filter(supporter=member)],
        "supporter_profile": [
            {
                "modes": p.modes,
                "languages": p.languages,
                "experience": p.experience,
                "gender_for_matching": p.gender,
                "age_band_for_matching": p.age_band,
                "max_open_conversations": p.max_open_conversations,
                "max_hours_per_week": p.max_hours_per_week,
                "preferred_days": p.preferred_days,
                "preferred_times": p.preferred_times,
                "away_until": p.away_until.isoformat() if p.away_until else None,
            }
            for p in SupporterProfile.objects.filter(member=member)
        ],
        "duty_sessions": [
            {"from": d.started_at.isoformat(), "to": d.ended_at.isoformat() if d.ended_at else None}
            for d in DutySession.objects.filter(supporter=member)
        ],
        "handover_notes_you_wrote": [
            {"written_at": n.written_at.isoformat(), "note": n.note()}
            for n in HandoverNote.objects.filter(author=member)
        ],
    }


def _erase(member: Member) -> None:
    """Requests, shifts and duty records cascade with the account; answered requests lose the supporter's name.

    Handover notes they wrote stay for the team, without their name (the foreign key is SET_NULL)."""
    TalkRequest.objects.filter(accepted_by=member).update(accepted_by=None)


register(
    Section(
        "talk_now_and_rota",
        _export,
        _erase,
        "Your requests to talk and any messages you left are deleted; if you were on the rota, your shifts are removed.",
    )
)
