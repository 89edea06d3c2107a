"""Download and erase: what proactive care holds about a member."""

from __future__ import annotations

from typing import Any

from hearth.care.models import (
    CareItem,
    CareProfile,
    CheckInRecord,
    CheckInRound,
    Concern,
    MoodEntry,
    Visit,
    WellbeingReading,
    WellbeingToken,
)
from hearth.core import crypto
from hearth.core.data_rights import Section, register
from hearth.members.models import Member


def _export(member: Member) -> dict[str, Any]:
    profile = CareProfile.objects.filter(member=member).select_related("usual_supporter").first()
    return {
        "usual_supporter": profile.usual_supporter.display_name if profile and profile.usual_supporter else None,
        "check_ins_switched_off": bool(profile and profile.check_ins_off),
        "on_the_care_queue": [
            {
                "noted_at": i.created_at.isoformat(),
                "why": i.reason,
                "state": i.get_state_display(),
                "outcome": i.outcome,
            }
            for i in CareItem.objects.filter(member=member)
        ],
        # The supporter's own words stay with the team (a coordinator can share them on request);
        # when and how each check-in went is yours.
        "check_ins": [
            {"at": r.created_at.isoformat(), "how": r.get_how_display(), "outcome": r.get_outcome_display()}
            for r in CheckInRecord.objects.filter(member=member)
        ],
        "check_in_rounds": [
            {"schedule": r.schedule_label(), "message": r.message, "active": r.active}
            for r in CheckInRound.objects.filter(member=member)
        ],
        "mood_check_ins": [
            {"day": m.day.isoformat(), "score": m.score, "words": m.words}
            for m in MoodEntry.objects.filter(member=member)
        ],
        "days_you_came_in": [v.day.isoformat() for v in Visit.objects.filter(member=member).order_by("day")],
        "wellbeing_scores": [
            {"day": r.day.isoformat(), "metric": r.metric, "value": r.value}
            for r in WellbeingReading.objects.filter(member=member)
        ],
        # What you told the team you noticed about someone (what others told us about you stays with the team,
        # like check-in notes: it is someone else's words).
        "worries_you_told_us_about": [
            {"at": c.created_at.isoformat(), "about": c.about.display_name, "what_you_noticed": c.noticed()}
            for c in Concern.objects.filter(raised_by=member).select_related("about")
        ],
        "wellbeing_tokens": [
            {"name": t.name, "created_at": t.created_at.isoformat(), "revoked": t.revoked_at is not None}
            for t in WellbeingToken.objects.filter(member=member)
        ],
    }


def _erase(member: Member) -> None:
    for model in (CareItem, CheckInRecord, CheckInRound, MoodEntry, Visit, WellbeingReading, WellbeingToken):
        model.objects.filter(member=member).delete()
    CareProfile.objects.filter(member=member).delete()
    Concern.objects.filter(about=member).delete()
    # A worry they raised about someone else stays with the team (it may be all we know), without their words.
    Concern.objects.filter(raised_by=member).update(
        raised_by=None, noticed_encrypted=crypto.encrypt_json("(removed when the person who told us left)")
    )


register(
    Section(
        "care",
        _export,
        _erase,
        "Your mood check-ins, wellbeing scores, the days you came in, check-ins and the team's notes about "
        "reaching out to you are deleted. If you told the team you were worried about someone, that stays with the "
        "team without your name or words.",
    )
)
