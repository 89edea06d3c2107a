from __future__ import annotations

from django.urls import reverse

from hearth.core.models import AuditEntry
from hearth.members import consent
from hearth.members.models import Member
from hearth.testing import ClientFor, text


def test_member_updates_profile(client_for: ClientFor, member: Member) -> None:
    response = client_for(member).post(
        reverse("members:profile"),
        {
            "display_name": "Robin B",
            "pronouns": "she/they",
            "age_band": "25-34",
            "gender": "",
            "phone": "",
            "contact_notes": "",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.display_name, member.pronouns, member.age_band, member.phone) == ("Robin B", "she/they", "25-34", "")


def test_profile_rejects_a_taken_display_name_and_keeps_the_old_one(
    client_for: ClientFor, member: Member, outsider: Member
) -> None:
    response = client_for(member).post(reverse("members:profile"), {"display_name": "KIT", "age_band": ""})
    assert "already uses that display name" in text(response)
    member.refresh_from_db()
    assert member.display_name == "Robin"


def test_profile_rejects_oversize_and_odd_values(client_for: ClientFor, member: Member) -> None:
    response = client_for(member).post(
        reverse("members:profile"),
        {"display_name": "Robin", "pronouns": "x" * 31, "phone": "call me maybe", "age_band": "12-15"},
    )
    page = text(response)
    assert "at most 30 characters" in page
    assert "Use only digits" in page
    assert "Select a valid choice" in page
    member.refresh_from_db()
    assert member.pronouns == "she/her"


def test_preferences_change_text_size_for_every_page(client_for: ClientFor, member: Member) -> None:
    client = client_for(member)
    client.post(reverse("members:preferences"), {"text_size": "larger", "email_notifications": ""})
    assert 'class="text-larger"' in text(client.get(reverse("core:home")))


def test_consent_centre_lists_every_kind_private_by_default(client_for: ClientFor, member: Member) -> None:
    page = text(client_for(member).get(reverse("members:consent")))
    for kind in consent.kinds():
        assert kind.title in page
    assert consent.choices_for(member) == {kind.key: consent.NOBODY for kind in consent.kinds()}


def test_changing_a_sharing_choice_is_saved_and_audited(client_for: ClientFor, member: Member) -> None:
    client_for(member).post(reverse("members:consent"), {"kind": "profile.gender", "audience": "supporters"})
    assert consent.audience_for(member, "profile.gender") == consent.SUPPORTERS
    entry = AuditEntry.objects.get(action="members.consent.changed")
    assert entry.subject == member and entry.data == {"kind": "your gender", "audience": "Volunteers and staff"}


def test_unknown_sharing_choice_is_refused(client_for: ClientFor, member: Member) -> None:
    response = client_for(member).post(
        reverse("members:consent"), {"kind": "profile.gender", "audience": "the world"}, follow=True
    )
    assert "isn't available" in text(response)
    assert consent.audience_for(member, "profile.gender") == consent.NOBODY
