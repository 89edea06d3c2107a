"""Insights' part of "download my data" and "delete my account": questionnaire answers and offers."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from hearth.core import data_rights
from hearth.insights import measures
from hearth.insights.models import OutcomeInvitation, OutcomeResponse
from hearth.members.models import Member


def export_insights(member: Member) -> dict[str, Any]:
    return {
        "questionnaires": [
            {
                "questionnaire": measures.get(r.measure).name,
                "answered_at": timezone.localtime(r.created_at).isoformat(),
                "answers": r.answers,
                "score": r.score,
                "band": measures.get(r.measure).band_label(r.band),
            }
            for r in OutcomeResponse.objects.filter(member=member).order_by("created_at")
        ],
        "questionnaires_offered": [
            {
                "questionnaire": measures.get(i.measure).name,
                "offered_at": timezone.localtime(i.created_at).isoformat(),
                "answered": i.answered_at is not None,
                "not_now": i.set_aside_at is not None,
            }
            for i in OutcomeInvitation.objects.filter(member=member).order_by("created_at")
        ],
    }


def erase_insights(member: Member) -> None:
    OutcomeResponse.objects.filter(member=member).delete()
    OutcomeInvitation.objects.filter(member=member).delete()


data_rights.register(
    data_rights.Section(
        "insights",
        export_insights,
        erase_insights,
        "Your questionnaire answers and scores are deleted. Research exports already made held no name, email or "
        "writing of yours, only a code that can't be traced back once your account is gone.",
    )
)
