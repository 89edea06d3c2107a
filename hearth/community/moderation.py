"""Posts and comments as the safety app sees them (its content registry).

Safety hides and restores through :func:`do_set_post_hidden` /
:func:`do_set_comment_hidden`, checks who may report with the same membership
rule as the pages, and shows moderators an excerpt.
"""

from __future__ import annotations

from django.urls import reverse

from hearth.community.access import membership_of
from hearth.community.actions import do_set_comment_hidden, do_set_post_hidden
from hearth.community.models import Comment, Post
from hearth.members.models import Member
from hearth.safety.content import ContentKind, register


def _post(post_id: int) -> Post | None:
    return Post.objects.select_related("author").filter(pk=post_id).first()


def _comment(comment_id: int) -> Comment | None:
    return Comment.objects.select_related("author", "post").filter(pk=comment_id).first()


def _post_visible(member: Member, post_id: int) -> bool:
    post = _post(post_id)
    return bool(post and not post.hidden and membership_of(member, post.group_id) is not None)


def _comment_visible(member: Member, comment_id: int) -> bool:
    comment = _comment(comment_id)
    return bool(
        comment and not comment.hidden and not comment.post.hidden and membership_of(member, comment.post.group_id)
    )


def _post_excerpt(post_id: int) -> str:
    post = _post(post_id)
    if post is None:
        return "(deleted)"
    return "\n".join(
        filter(
            None,
            [
                post.content_note and f"[content note: {post.content_note}]",
                post.card_title,
                post.body,
                post.photo_description,
            ],
        )
    )


register(
    ContentKind(
        key="community.post",
        label="post",
        author_of=lambda pk: p.author if (p := _post(pk)) else None,
        excerpt=_post_excerpt,
        hide=do_set_post_hidden,
        visible_to=_post_visible,
        link=lambda pk: reverse("community:post", args=[pk]),
        group_of=lambda pk: p.group_id if (p := _post(pk)) else None,
        link_opens_for=lambda member, pk: bool((p := _post(pk)) and membership_of(member, p.group_id)),
    )
)
register(
    ContentKind(
        key="community.comment",
        label="reply",
        author_of=lambda pk: c.author if (c := _comment(pk)) else None,
        excerpt=lambda pk: c.body if (c := _comment(pk)) else "(deleted)",
        hide=do_set_comment_hidden,
        visible_to=_comment_visible,
        link=lambda pk: reverse("community:post", args=[c.post_id]) if (c := _comment(pk)) else "",
        group_of=lambda pk: c.post.group_id if (c := _comment(pk)) else None,
        link_opens_for=lambda member, pk: bool((c := _comment(pk)) and membership_of(member, c.post.group_id)),
    )
)
