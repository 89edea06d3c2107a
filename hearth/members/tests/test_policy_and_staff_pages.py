"""Who may see and do what: the policy table, and every staff page refusing everyone else."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from hearth.core.errors import ActionError
from hearth.core.models import AuditEntry
from hearth.members import actions, policy
from hearth.members.models import Member, Role
from hearth.members.policy import Perm
from hearth.testing import ClientFor, MakeMember, text

EXPECTED = {
    # permission: roles that have it
    Perm.INVITE: {"member", "volunteer", "peer_worker", "counsellor", "coordinator"},
    Perm.VIEW_MEMBER_LIST: {"volunteer", "peer_worker", "counsellor", "coordinator"},
    Perm.VIEW_CONTACT_DETAILS: {"peer_worker", "counsellor", "coordinator"},
    Perm.MANAGE_ROLES: {"coordinator"},
    Perm.VIEW_AUDIT_LOG: {"coordinator"},
    Perm.MANAGE_ORGANISATION: {"coordinator"},
}
CAST = ["member", "volunteer", "peer_worker", "counsellor", "coordinator"]


@pytest.mark.parametrize("perm", list(EXPECTED))
@pytest.mark.parametrize("who", CAST)
def test_policy_table(request: pytest.FixtureRequest, perm: Perm, who: str) -> None:
    person = request.getfixturevalue(who)
    assert policy.can(person, perm) == (who in EXPECTED[perm])


def test_anonymous_and_inactive_people_can_do_nothing(member: Member) -> None:
    from django.contrib.auth.models import AnonymousUser

    member.is_active = False
    for perm in Perm:
        assert not policy.can(AnonymousUser(), perm)
        assert not policy.can(member, perm)


def test_a_person_holds_several_roles(make_member: MakeMember) -> None:
    both = make_member("Alex", Role.VOLUNTEER)
    assert both.roles == {"member", "volunteer"}
    assert policy.can(both, Perm.VIEW_MEMBER_LIST) and not policy.can(both, Perm.VIEW_CONTACT_DETAILS)


STAFF_PAGES: list[tuple[str, dict[str, Any], Perm]] = [
    ("members:member_list", {}, Perm.VIEW_MEMBER_LIST),
    ("members:audit_log", {}, Perm.VIEW_AUDIT_LOG),
    ("members:settings", {}, Perm.MANAGE_ORGANISATION),
]


@pytest.mark.parametrize(("name", "kwargs", "perm"), STAFF_PAGES)
@pytest.mark.parametrize("who", CAST)
def test_staff_pages_answer_only_to_those_allowed(
    request: pytest.FixtureRequest, client_for: ClientFor, name: str, kwargs: dict[str, Any], perm: Perm, who: str
) -> None:
    person = request.getfixturevalue(who)
    status = client_for(person).get(reverse(name, kwargs=kwargs)).status_code
    assert status == (200 if who in EXPECTED[perm] else 403)


@pytest.mark.parametrize(
    "name", ["members:member_list", "members:audit_log", "members:settings", "members:profile", "members:data"]
)
def test_anonymous_visitors_are_sent_to_sign_in(client: Client, db: None, name: str) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 302 and response["Location"].startswith(reverse("members:signin"))


def test_member_cannot_look_people_up_by_guessing_ids(client_for: ClientFor, member: Member, outsider: Member) -> None:
    assert client_for(outsider).get(reverse("members:member_detail", args=[member.pk])).status_code == 404


def test_volunteer_sees_a_profile_but_not_contact_details(
    client_for: ClientFor, volunteer: Member, member: Member
) -> None:
    client = client_for(volunteer)
    page = text(client.get(reverse("members:member_detail", args=[member.pk])))
    assert "Robin" in page and "Show contact details" not in page
    response = client.post(reverse("members:member_detail", args=[member.pk]), {"show": "contact"})
    assert response.status_code == 403
    assert member.email not in text(response)
    assert not AuditEntry.objects.filter(action="members.contact.viewed").exists()


def test_peer_worker_viewing_contact_details_is_audited(
    client_for: ClientFor, peer_worker: Member, member: Member
) -> None:
    client = client_for(peer_worker)
    page = text(client.get(reverse("members:member_detail", args=[member.pk])))
    assert member.email not in page and member.phone not in page  # hidden until asked for
    page = text(client.post(reverse("members:member_detail", args=[member.pk]), {"show": "contact"}))
    assert member.email in page and member.phone in page
    entry = AuditEntry.objects.get(action="members.contact.viewed")
    assert entry.actor == peer_worker and entry.subject == member


def test_profile_fields_show_to_staff_only_when_the_member_shares_them(
    client_for: ClientFor, peer_worker: Member, member: Member
) -> None:
    client = client_for(peer_worker)
    assert "she/her" not in text(client.get(reverse("members:member_detail", args=[member.pk])))
    actions.do_set_consent(member, "profile.pronouns", "supporters")
    assert "she/her" in text(client.get(reverse("members:member_detail", args=[member.pk])))


def test_coordinator_grants_and_removes_roles_with_audit(
    client_for: ClientFor, coordinator: Member, member: Member
) -> None:
    client = client_for(coordinator)
    client.post(reverse("members:change_role", args=[member.pk]), {"role": "volunteer", "grant": "on"})
    assert "volunteer" in Member.objects.get(pk=member.pk).roles
    client.post(reverse("members:change_role", args=[member.pk]), {"role": "volunteer"})
    assert "volunteer" not in Member.objects.get(pk=member.pk).roles
    assert list(AuditEntry.objects.filter(subject=member).values_list("action", flat=True).order_by("id")) == [
        "members.role.granted",
        "members.role.revoked",
    ]


@pytest.mark.parametrize("who", ["member", "volunteer", "peer_worker", "counsellor"])
def test_only_coordinators_change_roles(
    request: pytest.FixtureRequest, client_for: ClientFor, who: str, outsider: Member
) -> None:
    person = request.getfixturevalue(who)
    response = client_for(person).post(
        reverse("members:change_role", args=[outsider.pk]), {"role": "coordinator", "grant": "on"}
    )
    assert response.status_code in (403, 404)
    assert "coordinator" not in Member.objects.get(pk=outsider.pk).roles


def test_the_last_coordinator_cannot_be_removed(coordinator: Member) -> None:
    with pytest.raises(ActionError, match="at least one coordinator"):
        actions.do_revoke_role(coordinator, coordinator, Role.COORDINATOR)
    assert Role.COORDINATOR in Member.objects.get(pk=coordinator.pk).roles


def test_member_list_runs_a_constant_number_of_queries(
    client_for: ClientFor,
    coordinator: Member,
    make_member: MakeMember,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    client = client_for(coordinator)
    client.get(reverse("members:member_list"))  # warm caches (session, content types)
    for i in range(3):
        make_member(f"Few {i}", Role.VOLUNTEER)
    # 7 for the page, +1 for the header's energy control (the member's community settings), +1 for its counts,
    # +1 for the open crisis alerts (a coordinator's banners), +1 for the audited read (already logged lately).
    with django_assert_num_queries(11):
        client.get(reverse("members:member_list"))
    for i in range(20):
        make_member(f"Many {i}", Role.VOLUNTEER)
    with django_assert_num_queries(11):
        client.get(reverse("members:member_list"))


def test_audit_log_names_people_and_filters_by_type(
    client_for: ClientFor, coordinator: Member, peer_worker: Member, member: Member
) -> None:
    actions.do_view_contact_details(peer_worker, member)
    actions.do_grant_role(coordinator, member, Role.VOLUNTEER)
    client = client_for(coordinator)
    page = text(client.get(reverse("members:audit_log")))
    assert "Priya viewed the contact details of Robin" in page
    assert "Jo gave Robin the volunteer role" in page
    filtered = text(client.get(reverse("members:audit_log"), {"action": "members.role.granted"}))
    assert "viewed the contact details" not in filtered


def test_coordinator_changes_organisation_settings_with_audit(client_for: ClientFor, coordinator: Member) -> None:
    client_for(coordinator).post(reverse("members:settings"), {"open_signup": "on", "require_staff_two_factor": "on"})
    entry = AuditEntry.objects.get(action="core.settings.changed")
    assert entry.data["changes"] == "open sign-up on"
