from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from time_machine import TimeMachineFixture

from hearth.conftest import PASSWORD
from hearth.core.errors import ActionError
from hearth.core.models import AuditEntry, OrganisationSettings
from hearth.members import actions
from hearth.members.models import Member
from hearth.testing import ClientFor, ClientResponse, sign_in, text


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def sign_in_with_password(client: Client, person: Member, password: str = PASSWORD) -> ClientResponse:
    return client.post(reverse("members:signin"), {"email": person.email.upper(), "password": password})


def test_member_signs_in_with_email_in_any_case(client: Client, member: Member) -> None:
    response = sign_in_with_password(client, member)
    assert response.status_code == 302
    assert client.get(reverse("core:home")).context["user"] == member


def test_wrong_password_gets_a_clear_message_and_no_session(client: Client, member: Member) -> None:
    response = sign_in_with_password(client, member, password="not-it-at-all")
    assert "don't match an account" in text(response)
    assert "_auth_user_id" not in client.session


def test_malformed_email_at_sign_in_says_what_to_fix(client: Client, db: None) -> None:
    response = client.post(reverse("members:signin"), {"email": "nope", "password": "x"})
    assert "Enter an email address like name@example.org." in text(response)


def test_sign_in_refuses_to_redirect_off_site(client: Client, member: Member) -> None:
    response = client.post(
        reverse("members:signin"), {"email": member.email, "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("core:home")


def test_sign_out_needs_a_post(client_for: ClientFor, member: Member) -> None:
    client = client_for(member)
    assert client.get(reverse("members:signout")).status_code == 405
    client.post(reverse("members:signout"))
    assert "_auth_user_id" not in client.session


@pytest.fixture
def peer_worker_with_2fa(peer_worker: Member, time_machine: TimeMachineFixture) -> tuple[Member, TOTPDevice]:
    time_machine.move_to("2026-11-22 10:00:00+00:00", tick=True)
    actions.do_start_totp(peer_worker)
    device = TOTPDevice.objects.get(user=peer_worker)
    actions.do_confirm_totp(peer_worker, current_code(device))
    device.refresh_from_db()
    return peer_worker, device


def test_setting_up_two_factor_needs_a_correct_code(peer_worker: Member) -> None:
    actions.do_start_totp(peer_worker)
    with pytest.raises(ActionError, match="didn't match"):
        actions.do_confirm_totp(peer_worker, "000000")
    assert actions.confirmed_totp_device(peer_worker) is None


def test_a_code_cannot_be_used_twice(client: Client, peer_worker_with_2fa: tuple[Member, TOTPDevice]) -> None:
    person, device = peer_worker_with_2fa
    sign_in_with_password(client, person)
    client.post(reverse("members:verify"), {"code": current_code(device)})  # the code used at set-up
    assert "_auth_user_id" not in client.session


def test_with_two_factor_the_password_alone_does_not_sign_in(
    client: Client, peer_worker_with_2fa: tuple[Member, TOTPDevice], time_machine: TimeMachineFixture
) -> None:
    person, device = peer_worker_with_2fa
    time_machine.shift(31)  # the next code; the set-up code is spent
    response = sign_in_with_password(client, person)
    assert response["Location"] == reverse("members:verify")
    assert "_auth_user_id" not in client.session
    assert "Enter your sign-in code" in text(client.get(reverse("members:verify")))

    wrong = client.post(reverse("members:verify"), {"code": "123456"})
    assert "didn't work" in text(wrong)
    assert "_auth_user_id" not in client.session
    # Straight after a wrong code, even the right one waits (against guessing).
    assert "Too many wrong codes" in text(client.post(reverse("members:verify"), {"code": current_code(device)}))
    time_machine.shift(3)

    client.post(reverse("members:verify"), {"code": current_code(device)})
    assert client.session["_auth_user_id"] == str(person.pk)
    assert AuditEntry.objects.filter(action="members.two_factor.enabled", subject=person).exists()


def test_security_page_sets_up_two_factor_through_the_browser_flow(client_for: ClientFor, member: Member) -> None:
    client = client_for(member)
    client.post(reverse("members:two_factor"), {"step": "start"})
    page = text(client.get(reverse("members:two_factor")))
    assert "<svg" in page and "Key:" in page
    device = TOTPDevice.objects.get(user=member, confirmed=False)
    client.post(reverse("members:two_factor"), {"step": "confirm", "code": current_code(device)})
    assert actions.confirmed_totp_device(member) is not None


@pytest.fixture
def two_factor_required(db: None) -> None:
    OrganisationSettings.objects.update_or_create(pk=1, defaults={"require_staff_two_factor": True})


@pytest.mark.parametrize("role_fixture", ["peer_worker", "counsellor", "coordinator"])
def test_when_required_staff_without_two_factor_are_sent_to_set_it_up(
    request: pytest.FixtureRequest, two_factor_required: None, role_fixture: str
) -> None:
    person = request.getfixturevalue(role_fixture)
    client = sign_in(Client(), person, second_factor=False)
    response = client.get(reverse("members:profile"))
    assert response.status_code == 302 and response["Location"] == reverse("members:two_factor")
    assert "asks staff to use two-factor" in text(client.get(reverse("members:two_factor")))
    # Crisis resources are never blocked.
    assert client.get(reverse("core:help")).status_code == 200


@pytest.mark.parametrize("role_fixture", ["member", "volunteer"])
def test_requirement_never_blocks_members_or_volunteers(
    request: pytest.FixtureRequest,
    client_for: ClientFor,
    two_factor_required: None,
    role_fixture: str,
) -> None:
    person = request.getfixturevalue(role_fixture)
    assert client_for(person).get(reverse("members:profile")).status_code == 200


def test_when_required_staff_signed_in_before_must_enter_a_code(
    client: Client,
    two_factor_required: None,
    peer_worker_with_2fa: tuple[Member, TOTPDevice],
    time_machine: TimeMachineFixture,
) -> None:
    person, device = peer_worker_with_2fa
    time_machine.shift(31)
    client.force_login(person)  # a session from before the requirement: not verified
    assert client.get(reverse("members:profile"))["Location"] == reverse("members:verify")
    client.post(reverse("members:verify"), {"code": current_code(device)})
    assert client.get(reverse("members:profile")).status_code == 200


def test_required_two_factor_cannot_be_turned_off_by_staff(
    two_factor_required: None, peer_worker_with_2fa: tuple[Member, TOTPDevice]
) -> None:
    person, _ = peer_worker_with_2fa
    with pytest.raises(ActionError, match="requires two-factor"):
        actions.do_disable_totp(person)
    assert actions.confirmed_totp_device(person) is not None


def test_repeated_wrong_passwords_are_slowed_down_even_with_the_right_one(client: Client, member: Member) -> None:
    from django.core.cache import caches

    cache = caches["throttle"]
    cache.clear()
    for _ in range(actions.SIGN_IN_FAILURES_PER_ACCOUNT):
        sign_in_with_password(client, member, password="not-it-at-all")
    response = sign_in_with_password(client, member)  # the right password, but too soon after many wrong ones
    assert response.status_code == 429 and "Too many tries to sign in" in text(response)
    assert "_auth_user_id" not in client.session
    cache.clear()
    assert sign_in_with_password(client, member).status_code == 302
