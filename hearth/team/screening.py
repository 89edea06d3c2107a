"""What members write on the volunteer pathway (screened on the one path), and what the team writes about its
own people (declared, so the registry test knows every text column)."""

from __future__ import annotations

from typing import Any

from hearth.core.screening import Path, Screening, member_text, register_path, screen, staff_text, system_text
from hearth.members.models import Member


def _drill_application(member: Member, text: str) -> Any:
    from hearth.team.actions import do_apply

    return do_apply(member, role="volunteer", why=text)


register_path(Path("team.application", "application to volunteer", drill=_drill_application))


def screen_application(application: Any) -> Screening:
    """Screen an application's words (what draws them, when they could help) in the action's transaction."""
    words = "\n".join(w for w in (application.why, application.availability) if w)
    return screen(author=application.member, text=words, path="team.application", object_id=application.pk)


member_text("team.Application", "why", "availability", path="team.application")
staff_text("team.Application", "message", why="the coordinator's word to the applicant (Perm.MANAGE_PATHWAY)")
staff_text("team.TrainingModule", "name", "description", why="training the coordinator defines (Perm.MANAGE_PATHWAY)")
system_text("team.TrainingModule", "required_for", why="role values chosen from a list")
system_text("team.Departure", "roles", "handed_over", why="role values and ids")
staff_text("team.SupervisionSession", "notes_encrypted", why="the supervisor's notes (Perm.SUPERVISE), encrypted")
staff_text("team.DebriefRequest", "note_encrypted", why="a supporter about their own shift (Perm.TAKE_SHIFTS)")
