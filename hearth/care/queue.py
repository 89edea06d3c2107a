"""The care queue: who might need someone to reach out today, ranked, with the reasons.

Who sees which reason (the one place this is decided; views and actions call
:func:`visible_to`):

- A member's **cues** (energy, mood, going quiet, …) only as they shared them:
  "my usual supporter" → that supporter; "the peer-work team" → staff
  (``Perm.USE_CARE_QUEUE``) and the usual supporter. Nobody → nobody.
- **Triage, hand-offs, referrals and peers' worries** ("I'm worried about
  someone") → staff only (volunteers are never left holding a concern).
- **Check-in rounds, requests for check-ins and follow-ups** → staff and the
  member's usual supporter.
- **Nobody replied** → staff, and volunteers (``Perm.VIEW_CARE_QUEUE``) who are
  in the group where the post is, so the queue never tells a volunteer about a
  group they can't read.

Members never see anyone's queue, their own included; they see their own cues
and check-ins on their care page.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from hearth.care import cues
from hearth.care.models import CUE_SOURCES, CareItem, CareProfile, Source
from hearth.members import consent, policy
from hearth.members.models import Member
from hearth.members.policy import Perm

STAFF_ONLY = frozenset({Source.TRIAGE, Source.HAND_OFF, Source.REFERRAL, Source.OUTCOME, Source.PEER})
STAFF_AND_USUAL = frozenset({Source.CHECK_IN, Source.ASKED, Source.FOLLOW_UP})
MAX_ENTRIES = 60  # one screen of people: the rest wait until these are seen to (no infinite scroll)


@dataclass
class Entry:
    """One person on the queue and the reasons this viewer may see."""

    member: Member
    items: list[CareItem] = field(default_factory=list)
    score: float = 0.0

    @property
    def reasons(self) -> list[str]:
        return [i.reason for i in self.items]

    @property
    def claimed_by(self) -> Member | None:
        return next((i.claimed_by for i in self.items if i.state == CareItem.State.CLAIMED), None)

    @property
    def oldest(self) -> datetime:
        return min(i.due_at or i.created_at for i in self.items)


@dataclass(frozen=True)
class Viewer:
    """What we need to know about the person looking, fetched once per page."""

    member: Member
    staff: bool
    groups: frozenset[int]


def viewer_for(member: Member) -> Viewer:
    from hearth.community.models import Membership

    policy.require(member, Perm.VIEW_CARE_QUEUE)
    staff = policy.can(member, Perm.USE_CARE_QUEUE)
    groups = (
        frozenset() if staff else frozenset(Membership.objects.filter(member=member).values_list("group_id", flat=True))
    )
    return Viewer(member=member, staff=staff, groups=groups)


def visible_to(
    viewer: Viewer,
    item: CareItem,
    audiences: dict[tuple[int, str], consent.Audience],
    usual: dict[int, int],
) -> bool:
    """Whether ``viewer`` may see ``item`` (see the module docstring)."""
    is_usual = usual.get(item.member_id) == viewer.member.pk
    if item.member_id == viewer.member.pk:
        return False  # nobody works their own case
    if item.source in CUE_SOURCES:
        audience = audiences.get((item.member_id, item.source), consent.NOBODY)
        if audience == consent.PEER_TEAM:
            return viewer.staff or is_usual
        return audience == consent.USUAL_SUPPORTER and is_usual
    if item.source == Source.NOBODY_REPLIED:
        return viewer.staff or item.group_id in viewer.groups
    if item.source in STAFF_AND_USUAL:
        return viewer.staff or is_usual
    return viewer.staff


def _candidates(viewer: Viewer, now: datetime) -> QuerySet[CareItem]:
    """Unfinished items that are due and not snoozed; narrowed in SQL for volunteers."""
    qs = (
        CareItem.objects.exclude(state=CareItem.State.DONE)
        .filter(Q(due_at__isnull=True) | Q(due_at__lte=now))
        .filter(Q(snoozed_until__isnull=True) | Q(snoozed_until__lte=now))
        .select_related("member", "claimed_by")
    )
    if not viewer.staff:
        qs = qs.filter(
            Q(source=Source.NOBODY_REPLIED, group_id__in=viewer.groups) | Q(member__care__usual_supporter=viewer.member)
        )
    return qs


def score(items: list[CareItem], now: datetime) -> float:
    """The sum of the reasons' weights, plus up to 10 for how long the oldest has waited (1 per 12 h)."""
    waited = max((now - (i.due_at or i.created_at)).total_seconds() for i in items) / 3600
    return sum(i.weight for i in items) + min(10.0, max(0.0, waited / 12))


def entries_for(viewer: Viewer, items: list[CareItem], now: datetime) -> list[Entry]:
    """Group visible items by person and rank them (highest score first, then who waited longest)."""
    member_ids = {i.member_id for i in items}
    audiences = cues.audiences_of(member_ids)
    usual = dict(
        CareProfile.objects.filter(member_id__in=member_ids, usual_supporter__isnull=False).values_list(
            "member_id", "usual_supporter_id"
        )
    )
    by_member: dict[int, Entry] = {}
    for item in items:
        if visible_to(viewer, item, audiences, usual):
            by_member.setdefault(item.member_id, Entry(member=item.member)).items.append(item)
    entries = list(by_member.values())
    for entry in entries:
        entry.items.sort(key=lambda i: -i.weight)
        entry.score = score(entry.items, now)
    entries.sort(key=lambda e: (-e.score, e.oldest))
    return entries


def build_queue(member: Member, *, now: datetime | None = None) -> list[Entry]:
    """The queue as ``member`` may see it. Four or five queries however long it is."""
    now = now or timezone.now()
    viewer = viewer_for(member)
    return entries_for(viewer, list(_candidates(viewer, now)), now)[:MAX_ENTRIES]


def entry_for(member: Member, person_id: int, *, now: datetime | None = None) -> Entry | None:
    """One person's entry as ``member`` may see it, or ``None`` when they can see nothing about them."""
    now = now or timezone.now()
    viewer = viewer_for(member)
    entries = entries_for(viewer, list(_candidates(viewer, now).filter(member_id=person_id)), now)
    return entries[0] if entries else None


def snoozed_and_later(member: Member, *, now: datetime | None = None) -> dict[str, list[Entry]]:
    """Snoozed items and follow-ups not yet due, for the queue's "later" section."""
    now = now or timezone.now()
    viewer = viewer_for(member)
    qs = (
        CareItem.objects.exclude(state=CareItem.State.DONE)
        .filter(Q(due_at__gt=now) | Q(snoozed_until__gt=now))
        .select_related("member", "claimed_by")
    )
    if not viewer.staff:
        qs = qs.filter(member__care__usual_supporter=member)
    out: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries_for(viewer, list(qs[:200]), now):
        out["later"].append(entry)
    return out


def access_person(viewer_member: Member, person_id: int) -> tuple[Member, Entry | None]:
    """A person's care page: staff may open anyone's; a volunteer only someone whose entry they can see. Else 404."""
    from django.http import Http404

    if not policy.can(viewer_member, Perm.VIEW_CARE_QUEUE):
        raise Http404
    person = Member.objects.filter(pk=person_id, is_active=True).first()
    if person is None or person.pk == viewer_member.pk:
        raise Http404
    entry = entry_for(viewer_member, person_id)
    if entry is None and not policy.can(viewer_member, Perm.USE_CARE_QUEUE):
        raise Http404
    return person, entry
