"""Who may see which group, post or photo: the community's access helpers.

Views, consumers and actions read protected community objects only through
these functions; they raise ``Http404`` rather than ``PermissionDenied`` so a
refused request looks the same as a group or post that doesn't exist (an
unlisted group's name never leaks through a status code).

The rules, in one place:

- A listed, open-for-business group's *about* page (name, purpose, scope,
  join policy) is for every signed-in member. An unlisted group's is for its
  members, people with a pending invitation or request, and staff who look
  after coverage. A proposal is for its proposer and the reviewers.
- A group's *content* — posts, photos, comments, reactions, the member list
  and the "here quietly" list — is for its members only. Staff who need to see
  it join the group, which other members can see.
- Who reacted to a post is for the post's author only; nobody sees counts.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from hearth.community.models import (
    CommunityProfile,
    Energy,
    Group,
    GroupState,
    HiddenGroup,
    JoinRequest,
    Membership,
    Post,
)
from hearth.core import notifications
from hearth.members import consent, policy
from hearth.members.policy import Perm

if TYPE_CHECKING:
    from hearth.members.models import Member

COVERAGE_WINDOW = timedelta(days=7)

ENERGY = consent.register(
    consent.ConsentKind(
        "community.energy",
        "Your energy level",
        "The low / some / good energy you set at the top of each page. It changes how Hearth looks for you "
        "(low energy turns on quiet mode). If you are a volunteer or staff, saying 'low' also takes you off "
        "the list of supporters covering your groups that day, without saying why.",
        (consent.NOBODY, consent.SUPPORTERS, consent.MEMBERS),
    )
)


def group_channel(group_id: int) -> str:
    """The channel-layer group for live updates to the members of one group."""
    return f"group.{group_id}"


def profile_of(member: Member) -> CommunityProfile:
    """The member's community settings, or unsaved defaults when they have none.

    Cached on the member instance, so the header's energy control and the page
    share one query per request.
    """
    cached: CommunityProfile | None = getattr(member, "_community_profile", None)
    if cached is None:
        cached = CommunityProfile.objects.filter(member=member).first() or CommunityProfile(member=member)
        setattr(member, "_community_profile", cached)  # noqa: B010  (a per-request cache, not a model field)
    return cached


def forget_profile(member: Member) -> None:
    """Drop the cached profile after an action changed it."""
    if hasattr(member, "_community_profile"):
        delattr(member, "_community_profile")


def membership_of(member: Member, group: Group | int) -> Membership | None:
    group_id = group if isinstance(group, int) else group.pk
    if not getattr(member, "is_authenticated", False):
        return None
    return Membership.objects.filter(group_id=group_id, member=member).first()


def _signed_in(member: Any) -> bool:
    return bool(member is not None and getattr(member, "is_authenticated", False) and member.is_active)


def can_see_group(member: Member, group: Group, membership: Membership | None) -> bool:
    """The about-page rule (see the module docstring). ``membership`` is the member's, if any."""
    if not _signed_in(member):
        return False
    if group.state != GroupState.ACTIVE:
        return group.proposed_by_id == member.pk or policy.can(member, Perm.REVIEW_GROUP_PROPOSALS)
    if group.listed or membership is not None or policy.can(member, Perm.VIEW_GROUP_COVERAGE):
        return True
    return JoinRequest.objects.filter(group=group, member=member, decided_at__isnull=True).exists()


def access_group(member: Member, group_id: int) -> tuple[Group, Membership | None]:
    """The group and the member's membership (or None) if they may see its about page; else 404."""
    group = Group.objects.filter(pk=group_id).first()
    if group is None:
        raise Http404
    membership = membership_of(member, group) if group.state == GroupState.ACTIVE else None
    if not can_see_group(member, group, membership):
        raise Http404
    return group, membership


def content_readers(member: Member) -> QuerySet[Membership]:
    """The memberships that let ``member`` read a group's posts and people: the rule of
    :func:`access_group_content`, for an app that folds it into a query of its own (chat's rooms). Call it for
    a signed-in, active person only."""
    return Membership.objects.filter(member=member, group__state=GroupState.ACTIVE)


def access_group_content(member: Member, group_id: int) -> tuple[Group, Membership]:
    """The group and membership if ``member`` may read its posts and people; else 404."""
    if not _signed_in(member):
        raise Http404
    membership = content_readers(member).filter(group_id=group_id).select_related("group").first()
    if membership is None:
        raise Http404
    return membership.group, membership


