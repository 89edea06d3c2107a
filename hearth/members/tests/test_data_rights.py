"""Download my data, and delete my account leaving nothing personal behind."""

from __future__ import annotations

import json

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import models
from django.urls import reverse

from hearth.conftest import PASSWORD
from hearth.core import data_rights as core_data_rights
from hearth.core.models import AuditEntry
from hearth.members import actions, data_rights
from hearth.members.models import Member, Role
from hearth.testing import ClientFor, MakeMember, text


@pytest.fixture
def busy_member(member: Member, peer_worker: Member, coordinator: Member) -> Member:
    """Robin, with a bit of history: sharing choices, an invitation, staff looking her up."""
    actions.do_set_consent(member, "profile.pronouns", "members")
    actions.do_create_invitation(member, "for Dana from the café")
    actions.do_view_contact_details(peer_worker, member)
    actions.do_grant_role(coordinator, member, Role.VOLUNTEER)
    member.contact_notes = "text before calling"
    member.save()
    return member


def test_download_contains_everything_about_the_member(client_for: ClientFor, busy_member: Member) -> None:
    response = client_for(busy_member).post(reverse("members:data"))
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["profile"]["email"] == "robin@example.org"
    assert data["profile"]["phone"] == "07700 900123"
    assert data["profile"]["contact_notes"] == "text before calling"
    assert data["profile"]["roles"] == ["member", "volunteer"]
    assert {"what": "Your pronouns", "shared_with": "Everyone here"} in data["sharing_choices"]
    assert data["invitations"][0]["note"] == "for Dana from the café"
    seen = [row["what"] for row in data["records_about_you"]]
    assert "Priya viewed the contact details of Robin" in seen
    assert set(data) >= {section.key for section in core_data_rights.sections()}


def test_download_is_audited_and_only_ever_your_own(
    client_for: ClientFor, busy_member: Member, outsider: Member
) -> None:
    data = json.loads(client_for(outsider).post(reverse("members:data")).content)
    assert data["profile"]["email"] == outsider.email
    assert "robin" not in json.dumps(data).lower()
    assert AuditEntry.objects.filter(action="members.data.exported", subject=outsider).count() == 1


def _personal_strings(person: Member) -> list[str]:
    return [person.email, person.display_name, person.phone, "text before calling", "for Dana from the café"]


def _rows_containing(needles: list[str]) -> list[str]:
    """Every text or JSON value in every table that contains one of ``needles``."""
    found = []
    for model in apps.get_models():
        fields = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField, models.JSONField))
        ]
        for obj in model._base_manager.all():
            for field in fields:
                value = json.dumps(getattr(obj, field.attname), default=str)
                for needle in needles:
                    if needle and needle.lower() in value.lower():
                        found.append(f"{model._meta.label}.{field.name} contains {needle!r}")
    return found


def test_deleting_an_account_leaves_nothing_personal_in_the_database(
    client_for: ClientFor, busy_member: Member
) -> None:
    member_id = busy_member.pk
    needles = _personal_strings(busy_member)
    assert _rows_containing(needles), "the search must find the data before deletion, or it proves nothing"
    client = client_for(busy_member)
    page = text(client.get(reverse("members:delete")))
    for section in core_data_rights.sections():
        assert section.on_delete in page  # told before confirming
    response = client.post(reverse("members:delete"), {"password": PASSWORD, "confirm": "on"})
    assert "Your account is deleted" in text(response)
    assert not Member.objects.filter(pk=member_id).exists()
    assert _rows_containing(needles) == []
    # The log still shows the staff look-up happened, without saying who it was about.
    looked = AuditEntry.objects.get(action="members.contact.viewed")
    assert looked.subject is None
    assert AuditEntry.objects.get(action="members.account.deleted").data == {"member_id": member_id}
    assert "_auth_user_id" not in client.session
    assert all(s.get_decoded().get("_auth_user_id") != str(member_id) for s in Session.objects.all())


def test_deletion_needs_the_password_and_a_tick(client_for: ClientFor, member: Member) -> None:
    client = client_for(member)
    response = client.post(reverse("members:delete"), {"password": "wrong-password", "confirm": "on"})
    assert "That password isn't right." in text(response)
    response = client.post(reverse("members:delete"), {"password": PASSWORD})
    assert "This field is required." in text(response)
    assert Member.objects.filter(pk=member.pk).exists()


def test_the_only_coordinator_cannot_delete_their_account(client_for: ClientFor, coordinator: Member) -> None:
    response = client_for(coordinator).post(reverse("members:delete"), {"password": PASSWORD, "confirm": "on"})
    assert "only coordinator" in text(response)
    assert Member.objects.filter(pk=coordinator.pk).exists()


def test_people_invited_by_a_deleted_member_keep_their_accounts(member: Member, make_member: MakeMember) -> None:
    friend = make_member("Fern", invited_by=member)
    data_rights.erase_member(member)
    friend.refresh_from_db()
    assert friend.invited_by is None and friend.is_active
