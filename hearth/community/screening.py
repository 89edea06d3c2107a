"""What members write in the community (posts, replies, group proposals, join notes, interests)."""

from __future__ import annotations

from typing import Any

from hearth.community.models import Group, GroupState, JoinPolicy, Membership, Post
from hearth.core.screening import (
    Path,
    exempt_text,
    member_text,
    not_member_words,
    register_drill_cleanup,
    register_path,
    staff_text,
    system_text,
)
from hearth.members.models import Member


def _drill_group_name(member_id: int) -> str:
    return f"Drill {member_id} (not shown to members)"


def drill_group(member: Member) -> Group:
    """A private, unlisted group of one for a drill: nobody else ever sees what is written there."""
    with not_member_words("the drill's own group, named by Hearth"):
        group = Group.objects.create(
            name=_drill_group_name(member.pk),
            purpose="A crisis drill: synthetic writing, seen by nobody but staff handling the drill.",
            who_for="Nobody: made and removed by hearth drill.",
            state=GroupState.ACTIVE,
            join_policy=JoinPolicy.INVITE,
            listed=False,
        )
    Membership.objects.create(group=group, member=member, is_host=True)
    return group


def _drill_post(member: Member, text: str) -> Post:
    from hearth.community.actions import do_create_post

    return do_create_post(member, drill_group(member), body=text)


def _drill_comment(member: Member, text: str) -> Any:
    from hearth.community.actions import do_comment, do_create_post

    post = do_create_post(member, drill_group(member), body="A quiet evening, just checking in.")
    return do_comment(member, post, text)


def _drill_proposal(member: Member, text: str) -> Group:
    from hearth.community.actions import do_propose_group

    return do_propose_group(
        member, name=f"Drill proposal {member.pk}", purpose=text[:600], who_for="Nobody: a drill", listed=False
    )


def _drill_join_note(member: Member, text: str) -> Any:
    from hearth.community.actions import do_join_group

    host = member  # the drill member hosts its own closed group, so a second account asks to join it
    group = drill_group(host)
    group.join_policy = JoinPolicy.ASK
    group.save(update_fields=["join_policy"])
    Membership.objects.filter(group=group, member=member).delete()
    return do_join_group(member, group, note=text[:300])


def _drill_interests(member: Member, text: str) -> Any:
    from hearth.community.actions import do_update_community_settings

    return do_update_community_settings(member, interests=text[:200], muted_words="")


def _remove_drill_groups(people: list[int]) -> None:
    """The drill groups of one go with the drill (their rooms and posts with them).

    Only an unlisted group of that name whose members are all drill people: never a real group.
    """
    named = Group.objects.filter(name__in=[_drill_group_name(pk) for pk in people], listed=False)
    Group.objects.filter(pk__in=named).exclude(memberships__member__in=Member.objects.exclude(pk__in=people)).delete()


register_drill_cleanup(_remove_drill_groups)
register_path(Path("community.post", "post", drill=_drill_post))
register_path(Path("community.comment", "reply", drill=_drill_comment))
register_path(Path("community.group", "group proposal", drill=_drill_proposal))
register_path(Path("community.join_request", "note asking to join a group", drill=_drill_join_note))
register_path(Path("community.profile", "interests", drill=_drill_interests))

member_text("community.Post", "body", "card_title", "photo_description", "content_note", path="community.post")
system_text("community.Post", "photo", why="the stored photo's file name")
member_text("community.Comment", "body", path="community.comment")
member_text(
    "community.Group",
    "name",
    "purpose",
    "who_for",
    "not_covered",
    "interest_tags",
    "experience_tags",
    path="community.group",
)
staff_text("community.Group", "review_reason", why="written by the reviewer (Perm.REVIEW_GROUP_PROPOSALS)")
member_text("community.JoinRequest", "note", path="community.join_request")
member_text("community.CommunityProfile", "interests", path="community.profile")
exempt_text(
    "community.CommunityProfile",
    "muted_words",
    why="words the member doesn't want to see, not something they said; screening them would raise false alarms",
)
