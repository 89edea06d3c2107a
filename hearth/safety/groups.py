"""What safety needs to know about groups, answered by community.

Community sits above safety (it calls safety to screen posts), so safety never imports it: community registers
the answers here when it starts (``hearth/community/apps.py``), and safety asks through :func:`hosts_of` and
:func:`hosts_a_group` (a group drifting into distress tells its hosts; hosts may choose how they hear it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from hearth.members.models import Member


@dataclass(frozen=True)
class GroupAnswers:
    hosts_of: Callable[[int], Iterable[Member]]  # a group's active hosts
    hosts_a_group: Callable[[Member], bool]  # does this person host any group


_answers: GroupAnswers | None = None


def register(answers: GroupAnswers) -> None:
    global _answers
    _answers = answers


def _registered() -> GroupAnswers:
    if _answers is None:  # community is always installed: this is a start-up bug, never a quiet "no hosts"
        raise RuntimeError("hearth.community registers safety's group answers in its AppConfig.ready")
    return _answers


def hosts_of(group_id: int) -> list[Member]:
    return list(_registered().hosts_of(group_id))


def hosts_a_group(member: Member) -> bool:
    return _registered().hosts_a_group(member)
