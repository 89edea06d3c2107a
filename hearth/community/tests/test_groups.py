"""Groups from proposal to hand-over: propose, review, join by each policy, host, find, hide, coverage."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hearth.community import actions
from hearth.community.models import (
    CommunityProfile,
    Energy,
    Group,
    GroupState,
    JoinPolicy,
    JoinRequest,
    Membership,
    Post,
)
from hearth.community.tests.conftest import make_group
from hearth.core.errors import ActionError
from hearth.core.models import AuditEntry, Notification
from hearth.members.models import Member
from hearth.testing import ClientFor, MakeMember, text, visible_text

PROPOSAL = {
    "name": "Allotment Friends",
    "purpose": "Swapping seeds and photos of what's growing.",
    "who_for": "Gardeners and would-be gardeners",
    "not_covered": "",
    "interest_tags": "Gardening, outdoors",
    "experience_tags": "",
    "join_policy": JoinPolicy.OPEN,
    "listed": "on",
}
FIELDS = {**PROPOSAL, "listed": True}  # the same proposal, as an action receives it


# --- Proposing and reviewing ---------------------------------------------------------------


def test_member_proposes_a_group_and_it_waits_for_review(
    client_for: ClientFor, member: Member, peer_worker: Member, coordinator: Member
) -> None:
    response = client_for(member).post(reverse("community:propose"), PROPOSAL)
    group = Group.objects.get(name="Allotment Friends")
    assert response.status_code == 302
    assert group.state == GroupState.PROPOSED
    assert group.interest_tags == "gardening, outdoors"
    assert not Membership.objects.filter(group=group).exists()
    # Reviewers hear about it; nobody else does.
    assert set(Notification.objects.values_list("member_id", flat=True)) == {peer_worker.pk, coordinator.pk}


def test_volunteer_starts_a_group_directly_as_its_host(client_for: ClientFor, volunteer: Member) -> None:
    response = client_for(volunteer).post(reverse("community:propose"), PROPOSAL)
    group = Group.objects.get(name="Allotment Friends")
    assert response.status_code == 302 and response["Location"] == reverse("community:group", args=[group.pk])
    assert group.state == GroupState.ACTIVE
    assert Membership.objects.get(group=group).is_host
    assert AuditEntry.objects.filter(action="community.group.started", actor=volunteer).exists()


def test_a_proposal_stays_out_of_the_directory_until_approved(
    client_for: ClientFor, member: Member, outsider: Member
) -> None:
    actions.do_propose_group(member, **FIELDS)
    assert "Allotment Friends" not in text(client_for(outsider).get(reverse("community:directory")))
    group = Group.objects.get(name="Allotment Friends")
    assert client_for(outsider).get(reverse("community:proposal", args=[group.pk])).status_code == 404
    assert client_for(outsider).get(reverse("community:group", args=[group.pk])).status_code == 404


def test_peer_worker_approves_and_the_proposer_becomes_host(
    client_for: ClientFor, member: Member, peer_worker: Member
) -> None:
    group = actions.do_propose_group(member, **FIELDS)
    response = client_for(peer_worker).post(
        reverse("community:review"), {"group": group.pk, "decision": "approve", "reason": ""}
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.state == GroupState.ACTIVE
    assert Membership.objects.get(group=group, member=member).is_host
    assert AuditEntry.objects.filter(action="community.group.approved", actor=peer_worker, subject=member).exists()
    assert Notification.objects.filter(member=member, text__contains="is approved").exists()


@pytest.mark.parametrize(("decision", "state"), [("decline", GroupState.DECLINED), ("changes", GroupState.CHANGES)])
def test_declining_or_asking_for_changes_shows_the_reason_to_the_proposer(
    client_for: ClientFor, member: Member, coordinator: Member, decision: str, state: str
) -> None:
    group = actions.do_propose_group(member, **FIELDS)
    reason = "Could you say how you'd keep meet-ups safe? A peer worker can help."
    client_for(coordinator).post(
        reverse("community:review"), {"group": group.pk, "decision": decision, "reason": reason}
    )
    group.refresh_from_db()
    assert group.state == state
    page = text(client_for(member).get(reverse("community:proposal", args=[group.pk])))
    assert reason in page
    assert AuditEntry.objects.filter(action__startswith="community.group.", actor=coordinator).count() == 1


def test_declining_without_a_reason_is_refused(member: Member, coordinator: Member) -> None:
    group = actions.do_propose_group(member, **FIELDS)
    with pytest.raises(ActionError, match="reason"):
        actions.do_review_proposal(coordinator, group, "decline", "  ")
    group.refresh_from_db()
    assert group.state == GroupState.PROPOSED


def test_volunteers_and_members_cannot_review_proposals(
    client_for: ClientFor, member: Member, volunteer: Member, outsider: Member
) -> None:
    group = actions.do_propose_group(outsider, **FIELDS)
    assert client_for(volunteer).get(reverse("community:review")).status_code == 403
    assert (
        client_for(member).post(reverse("community:review"), {"group": group.pk, "decision": "approve"}).status_code
        == 403
    )
    with pytest.raises(ActionError):
        actions.do_review_proposal(volunteer, group, "approve")
    group.refresh_from_db()
    assert group.state == GroupState.PROPOSED


def test_proposer_revises_after_changes_and_it_goes_back_for_review(
    client_for: ClientFor, member: Member, coordinator: Member
) -> None:
    group = actions.do_propose_group(member, **FIELDS)
    actions.do_review_proposal(coordinator, group, "changes", "Please say who it's for.")
    response = client_for(member).post(
        reverse("community:proposal", args=[group.pk]), {**PROPOSAL, "who_for": "Anyone who likes growing things"}
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.state == GroupState.PROPOSED and group.who_for == "Anyone who likes growing things"


def test_group_names_are_unique_ignoring_case(member: Member, group: Group) -> None:
    with pytest.raises(ActionError, match="already a group"):
        actions.do_propose_group(member, **{**FIELDS, "name": "tuesday makers"})


# --- Joining by policy -----------------------------------------------------------------------


def test_anyone_can_join_an_open_group(client_for: ClientFor, outsider: Member, group: Group) -> None:
    response = client_for(outsider).post(reverse("community:join", args=[group.pk]))
    assert response.status_code == 302
    assert Membership.objects.filter(group=group, member=outsider).exists()


def test_ask_to_join_waits_for_a_host_who_approves(
    client_for: ClientFor, outsider: Member, volunteer: Member, group: Group
) -> None:
    group.join_policy = JoinPolicy.ASK
    group.save()
    client_for(outsider).post(reverse("community:join", args=[group.pk]), {"note": "I knit a lot"})
    assert not Membership.objects.filter(group=group, member=outsider).exists()
    request = JoinRequest.objects.get(group=group, member=outsider)
    assert Notification.objects.filter(member=volunteer, text__contains="asked to join").exists()

    manage = text(client_for(volunteer).get(reverse("community:manage", args=[group.pk])))
    assert "I knit a lot" in manage
    client_for(volunteer).post(
        reverse("community:manage", args=[group.pk]), {"form": "request", "request": request.pk, "answer": "accept"}
    )
    assert Membership.objects.filter(group=group, member=outsider).exists()
    assert AuditEntry.objects.filter(action="community.join.approved", actor=volunteer, subject=outsider).exists()


def test_host_can_decline_a_request_and_it_is_audited(outsider: Member, volunteer: Member, group: Group) -> None:
    group.join_policy = JoinPolicy.ASK
    group.save()
    request = actions.do_join_group(outsider, group)
    assert isinstance(request, JoinRequest)
    actions.do_decide_join_request(volunteer, request, accept=False)
    assert not Membership.objects.filter(group=group, member=outsider).exists()
    assert AuditEntry.objects.filter(action="community.join.declined", subject=outsider).exists()


def test_only_hosts_answer_join_requests(outsider: Member, member: Member, group: Group) -> None:
    group.join_policy = JoinPolicy.ASK
    group.save()
    request = actions.do_join_group(outsider, group)
    assert isinstance(request, JoinRequest)
    with pytest.raises(ActionError, match="Only a host"):
        actions.do_decide_join_request(member, request, accept=True)


def test_non_host_cannot_open_host_tools(client_for: ClientFor, member: Member, outsider: Member, group: Group) -> None:
    assert client_for(member).get(reverse("community:manage", args=[group.pk])).status_code == 404
    assert client_for(outsider).get(reverse("community:manage", args=[group.pk])).status_code == 404


def test_invite_only_group_refuses_to_join_without_an_invitation(
    client_for: ClientFor, outsider: Member, unlisted: Group
) -> None:
    with pytest.raises(ActionError, match="invite only"):
        actions.do_join_group(outsider, unlisted)
    assert not Membership.objects.filter(group=unlisted, member=outsider).exists()


def test_invited_member_can_see_and_join_an_unlisted_invite_only_group(
    client_for: ClientFor, volunteer: Member, outsider: Member, unlisted: Group
) -> None:
    assert client_for(outsider).get(reverse("community:group", args=[unlisted.pk])).status_code == 404
    client_for(volunteer).post(
        reverse("community:manage", args=[unlisted.pk]), {"form": "invite", "display_name": "kit"}
    )
    page = client_for(outsider).get(reverse("community:group", args=[unlisted.pk]))
    assert page.status_code == 200 and "Sam invited you" in text(page)
    client_for(outsider).post(reverse("community:answer_invitation", args=[unlisted.pk]), {"answer": "accept"})
    assert Membership.objects.filter(group=unlisted, member=outsider).exists()


# --- Hosting -------------------------------------------------------------------------------


def test_host_hands_hosting_on_and_steps_down(
    client_for: ClientFor, volunteer: Member, member: Member, group: Group
) -> None:
    response = client_for(volunteer).post(
        reverse("community:manage", args=[group.pk]), {"form": "hand_over", "member": member.pk, "step_down": "on"}
    )
    assert response.status_code == 302
    assert Membership.objects.get(group=group, member=member).is_host
    assert not Membership.objects.get(group=group, member=volunteer).is_host
    assert AuditEntry.objects.filter(action="community.host.handed_over", actor=volunteer, subject=member).exists()


def test_hosting_can_only_pass_to_someone_in_the_group(volunteer: Member, outsider: Member, group: Group) -> None:
    with pytest.raises(ActionError, match="needs to be in the group"):
        actions.do_hand_over_hosting(volunteer, group, outsider, step_down=True)


def test_only_host_cannot_leave_without_handing_on(volunteer: Member, group: Group) -> None:
    with pytest.raises(ActionError, match="only host"):
        actions.do_leave_group(volunteer, group)


def test_host_pins_a_post_and_it_is_audited(client_for: ClientFor, volunteer: Member, group: Group, post: Post) -> None:
    client_for(volunteer).post(reverse("community:pin", args=[post.pk]), {"pin": "1"})
    post.refresh_from_db()
    assert post.pinned_at is not None
    assert AuditEntry.objects.filter(action="community.post.pinned", actor=volunteer).exists()
    assert "Pinned" in text(client_for(volunteer).get(reverse("community:group", args=[group.pk])))


def test_members_cannot_pin(client_for: ClientFor, member: Member, post: Post) -> None:
    client_for(member).post(reverse("community:pin", args=[post.pk]), {"pin": "1"})
    post.refresh_from_db()
    assert post.pinned_at is None


def test_announcements_are_for_hosts_and_notify_the_group(volunteer: Member, member: Member, group: Group) -> None:
    with pytest.raises(ActionError, match="hosts"):
        actions.do_create_post(member, group, kind="announcement", body="Hello all")
    actions.do_create_post(volunteer, group, kind="announcement", body="Meet-up moved to Thursday")
    assert Notification.objects.filter(member=member, text__contains="announcement").exists()


# --- Finding groups ----------------------------------------------------------------------------


def test_directory_shows_name_purpose_and_scope_but_no_posts(
    client_for: ClientFor, outsider: Member, group: Group, post: Post
) -> None:
    page = text(client_for(outsider).get(reverse("community:directory")))
    assert "Tuesday Makers" in page and group.purpose in page
    assert post.body not in page


def test_directory_search_and_filters(client_for: ClientFor, outsider: Member, volunteer: Member, group: Group) -> None:
    make_group(volunteer, "Co-op Gamers", purpose="Cosy games.", interest_tags="gaming", join_policy=JoinPolicy.ASK)
    client = client_for(outsider)
    assert "Co-op Gamers" not in visible_text(client.get(reverse("community:directory"), {"q": "knitting"}))
    assert "Tuesday Makers" in visible_text(client.get(reverse("community:directory"), {"q": "knitting"}))
    by_tag = visible_text(client.get(reverse("community:directory"), {"tag": "gaming"}))
    assert "Co-op Gamers" in by_tag and "Tuesday Makers" not in by_tag
    by_policy = visible_text(client.get(reverse("community:directory"), {"policy": "ask"}))
    assert "Co-op Gamers" in by_policy and "Tuesday Makers" not in by_policy


def test_member_hides_a_group_from_their_directory(client_for: ClientFor, outsider: Member, group: Group) -> None:
    client = client_for(outsider)
    link = f'href="{reverse("community:group", args=[group.pk])}"'
    client.post(reverse("community:hide", args=[group.pk]), {"hide": "1"})
    assert link not in text(client.get(reverse("community:directory")))
    assert link in text(client.get(reverse("community:directory"), {"hidden": "1"}))


def test_suggestions_come_from_the_members_interests(client_for: ClientFor, outsider: Member, group: Group) -> None:
    actions.do_update_community_settings(outsider, interests="Knitting, films", muted_words="")
    page = visible_text(client_for(outsider).get(reverse("community:directory")))
    assert "You might like" in page and "Tuesday Makers" in page


# --- Supporter coverage --------------------------------------------------------------------


def test_group_without_an_active_supporter_is_on_the_coordinators_list(
    client_for: ClientFor, coordinator: Member, volunteer: Member, group: Group
) -> None:
    assert "Tuesday Makers" in visible_text(client_for(coordinator).get(reverse("community:coverage")))
    actions.do_mark_here(volunteer, group)
    assert "Tuesday Makers" not in visible_text(client_for(coordinator).get(reverse("community:coverage")))
    host_page = visible_text(client_for(volunteer).get(reverse("community:group", args=[group.pk])))
    assert "Supporter coverage" in host_page and "Sam" in host_page


def test_supporter_on_a_low_energy_day_does_not_count_as_coverage(
    coordinator: Member, volunteer: Member, group: Group
) -> None:
    from hearth.community.access import groups_without_coverage

    actions.do_mark_here(volunteer, group)
    assert group not in groups_without_coverage()
    actions.do_set_energy(volunteer, Energy.LOW)
    assert group in groups_without_coverage()


def test_activity_long_ago_is_not_coverage(volunteer: Member, group: Group) -> None:
    from hearth.community.access import groups_without_coverage

    Membership.objects.filter(member=volunteer).update(last_active_at=timezone.now() - timedelta(days=30))
    CommunityProfile.objects.create(member=volunteer, energy=Energy.GOOD)
    assert group in groups_without_coverage()


def test_members_do_not_see_coverage_or_the_coverage_list(client_for: ClientFor, member: Member, group: Group) -> None:
    assert "Supporter coverage" not in text(client_for(member).get(reverse("community:group", args=[group.pk])))
    assert client_for(member).get(reverse("community:coverage")).status_code == 403


def test_a_pinned_post_is_shown_once_above_the_others(
    client_for: ClientFor, volunteer: Member, member: Member, group: Group
) -> None:
    from hearth.community.models import Post

    pinned = actions.do_create_post(volunteer, group, body="House rules: be kind")
    actions.do_create_post(member, group, body="Hello everyone")
    actions.do_pin_post(volunteer, Post.objects.get(pk=pinned.pk))
    page = text(client_for(member).get(reverse("community:group", args=[group.pk])))
    assert page.count(f'id="post-{pinned.pk}"') == 1 and page.count("House rules: be kind") == 1
    assert page.index("House rules") < page.index("Hello everyone")


def test_the_drill_clean_up_removes_drill_groups_of_one_and_never_a_real_group(
    make_member: MakeMember,
) -> None:
    from hearth.community.screening import _remove_drill_groups, drill_group

    drilled, other = make_member("Drill: post"), make_member("Drill: reply")
    alone = drill_group(drilled)
    shared = drill_group(other)
    Membership.objects.create(group=shared, member=make_member("Ash"))  # a real person is in it: not the drill's
    _remove_drill_groups([drilled.pk, other.pk])
    assert not Group.objects.filter(pk=alone.pk).exists()
    assert Group.objects.filter(pk=shared.pk).exists()
