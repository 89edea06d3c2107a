"""Groups that ask for a self-assessment or a one-to-one first; hosts and staff see only whether it's met."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from hearth.availability.models import TalkRequest
from hearth.community import actions as community
from hearth.community.models import Group, JoinPolicy, JoinRequest, Membership
from hearth.core.errors import ActionError
from hearth.core.models import AuditEntry
from hearth.intake import actions, gatekeeping
from hearth.intake.access import current_version
from hearth.intake.actions import Outcome
from hearth.intake.models import GroupRequirement
from hearth.intake.tests.conftest import GOOD
from hearth.members.models import Member
from hearth.testing import ClientFor, text, visible_text


def complete_intake(member: Member, **extra: Any) -> Outcome:
    return actions.do_submit_assessment(member, version_number=current_version().number, answers={**GOOD, **extra})


def require(group: Group, *, intake: bool = False, one_to_one: bool = False) -> GroupRequirement:
    return GroupRequirement.objects.create(group=group, needs_intake=intake, needs_one_to_one=one_to_one)


def test_a_group_with_no_requirement_is_joined_as_before(member: Member, group: Group) -> None:
    assert isinstance(community.do_join_group(member, group), Membership)


def test_a_group_asking_for_intake_explains_kindly_until_it_is_done(member: Member, group: Group) -> None:
    require(group, intake=True)
    with pytest.raises(ActionError, match="asks new members to fill in the short self-assessment first"):
        community.do_join_group(member, group)
    assert not Membership.objects.filter(member=member).exists()
    complete_intake(member)
    assert isinstance(community.do_join_group(member, group), Membership)


def test_a_group_asking_for_a_one_to_one_first_waits_until_a_supporter_has_talked_with_them(
    member: Member, group: Group, peer_worker: Member
) -> None:
    require(group, one_to_one=True)
    complete_intake(member, wants=["talk"])  # asks for a talk, but nobody has answered yet
    with pytest.raises(ActionError, match="one-to-one chat with one of our peer workers before joining"):
        community.do_join_group(member, group)
    TalkRequest.objects.filter(member=member).update(accepted_by=peer_worker, accepted_at=timezone.now())
    assert isinstance(community.do_join_group(member, group), Membership)


def test_the_refusal_shows_on_the_group_page_as_a_message(client_for: ClientFor, member: Member, group: Group) -> None:
    require(group, intake=True)
    response = client_for(member).post(reverse("community:join", args=[group.pk]), follow=True)
    assert "self-assessment first" in visible_text(response)


def test_ask_to_join_groups_are_gated_before_the_request_is_made(member: Member, group: Group) -> None:
    group.join_policy = JoinPolicy.ASK
    group.save()
    require(group, intake=True)
    with pytest.raises(ActionError):
        community.do_join_group(member, group, "hello")
    assert not JoinRequest.objects.exists()


def test_the_host_sets_the_requirement_and_sees_only_whether_it_is_met(
    client_for: ClientFor, member: Member, outsider: Member, volunteer: Member, group: Group
) -> None:
    group.join_policy = JoinPolicy.ASK
    group.save()
    complete_intake(member, anything_else="My private worry about rent")
    community.do_join_group(member, group, "hi")
    host = client_for(volunteer)
    response = host.post(reverse("intake:requirement", args=[group.pk]), {"needs_intake": "on"})
    assert response.status_code == 302
    assert GroupRequirement.objects.get(group=group).needs_intake
    assert AuditEntry.objects.filter(action="intake.requirement.changed", actor=volunteer).exists()
    page = visible_text(host.get(reverse("intake:requirement", args=[group.pk])))
    assert "Robin Done Not asked" in page
    assert "rent" not in page and "Ready for groups" not in page


def test_staff_can_set_any_groups_requirement_but_other_members_cannot(
    client_for: ClientFor, peer_worker: Member, outsider: Member, group: Group
) -> None:
    assert (
        client_for(peer_worker)
        .post(reverse("intake:requirement", args=[group.pk]), {"needs_one_to_one": "on"})
        .status_code
        == 302
    )
    assert client_for(outsider).get(reverse("intake:requirement", args=[group.pk])).status_code == 404
    assert (
        client_for(outsider).post(reverse("intake:requirement", args=[group.pk]), {"needs_intake": "on"}).status_code
        == 404
    )
    requirement = GroupRequirement.objects.get(group=group)
    assert (requirement.needs_intake, requirement.needs_one_to_one) == (False, True)
    with pytest.raises(ActionError, match="Only this group's hosts"):
        actions.do_set_group_requirement(outsider, requirement, needs_intake=False, needs_one_to_one=False)


def test_status_reports_each_requirement(member: Member, group: Group) -> None:
    require(group, intake=True, one_to_one=True)
    state = gatekeeping.status(member, group)
    assert (state.needs_intake, state.has_intake, state.needs_one_to_one, state.has_one_to_one, state.met) == (
        True,
        False,
        True,
        False,
        False,
    )
    complete_intake(member)
    assert gatekeeping.status(member, group).has_intake


def test_requirement_page_text_is_kind(client_for: ClientFor, volunteer: Member, group: Group) -> None:
    assert "never their answers" in text(client_for(volunteer).get(reverse("intake:requirement", args=[group.pk])))


def test_a_hosts_invitation_does_not_skip_what_the_group_asks_first(
    member: Member, group: Group, volunteer: Member
) -> None:
    require(group, intake=True)
    invitation = community.do_invite_to_group(volunteer, group, member)
    with pytest.raises(ActionError, match="self-assessment first"):
        community.do_answer_invitation(member, invitation, accept=True)
    assert not Membership.objects.filter(member=member, group=group).exists()
    complete_intake(member)
    invitation.refresh_from_db()
    assert isinstance(community.do_answer_invitation(member, invitation, accept=True), Membership)
