"""The content types safety can act on, registered by the apps that own them.

Safety never writes another app's tables: to hide a post it calls the
``hide`` function the community app registered, which goes through that app's
own action. ``excerpt`` gives staff the words to review; ``visible_to`` lets
safety respect group privacy (reports only from people who can see it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hearth.members.models import Member


@dataclass(frozen=True)
class ContentKind:
    key: str  # e.g. "community.post"
    label: str  # e.g. "post"
    author_of: Callable[[int], Member | None]
    excerpt: Callable[[int], str]
    hide: Callable[[int, bool], None]  # (object id, hidden?) -> None, through the owning app's action
    visible_to: Callable[[Member, int], bool]
    link: Callable[[int], str]
    group_of: Callable[[int], int | None] = lambda object_id: None
    # Whether ``link`` opens for this moderator (None: it opens for every moderator, like a staff review page).
    # Group content stays with the group: a moderator outside it sees the excerpt, not a link that would refuse them.
    link_opens_for: Callable[[Member, int], bool] | None = None


_KINDS: dict[str, ContentKind] = {}


def register(kind: ContentKind) -> ContentKind:
    _KINDS[kind.key] = kind
    return kind


def get(key: str) -> ContentKind:
    try:
        return _KINDS[key]
    except KeyError:
        raise LookupError(f"no content kind {key!r} is registered with safety") from None


def registered() -> list[str]:
    return sorted(_KINDS)


def describe(key: str, object_id: int | None, viewer: Member | None = None) -> dict[str, Any]:
    """The label, excerpt and "see it in place" link of a piece of content (no link when it wouldn't open for
    ``viewer``)."""
    if not key or object_id is None:
        return {}
    kind = get(key)
    opens = viewer is None or kind.link_opens_for is None or kind.link_opens_for(viewer, object_id)
    return {"label": kind.label, "excerpt": kind.excerpt(object_id), "link": kind.link(object_id) if opens else ""}
