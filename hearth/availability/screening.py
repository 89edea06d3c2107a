"""What members write when they ask to talk, and what supporters write about the rota."""

from __future__ import annotations

from typing import Any

from hearth.core.screening import Path, member_text, register_path, staff_text, system_text
from hearth.members.models import Member


def _drill_talk(member: Member, text: str) -> Any:
    from hearth.availability.actions import do_request_talk

    return do_request_talk(member, message=text)


register_path(Path("availability.talk_request", "talk-now message", drill=_drill_talk))

member_text("availability.TalkRequest", "message", "prefer_experience", path="availability.talk_request")
system_text("availability.TalkRequest", "phone_for_callback", why="a phone number")
staff_text("availability.SupporterProfile", "experience", why="supporters describing themselves for matching")
system_text(
    "availability.SupporterProfile",
    "languages",
    "modes",
    "preferred_days",
    "preferred_times",
    why="values chosen from fixed lists",
)
staff_text("availability.ShiftException", "note", why="supporters and coordinators about shifts (Perm.TAKE_SHIFTS)")
staff_text("availability.CoverRequest", "note", why="supporters asking for cover (Perm.TAKE_SHIFTS)")
staff_text("availability.TalkSkip", "reason", why="a supporter's reason for passing a request over")
staff_text(
    "availability.ServiceException",
    "note",
    why="the coordinator's note on a day the service keeps other hours (Perm.MANAGE_ROTA)",
)
staff_text("availability.StaffingRule", "note", why="the coordinator's staffing rules (Perm.MANAGE_ROTA)")
system_text("availability.StaffingRule", "weekdays", why="weekday numbers")
staff_text("availability.OpenShift", "note", why="the coordinator offering a shift to fill a gap (Perm.MANAGE_ROTA)")
staff_text(
    "availability.HandoverNote",
    "note_encrypted",
    why="supporters passing things on to the next shifts (Perm.WRITE_HANDOVER; staff read them), encrypted",
)
