"""Whether a person may join a group that asks for a self-assessment or a one-to-one first.

:func:`check_can_join` is registered with community (``hearth.community.joining``, from this app's
``ready``) and called at the start of :func:`hearth.community.actions.do_join_group`. It answers with a kind
explanation and a next step, never a bare "no". :func:`status` is what hosts
and staff see: *that* each requirement is met, never the answers behind it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hearth.core.errors import ActionError
from hearth.intake.models import Assessment, GroupRequirement


@dataclass(frozen=True)
class RequirementStatus:
    needs_intake: bool
    has_intake: bool
    needs_one_to_one: bool
    has_one_to_one: bool

    @property
    def met(self) -> bool:
        return (self.has_intake or not self.needs_intake) and (self.has_one_to_one or not self.needs_one_to_one)


def requirement_for(group: Any) -> GroupRequirement | None:
    return GroupRequirement.objects.filter(group_id=group.pk).first()


def has_completed_intake(member: Any) -> bool:
    return Assessment.objects.filter(member_id=member.pk).exists()


def has_had_one_to_one(member: Any) -> bool:
    """A supporter has answered one of their talk-now requests (a read of availability's records)."""
    from hearth.availability.models import TalkRequest

    return TalkRequest.objects.filter(member_id=member.pk, accepted_at__isnull=False).exists()


def status(member: Any, group: Any, requirement: GroupRequirement | None = None) -> RequirementStatus:
    requirement = requirement if requirement is not None else requirement_for(group)
    needs_intake = bool(requirement and requirement.needs_intake)
    needs_one_to_one = bool(requirement and requirement.needs_one_to_one)
    return RequirementStatus(
        needs_intake=needs_intake,
        has_intake=has_completed_intake(member) if needs_intake else False,
        needs_one_to_one=needs_one_to_one,
        has_one_to_one=has_had_one_to_one(member) if needs_one_to_one else False,
    )


def check_can_join(member: Any, group: Any) -> None:
    """Refuse, kindly and with a next step, if ``group`` asks for something ``member`` hasn't done yet."""
    requirement = requirement_for(group)
    if requirement is None or not requirement.any:
        return
    state = status(member, group, requirement)
    if state.needs_intake and not state.has_intake:
        raise ActionError(
            f"{group.name} asks new members to fill in the short self-assessment first, so we can make sure it "
            "suits you. It takes a few minutes: choose 'Your self-assessment' on your home page."
        )
    if state.needs_one_to_one and not state.has_one_to_one:
        raise ActionError(
            f"{group.name} asks people to have a one-to-one chat with one of our peer workers before joining, so "
            "you'll know a friendly face. Choose 'Talk to someone' at the top of any page to ask for one."
        )
