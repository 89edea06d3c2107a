"""What members write for care: words with a mood check-in, a name for a tracker token."""

from __future__ import annotations

from typing import Any

from hearth.core.screening import Path, member_text, not_member_words, register_path, staff_text, system_text
from hearth.members.models import Member


def _share(member: Member, kind: str) -> None:
    from hearth.members.actions import do_set_consent
    from hearth.members.consent import PEER_TEAM

    do_set_consent(member, kind, PEER_TEAM.key)


def _drill_mood(member: Member, text: str) -> Any:
    from hearth.care.actions import do_check_in_mood
    from hearth.care.cues import MOOD

    _share(member, MOOD.key)
    return do_check_in_mood(member, 1, text[:280])


def _drill_token(member: Member, text: str) -> Any:
    from hearth.care.actions import do_create_token
    from hearth.care.cues import WELLBEING

    _share(member, WELLBEING.key)
    token, _ = do_create_token(member, text[:60])
    return token


register_path(Path("care.mood", "words with a mood check-in", drill=_drill_mood))
register_path(Path("care.token", "name for a tracker token", drill=_drill_token))

member_text("care.MoodEntry", "words_encrypted", path="care.mood")
member_text("care.WellbeingToken", "name", path="care.token")
system_text("care.WellbeingToken", "token_hash", "prefix")
system_text("care.CareItem", "source", "reason", "ref", why="Hearth's plain-words reasons and references")
staff_text("care.CareItem", "snooze_reason", "outcome", why="supporters working the care queue (Perm.VIEW_CARE_QUEUE)")
staff_text("care.CheckInRound", "message", why="the check-in message staff set up (Perm.RUN_CHECK_INS)")
staff_text("care.CheckInRecord", "note_encrypted", why="the supporter's note of a check-in")
system_text("care.CheckInRecord", "reasons", why="what was on the queue, copied for the record")


def _drill_concern(member: Member, text: str) -> Any:
    """A drill writes crisis words about a made-up person the drill member is worried about."""
    from hearth.care.actions import do_raise_concern

    with not_member_words("the drill's made-up person, named by Hearth"):
        friend = Member.objects.create_user(
            f"drill-friend-{member.pk}@example.invalid", None, display_name=f"Drill friend of {member.pk}"
        )
    return do_raise_concern(member, friend, text)


register_path(Path("care.concern", "what someone noticed about another person", drill=_drill_concern))
member_text("care.Concern", "noticed_encrypted", path="care.concern")
system_text("care.Concern", "content_key", "risk", why="where it was noticed, and triage's risk level")
