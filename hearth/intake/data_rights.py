"""What the intake app holds about a member, for export and erasure."""

from __future__ import annotations

from typing import Any

from hearth.core.data_rights import Section, register
from hearth.intake import questionnaire
from hearth.intake.models import Assessment, Path
from hearth.members.models import Member


def _export(member: Member) -> list[dict[str, Any]]:
    labels = dict(Path.choices)
    return [
        {
            "completed_at": a.created_at.isoformat(),
            "questionnaire_version": a.version.number,
            "answers": questionnaire.explain(a.version.definition, a.answers()),
            "suggested": [labels[p] for p in a.path_list()],
        }
        for a in Assessment.objects.filter(member=member).select_related("version")
    ]


def _erase(member: Member) -> None:
    Assessment.objects.filter(member=member).delete()


register(
    Section(
        "self_assessments",
        _export,
        _erase,
        "Your self-assessment answers and what they suggested are deleted.",
    )
)
