from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks

from hearth.core.errors import ActionError
from hearth.core.models import AuditEntry, OrganisationSettings
from hearth.members import actions
from hearth.members.models import Invitation, Member
from hearth.testing import ClientFor, ClientResponse, run_deliveries, text

GOOD = {"email": "new.person@example.org", "display_name": "Heron", "password": "kettle-garden-lantern-9"}


def join(client: Client, invitation: Invitation, **overrides: Any) -> ClientResponse:
    return client.post(reverse("members:join", args=[invitation.token]), {**GOOD, **overrides})


@pytest.fixture
def invitation(member: Member) -> Invitation:
    return actions.do_create_invitation(member, "for my neighbour")


def test_invited_person_joins_and_is_signed_in(client: Client, invitation: Invitation, member: Member) -> None:
    response = join(client, invitation)
    assert response.status_code == 302
    new = Member.objects.get(email="new.person@example.org")
    assert new.invited_by == member
    assert new.display_name == "Heron"
    invitation.refresh_from_db()
    assert invitation.state() == "used" and invitation.used_by == new
    assert client.get(reverse("core:home")).context["user"] == new
    assert AuditEntry.objects.filter(action="members.account.created", subject=new).exists()


def test_join_page_names_who_invited_you(client: Client, invitation: Invitation) -> None:
    assert "Robin invited you" in text(client.get(reverse("members:join", args=[invitation.token])))


def test_an_invitation_link_works_only_once(client: Client, invitation: Invitation) -> None:
    join(client, invitation)
    second = join(client.__class__(), invitation, email="other@example.org", display_name="Otter")
    assert second.status_code == 410
    assert "already been used" in text(second)
    assert not Member.objects.filter(email="other@example.org").exists()


def test_expired_invitation_is_refused_with_a_clear_message(client: Client, invitation: Invitation) -> None:
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    response = join(client, invitation)
    assert response.status_code == 410
    assert "expired" in text(response)
    assert not Member.objects.filter(email=GOOD["email"]).exists()


def test_withdrawn_invitation_is_refused(client: Client, invitation: Invitation, member: Member) -> None:
    actions.do_revoke_invitation(member, invitation)
    response = join(client, invitation)
    assert response.status_code == 410 and "withdrawn" in text(response)


def test_unknown_invitation_token_is_refused(client: Client, db: None) -> None:
    response = client.get(reverse("members:join", args=["not-a-real-token"]))
    assert response.status_code == 410
    assert "don't recognise" in text(response)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"email": "not-an-email"}, "Enter an email address like name@example.org."),
        ({"email": ""}, "This field is required."),
        ({"display_name": "x" * 41}, "at most 40 characters"),
        ({"display_name": "a"}, "at least 2 characters"),
        ({"display_name": "me@home"}, "can't contain @"),
        ({"password": "short"}, "too short"),
        ({"email": "e" * 250 + "@example.org"}, "at most 254 characters"),
    ],
)
def test_bad_join_input_says_what_to_fix_and_changes_nothing(
    client: Client, invitation: Invitation, overrides: dict[str, Any], message: str
) -> None:
    before = Member.objects.count()
    response = join(client, invitation, **overrides)
    assert response.status_code == 200
    assert message in text(response)
    assert Member.objects.count() == before
    invitation.refresh_from_db()
    assert invitation.state() == "open"


def test_duplicate_email_is_refused_and_the_link_stays_usable(
    client: Client, invitation: Invitation, member: Member
) -> None:
    response = join(client, invitation, email="ROBIN@example.org")
    assert "already uses this email" in text(response)
    invitation.refresh_from_db()
    assert invitation.state() == "open"


def test_duplicate_display_name_is_refused_case_insensitively(
    client: Client, invitation: Invitation, member: Member
) -> None:
    response = join(client, invitation, display_name="robin")
    assert "already uses that display name" in text(response)
    assert not Member.objects.filter(email=GOOD["email"]).exists()


def test_members_cannot_hoard_invitation_links(member: Member) -> None:
    for _ in range(actions.MAX_OPEN_INVITATIONS):
        actions.do_create_invitation(member)
    with pytest.raises(ActionError, match="Withdraw some"):
        actions.do_create_invitation(member)


def test_only_the_maker_can_withdraw_a_link(invitation: Invitation, outsider: Member) -> None:
    with pytest.raises(ActionError):
        actions.do_revoke_invitation(outsider, invitation)


def test_invitations_page_lists_only_your_own_links(
    client_for: ClientFor, member: Member, outsider: Member, invitation: Invitation
) -> None:
    page = text(client_for(outsider).get(reverse("members:invitations")))
    assert invitation.token not in page
    assert invitation.token in text(client_for(member).get(reverse("members:invitations")))


def test_withdrawing_someone_elses_link_is_not_found(
    client_for: ClientFor, outsider: Member, invitation: Invitation
) -> None:
    response = client_for(outsider).post(reverse("members:invitations"), {"revoke": invitation.pk})
    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.state() == "open"


# --- Open sign-up ------------------------------------------------------------------


@pytest.fixture
def open_signup(db: None) -> None:
    OrganisationSettings.objects.update_or_create(pk=1, defaults={"open_signup": True})


def test_open_sign_up_is_off_by_default(client: Client, db: None) -> None:
    response = client.post(reverse("members:signup"), GOOD)
    assert response.status_code == 403
    assert not Member.objects.exists()


def test_open_sign_up_needs_the_emailed_link_before_signing_in(
    client: Client, open_signup: None, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("members:signup"), GOOD)
    assert "Check your email" in text(response)
    pending = Member.objects.get(email=GOOD["email"])
    assert not pending.is_active
    assert not client.login(username=GOOD["email"], password=GOOD["password"])

    run_deliveries()
    (message,) = mail.outbox
    link = next(line for line in message.body.splitlines() if "/join/confirm/" in line)
    response = client.get(link.replace("http://127.0.0.1:8000", ""))
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.is_active and pending.email_confirmed_at is not None
    assert client.login(username=GOOD["email"], password=GOOD["password"])


def test_open_sign_up_with_a_taken_email_reveals_nothing_and_changes_nothing(
    client: Client,
    open_signup: None,
    member: Member,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("members:signup"), {**GOOD, "email": member.email})
    assert "Check your email" in text(response)  # same screen as a new address
    assert Member.objects.filter(email=member.email).count() == 1
    run_deliveries()
    (message,) = mail.outbox
    assert message.to == [member.email] and "already have one" in message.body


def test_tampered_confirmation_link_is_refused(client: Client, open_signup: None) -> None:
    response = client.get(reverse("members:confirm_email", args=["forged-token"]))
    assert response.status_code == 400 and "don't recognise" in text(response)
