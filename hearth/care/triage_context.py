"""Care cues a member shares *with the team* are part of how triage reads their messages (issue 20).

A falling mood, low moods running, going quiet or low energy — an open care item from a cue — is added to the
writer's context (``hearth.safety.context``) only when the member shares that cue with the peer-work team; a cue
shared with their usual supporter alone stays with that supporter.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from hearth.care.cues import audiences_of
from hearth.care.models import CareItem, Source
from hearth.members import consent
from hearth.members.models import Member
from hearth.safety.context import register_source

_CUES = {
    Source.MOOD_TREND: "shares a falling mood",
    Source.MOOD: "shares low moods a few days running",
    Source.GOING_QUIET: "shares that they have gone quiet",
    Source.ENERGY: "shares low energy for days",
}
RECENT = timedelta(days=14)


def team_cues(member: Member, now: datetime) -> list[str]:
    shared = audiences_of([member.pk])
    sources = [s for s in _CUES if shared.get((member.pk, s)) == consent.PEER_TEAM]
    if not sources:
        return []
    open_sources = set(
        CareItem.objects.filter(member=member, source__in=sources, created_at__gte=now - RECENT)
        .exclude(state=CareItem.State.DONE)
        .values_list("source", flat=True)
    )
    return [_CUES[s] for s in sources if s in open_sources]


register_source(team_cues)
