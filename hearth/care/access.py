"""Who may tell the team they are worried about whom ("I'm worried about someone").

A person can only raise a concern about someone they could have noticed: the writer of a post, reply or
chat message they can read (safety's content registry answers that, so group privacy holds), someone they
share a group or a conversation with, or — for supporters, who see the people list — any member. Anything
else is a 404, so the form never confirms that an id belongs to someone.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from hearth.members import policy
from hearth.members.models import Member
from hearth.members.policy import Perm


@dataclass(frozen=True)
class WorryTarget:
    """The person a concern is about, and where it was noticed (``content_key`` empty: on their profile)."""

    person: Member
    content_key: str = ""
    object_id: int | None = None
    where: str = ""  # "post", "reply", "chat message" (how the form says it)
    back: str = ""  # the page to go back to afterwards


def _knows(viewer: Member, person: Member) -> bool:
    """They share a group, or a conversation (or the viewer is a supporter, who sees the people list)."""
    from hearth.chat.models import InboxEntry
    from hearth.community.models import Membership

    if policy.can(viewer, Perm.VIEW_MEMBER_LIST):
        return True
    mine = Membership.objects.filter(member=viewer).values("group_id")
    if Membership.objects.filter(member=person, group_id__in=mine).exists():
        return True
    rooms = InboxEntry.objects.filter(member=viewer).values("room_id")
    return InboxEntry.objects.filter(member=person, room_id__in=rooms).exists()


def access_worry_target(
    viewer: Member, *, about_id: int | None = None, content_key: str = "", object_id: int | None = None
) -> WorryTarget:
    """The person ``viewer`` may tell the team about, from a piece of writing or from the person; 404 otherwise."""
    from hearth.safety import content

    policy.require(viewer, Perm.RAISE_CONCERN)
    if content_key:
        if content_key not in content.registered() or object_id is None:
            raise Http404
        kind = content.get(content_key)
        if not kind.visible_to(viewer, object_id):
            raise Http404
        author = kind.author_of(object_id)
        if author is None or not author.is_active or author.pk == viewer.pk:
            raise Http404
        return WorryTarget(author, content_key, object_id, kind.label, kind.link(object_id))
    person = Member.objects.filter(pk=about_id or 0, is_active=True).first()
    if person is None or person.pk == viewer.pk or not _knows(viewer, person):
        raise Http404
    return WorryTarget(person)
