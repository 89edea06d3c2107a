"""The community's part of "download my data" and "delete my account".

Erasure rule (one rule, explained on the deletion page): a member's comments,
reactions, photos, memberships, settings and proposals still waiting for a
review are deleted. Their posts are deleted too — except a post that other
people have replied to, which stays as an empty placeholder ("a former
member's post, removed") with every word, photo, card and content note gone,
so the replies under it still make sense. (Notifications they caused for
others, which name them, are core's: see ``hearth/core/data_rights.py``.) Groups they started stay, for the
people in them; they no longer say who proposed them.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef

from hearth.community import photos
from hearth.community.models import (
    Comment,
    CommunityProfile,
    Group,
    GroupState,
    HiddenGroup,
    JoinRequest,
    Membership,
    Post,
    Reaction,
)
from hearth.core import data_rights
from hearth.members.models import Member


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def export_community(member: Member) -> dict[str, Any]:
    profile = CommunityProfile.objects.filter(member=member).first()
    posts = Post.objects.filter(author=member).select_related("group").order_by("created_at")
    return {
        "energy_level": profile.energy if profile else "",
        "interests": profile.interests if profile else "",
        "muted_words": profile.muted_list() if profile else [],
        "break_until": _iso(profile.break_until) if profile else None,
        "groups": [
            {
                "group": m.group.name,
                "host": m.is_host,
                "joined_at": _iso(m.joined_at),
                "said_here_on": _iso(m.here_on),
            }
            for m in Membership.objects.filter(member=member).select_related("group")
        ],
        "groups_proposed": [
            {"name": g.name, "purpose": g.purpose, "state": g.get_state_display(), "review_reason": g.review_reason}
            for g in Group.objects.filter(proposed_by=member)
        ],
        "hidden_groups": [h.group.name for h in HiddenGroup.objects.filter(member=member).select_related("group")],
        "join_requests_and_invitations": [
            {"group": r.group.name, "kind": r.get_kind_display(), "note": r.note, "accepted": r.accepted}
            for r in JoinRequest.objects.filter(member=member).select_related("group")
        ],
        "posts": [
            {
                "group": p.group.name,
                "kind": p.get_kind_display(),
                "text": p.body,
                "card": {"type": p.card_type, "title": p.card_title} if p.card_title else None,
                "photo_description": p.photo_description or None,
                "has_photo": bool(p.photo),
                "content_note": p.content_note if p.heavy else None,
                "posted_at": _iso(p.created_at),
            }
            for p in posts
        ],
        "comments": [
            {"group": c.post.group.name, "text": c.body, "posted_at": _iso(c.created_at)}
            for c in Comment.objects.filter(author=member).select_related("post__group").order_by("created_at")
        ],
        "reactions": [
            {
                "group": r.post.group.name,
                "post_id": r.post_id,
                "reaction": r.get_kind_display(),
                "at": _iso(r.created_at),
            }
            for r in Reaction.objects.filter(member=member).select_related("post__group")
        ],
    }


def erase_community(member: Member) -> None:
    with transaction.atomic():
        Reaction.objects.filter(member=member).delete()
        Comment.objects.filter(author=member).delete()
        others_replied = Comment.objects.filter(post=OuterRef("pk")).exclude(author=member)
        posts = Post.objects.filter(author=member).annotate(kept=Exists(others_replied))
        names = [p.photo for p in posts if p.photo]
        keep = [p.pk for p in posts if p.kept]
        Post.objects.filter(author=member).exclude(pk__in=keep).delete()
        Reaction.objects.filter(post_id__in=keep).delete()
        Post.objects.filter(pk__in=keep).update(
            author=None,
            removed=True,
            body="",
            card_type="",
            card_title="",
            photo="",
            photo_description="",
            heavy=False,
            content_note="",
            pinned_at=None,
        )
        Group.objects.filter(proposed_by=member).exclude(state=GroupState.ACTIVE).delete()
        transaction.on_commit(lambda: _delete_photos(names))


def _delete_photos(names: list[str]) -> None:
    for name in names:
        photos.delete_photo(name)


data_rights.register(
    data_rights.Section(
        "community",
        export_community,
        erase_community,
        "Your posts, photos, comments, reactions, group memberships, energy level, interests and muted words are "
        "deleted. If other people replied to one of your posts, the post stays as an empty placeholder with all "
        "of your words and photos removed, so their replies still make sense. Groups you started stay for the "
        "people in them, without your name.",
    )
)
