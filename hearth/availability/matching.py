"""Who may be offered which talk-now request, in what order. Pure decisions, no writes.

The queue order is fixed: urgent first, then the person who has waited longest.
A supporter sees the requests they are *eligible* for in that order and may
only accept the first one they have not skipped (skips are recorded).
Eligibility:
- urgent requests (marked by intake or triage) only for staff, never volunteers;
- the way the member asked to talk (text, phone, video) only for supporters whose profile
  says they can talk that way;
- strict preferences ("wait for a match") only for supporters who match;
- other preferences are honoured where possible: while a matching supporter is
  on duty and the request is younger than the grace period, it waits for them;
- nobody beyond their cap of open conversations.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from hearth.availability.models import Mode, SupporterProfile, TalkRequest
from hearth.availability.profiles import default_profile
from hearth.members import policy
from hearth.members.models import Member
from hearth.members.policy import Perm


@dataclass(frozen=True)
class SupporterFacts:
    member: Member
    is_staff: bool
    gender: str  # a Gender value ("" when not said)
    age_band: str
    experience: frozenset[str]  # lower-case tags
    languages: frozenset[str]
    modes: frozenset[str]
    open_conversations: int
    cap: int
    talked_with: frozenset[int]  # member ids this supporter has talked with before

    @property
    def at_capacity(self) -> bool:
        return self.open_conversations >= self.cap


def facts_for(supporters: Iterable[Member]) -> list[SupporterFacts]:
    """Matching facts for several supporters, in a fixed number of queries."""
    supporters = list(supporters)
    ids = [s.pk for s in supporters]
    profiles = {p.member_id: p for p in SupporterProfile.objects.filter(member_id__in=ids)}
    open_counts: dict[int, int] = {}
    talked: dict[int, set[int]] = {i: set() for i in ids}
    for accepted_by, member_id, state in TalkRequest.objects.filter(accepted_by_id__in=ids).values_list(
        "accepted_by_id", "member_id", "state"
    ):
        talked[accepted_by].add(member_id)
        if state == TalkRequest.State.ACCEPTED:
            open_counts[accepted_by] = open_counts.get(accepted_by, 0) + 1
    facts = []
    for s in supporters:
        profile = profiles.get(s.pk) or default_profile(s)
        facts.append(
            SupporterFacts(
                member=s,
                is_staff=policy.is_staff(s),
                gender=profile.gender,
                age_band=profile.age_band,
                experience=frozenset(profile.experience_tags()),
                languages=frozenset(profile.language_set()),
                modes=frozenset(m for m in profile.modes if _may_talk_by(s, m)),
                open_conversations=open_counts.get(s.pk, 0),
                cap=profile.max_open_conversations or settings.HEARTH_MAX_OPEN_CONVERSATIONS,
                talked_with=frozenset(talked[s.pk]),
            )
        )
    return facts


def _may_talk_by(supporter: Member, mode: str) -> bool:
    """Phone only for staff (members' numbers are for them: ``Perm.PHONE_MEMBERS``); video only on the
    organisation's own video service (``HEARTH_VIDEO_URL``). Whatever the profile says."""
    if mode == Mode.PHONE:
        return policy.can(supporter, Perm.PHONE_MEMBERS)
    if mode == Mode.VIDEO:
        return bool(settings.HEARTH_VIDEO_URL)
    return True


def matches(request: TalkRequest, s: SupporterFacts) -> bool:
    """Does this supporter meet every preference the member gave?"""
    if request.prefer_gender and request.prefer_gender != s.gender:
        return False
    if request.prefer_age_band and request.prefer_age_band != s.age_band:
        return False
    if request.prefer_experience and request.prefer_experience.strip().lower() not in s.experience:
        return False
    if request.prefer_language and request.prefer_language not in s.languages:
        return False
    return not (request.prefer_previous and request.member_id not in s.talked_with)


def has_preferences(request: TalkRequest) -> bool:
    return bool(
        request.prefer_gender
        or request.prefer_age_band
        or request.prefer_experience
        or request.prefer_language
        or request.prefer_previous
    )


def can_talk_by(request: TalkRequest, s: SupporterFacts) -> bool:
    """Can this supporter talk the way the member asked (text, phone, video)? Never waived."""
    return request.mode in s.modes


def grace() -> timedelta:
    return timedelta(minutes=settings.HEARTH_TALK_PREFERENCE_GRACE_MINUTES)


def eligible(request: TalkRequest, s: SupporterFacts, on_duty: list[SupporterFacts], now: datetime) -> bool:
    if request.urgent and not s.is_staff:
        return False
    if not can_talk_by(request, s):
        return False
    if not has_preferences(request) or matches(request, s):
        return True
    if request.strict_match:
        return False
    # Preferences honoured where possible: hold it for a matching supporter who is on, for a while.
    matching_on = any(_could_take(request, o) for o in on_duty)
    return not matching_on or now - request.created_at > grace()


def queue_for(
    s: SupporterFacts,
    waiting: list[TalkRequest],
    on_duty: list[SupporterFacts],
    skipped: set[int],
    now: datetime | None = None,
) -> list[TalkRequest]:
    """The requests ``s`` may take, in the order they must be taken (skipped ones left out)."""
    now = now or timezone.now()
    ordered = sorted(waiting, key=lambda r: (not r.urgent, r.created_at, r.pk))
    return [r for r in ordered if r.pk not in skipped and eligible(r, s, on_duty, now)]


def _could_take(request: TalkRequest, s: SupporterFacts) -> bool:
    return matches(request, s) and can_talk_by(request, s) and (s.is_staff or not request.urgent)


def any_match_on_duty(request: TalkRequest, on_duty: list[SupporterFacts]) -> bool:
    return any(_could_take(request, s) for s in on_duty)


def anyone_on_duty_talks_by(mode: str, on_duty: list[SupporterFacts]) -> bool:
    return any(mode in s.modes for s in on_duty)
