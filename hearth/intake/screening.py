"""What members write in the self-assessment (its free-text answers); the rest of intake is the coordinator's."""

from __future__ import annotations

from typing import Any

from hearth.core.screening import Path, member_text, register_path, staff_text, system_text
from hearth.members.models import Member


def drill_answers(definition: dict[str, Any], text: str) -> dict[str, Any]:
    """A complete, valid set of answers whose only sign of crisis is ``text`` in the first written answer.

    Every required choice gets an option that no urgent rule mentions, so an alert can only come from the words.
    """
    urgent = {token for rule in definition.get("rules", []) if rule.get("path") == "urgent" for token in rule["any"]}
    answers: dict[str, Any] = {}
    written = False
    for q in definition["questions"]:
        if q["kind"] == "text":
            if not written:
                answers[q["id"]], written = text, True
            continue
        if q.get("required", True):
            safe = [o["id"] for o in q["options"] if f"{q['id']}.{o['id']}" not in urgent]
            answers[q["id"]] = [safe[-1]]
    return answers


def _drill_assessment(member: Member, text: str) -> Any:
    from hearth.intake.access import current_version
    from hearth.intake.actions import do_submit_assessment

    version = current_version()
    return do_submit_assessment(member, version_number=version.number, answers=drill_answers(version.definition, text))


register_path(Path("intake.assessment", "self-assessment answer", drill=_drill_assessment))

member_text("intake.Assessment", "answers_encrypted", path="intake.assessment")
system_text("intake.Assessment", "paths", why="the routing result, from a fixed list")
staff_text("intake.Scope", "who_for", "what_we_offer", "not_covered", why="the coordinator's words (Perm.EDIT_SCOPE)")
staff_text(
    "intake.QuestionnaireVersion", "definition", "note", why="the coordinator's questions (Perm.EDIT_QUESTIONNAIRE)"
)