def access_post(member: Member, post_id: int) -> tuple[Post, Membership]:
    """A post and the reader's membership of its group, if they are a member; else 404."""
    if not _signed_in(member):
        raise Http404
    post = Post.objects.filter(pk=post_id, group__state=GroupState.ACTIVE).select_related("group", "author").first()
    if post is None:
        raise Http404
    membership = membership_of(member, post.group_id)
    if membership is None or (post.hidden and post.author_id != member.pk):
        raise Http404
    return post, membership


def require_host(member: Member, group_id: int) -> tuple[Group, Membership]:
    """For host tools: the group and the host's membership; 404 for anyone who isn't a host."""
    group, membership = access_group_content(member, group_id)
    if not membership.is_host:
        raise Http404
    return group, membership


def access_proposal(member: Member, group_id: int) -> Group:
    """A group that is not yet active, for its proposer or a reviewer; else 404."""
    group = Group.objects.filter(pk=group_id).exclude(state=GroupState.ACTIVE).select_related("proposed_by").first()
    if group is None or not can_see_group(member, group, None):
        raise Http404
    return group


def directory_groups(member: Member, *, include_hidden: bool = False) -> QuerySet[Group]:
    """Listed, active groups for the directory; the member's hidden groups left out unless asked."""
    groups = Group.objects.filter(state=GroupState.ACTIVE, listed=True)
    if not include_hidden:
        groups = groups.exclude(pk__in=HiddenGroup.objects.filter(member=member).values("group_id"))
    return groups


def search_groups(groups: QuerySet[Group], query: str = "", tag: str = "", join_policy: str = "") -> QuerySet[Group]:
    """Filter an already access-checked queryset by words, one tag and a join policy."""
    for word in query.split()[:6]:
        groups = groups.filter(
            Q(name__icontains=word)
            | Q(purpose__icontains=word)
            | Q(who_for__icontains=word)
            | Q(interest_tags__icontains=word)
            | Q(experience_tags__icontains=word)
        )
    if tag:
        groups = groups.filter(Q(interest_tags__icontains=tag) | Q(experience_tags__icontains=tag))
    if join_policy:
        groups = groups.filter(join_policy=join_policy)
    return groups


def my_groups(member: Member) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(member=member, group__state=GroupState.ACTIVE)
        .select_related("group")
        .order_by("group__name")
    )


def energy_visible_to(viewer: Member, audience_key: str, *, same_group: bool) -> bool:
    """Whether ``viewer`` may see another member's energy, given that member's consent choice."""
    if audience_key == consent.MEMBERS.key:
        return same_group or policy.is_supporter(viewer)
    if audience_key == consent.SUPPORTERS.key:
        return policy.is_supporter(viewer)
    return False


def covering_memberships(since: Any = None) -> QuerySet[Membership]:
    """Memberships of experienced supporters, active lately and not on a low-energy day.

    "Experienced supporter" is whoever holds ``Perm.COVER_GROUPS``; "active" is
    a post, comment, reaction or "I'm here" within ``COVERAGE_WINDOW``.
    """
    since = since or timezone.now() - COVERAGE_WINDOW
    return (
        Membership.objects.filter(
            last_active_at__gte=since,
            member__is_active=True,
            member__role_grants__role__in=policy.roles_with(Perm.COVER_GROUPS),
        )
        .exclude(member__community__energy=Energy.LOW)
        .distinct()
    )


def group_coverage(group: Group) -> list[Member]:
    """The supporters currently covering ``group`` (empty: nobody is)."""
    return [m.member for m in covering_memberships().filter(group=group).select_related("member")]


def groups_without_coverage() -> QuerySet[Group]:
    return (
        Group.objects.filter(state=GroupState.ACTIVE)
        .exclude(pk__in=covering_memberships().values("group_id"))
        .order_by("name")
    )


def group_hosts(group_id: int) -> list[Member]:
    """The active hosts of a group (for other apps that must tell them something, e.g. safety)."""
    return [
        m.member
        for m in Membership.objects.filter(group_id=group_id, is_host=True, member__is_active=True).select_related(
            "member"
        )
    ]


# --- What the notifications centre must respect: breaks and quiet mode ---------------------------------


def _on_break(member_ids: list[int], now: datetime) -> dict[int, datetime]:
    rows = CommunityProfile.objects.filter(member_id__in=member_ids, break_until__gt=now)
    return {pk: until for pk, until in rows.values_list("member_id", "break_until") if until is not None}


def _in_quiet_mode(member_ids: list[int]) -> set[int]:
    return set(
        CommunityProfile.objects.filter(member_id__in=member_ids, energy=Energy.LOW).values_list("member_id", flat=True)
    )


notifications.register_pause(_on_break)
notifications.register_quiet(_in_quiet_mode)
