"""Referrals: made by staff or self-referred, moved on, and due for follow-up."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from hearth.core.errors import ActionError
from hearth.core.models import AuditEntry
from hearth.members import data_rights
from hearth.members.models import Member
from hearth.signposting import actions
from hearth.signposting.models import Referral, Resource
from hearth.testing import ClientFor, visible_text

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def citizens_advice(db: None) -> Resource:
    return Resource.objects.get(name="Citizens Advice")  # from the UK directory the migration loads


@pytest.fixture
def money_team(db: None) -> Resource:
    return Resource.objects.get(name="Money advice team")  # ours: needs a referral from staff


def test_staff_refer_a_member_with_a_follow_up_date_and_it_is_audited(
    peer_worker: Member, member: Member, money_team: Resource
) -> None:
    due = timezone.localdate() + timedelta(days=7)
    referral = actions.do_create_referral(
        peer_worker, member, money_team, status="made", follow_up_on=due, note="Rent arrears"
    )
    assert (referral.status, referral.follow_up_on, referral.self_referred) == ("made", due, False)
    entry = AuditEntry.objects.get(action="signposting.referral.created")
    assert entry.actor == peer_worker and entry.subject == member and "Rent" not in str(entry.data)


def test_members_self_refer_only_where_the_resource_allows(
    member: Member, citizens_advice: Resource, money_team: Resource
) -> None:
    referral = actions.do_create_referral(member, member, citizens_advice, status="made")
    assert referral.self_referred and referral.follow_up_on == timezone.localdate() + actions.DEFAULT_FOLLOW_UP
    with pytest.raises(ActionError, match="needs a referral from our team"):
        actions.do_create_referral(member, member, money_team)


def test_members_cannot_refer_someone_else(member: Member, outsider: Member, citizens_advice: Resource) -> None:
    with pytest.raises(ActionError, match="Only staff"):
        actions.do_create_referral(member, outsider, citizens_advice)


def test_one_open_referral_per_resource_and_no_dates_in_the_past(
    peer_worker: Member, member: Member, citizens_advice: Resource
) -> None:
    with pytest.raises(ActionError, match="from today onwards"):
        actions.do_create_referral(
            peer_worker, member, citizens_advice, follow_up_on=timezone.localdate() - timedelta(days=1)
        )
    actions.do_create_referral(peer_worker, member, citizens_advice)
    with pytest.raises(ActionError, match="already an open referral"):
        actions.do_create_referral(peer_worker, member, citizens_advice)


def test_status_moves_on_and_a_finished_referral_stays_finished(
    peer_worker: Member, member: Member, citizens_advice: Resource, outsider: Member
) -> None:
    referral = actions.do_create_referral(peer_worker, member, citizens_advice)
    actions.do_update_referral(peer_worker, referral, status="accepted", follow_up_on=referral.follow_up_on)
    actions.do_update_referral(peer_worker, referral, status="closed")
    assert referral.closed_at is not None and not referral.is_open
    with pytest.raises(ActionError, match="finished"):
        actions.do_update_referral(peer_worker, referral, status="made")
    with pytest.raises(ActionError, match="Only staff"):
        actions.do_update_referral(outsider, referral, status="declined")
    with pytest.raises(ActionError, match="Only staff"):
        actions.do_update_referral(member, referral, status="declined")  # staff made it, staff move it on


def test_referrals_due_are_open_ones_whose_date_has_come(
    peer_worker: Member, member: Member, outsider: Member, citizens_advice: Resource, money_team: Resource
) -> None:
    today = timezone.localdate()
    due = actions.do_create_referral(peer_worker, member, citizens_advice)
    later = actions.do_create_referral(peer_worker, member, money_team)
    finished = actions.do_create_referral(peer_worker, outsider, citizens_advice)
    Referral.objects.filter(pk=due.pk).update(follow_up_on=today)
    Referral.objects.filter(pk=later.pk).update(follow_up_on=today + timedelta(days=1))
    Referral.objects.filter(pk=finished.pk).update(follow_up_on=today - timedelta(days=3), status="declined")
    assert actions.referrals_due() == [due]
    assert actions.referrals_due(now=timezone.now() + timedelta(days=1)) == [due, later]


def test_due_means_on_or_before_today_in_the_organisations_time_zone(
    peer_worker: Member, member: Member, citizens_advice: Resource
) -> None:
    referral = actions.do_create_referral(peer_worker, member, citizens_advice)
    Referral.objects.filter(pk=referral.pk).update(follow_up_on=datetime(2026, 7, 1).date())  # noqa: DTZ001
    # 23:30 UTC on 30 June is already 00:30 on 1 July in London (summer time).
    assert actions.referrals_due(now=datetime(2026, 6, 30, 23, 30, tzinfo=ZoneInfo("UTC"))) == [referral]
    assert actions.referrals_due(now=datetime(2026, 6, 30, 22, 30, tzinfo=ZoneInfo("UTC"))) == []


def test_a_member_updates_their_own_self_referral(
    client_for: ClientFor, member: Member, citizens_advice: Resource
) -> None:
    client = client_for(member)
    client.post(reverse("signposting:resource", args=[citizens_advice.pk]))
    referral = Referral.objects.get(member=member)
    response = client.post(
        reverse("signposting:my_referral", args=[referral.pk]), {"status": "accepted", "note": "Seeing them Tuesday"}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "accepted" and referral.note == "Seeing them Tuesday"


def test_staff_make_a_referral_from_the_page(
    client_for: ClientFor, peer_worker: Member, member: Member, money_team: Resource
) -> None:
    response = client_for(peer_worker).post(
        reverse("signposting:staff_referral_new"),
        {"member": "robin", "resource": money_team.pk, "status": "made", "follow_up_on": "", "note": ""},
    )
    assert response.status_code == 302
    assert Referral.objects.get(member=member).resource == money_team
    page = visible_text(client_for(peer_worker).get(reverse("signposting:staff_referrals") + "?show=open"))
    assert "Robin Money advice team Referral made" in page


def test_staff_referral_form_names_an_unknown_person(
    client_for: ClientFor, peer_worker: Member, money_team: Resource
) -> None:
    response = client_for(peer_worker).post(
        reverse("signposting:staff_referral_new"),
        {"member": "Nobody Here", "resource": money_team.pk, "status": "made"},
    )
    assert "couldn't find anyone here with that display name" in visible_text(response)


def test_export_and_erase(peer_worker: Member, member: Member, citizens_advice: Resource) -> None:
    actions.do_create_referral(peer_worker, member, citizens_advice, note="Call about PIP")
    exported = data_rights.export_member(member)["referrals"]
    assert exported[0]["resource"] == "Citizens Advice" and exported[0]["note"] == "Call about PIP"
    data_rights.erase_member(member)
    assert not Referral.objects.exists()


def test_only_staff_manage_the_directory(member: Member, peer_worker: Member) -> None:
    with pytest.raises(PermissionDenied):
        actions.do_save_resource(member, name="Scam Advice", kind="external", description="x", topics=[])
    place = actions.do_save_resource(
        peer_worker, name="Local Food Bank", kind="external", description="Food parcels", topics=["practical", "money"]
    )
    assert place.topics == ["practical", "money"]
    assert AuditEntry.objects.filter(action="signposting.resource.added", actor=peer_worker).exists()
    with pytest.raises(ActionError, match="Choose topics"):
        actions.do_save_resource(
            peer_worker, place, name="Food bank", kind="external", description="x", topics=["astrology"]
        )


def test_a_crisis_in_a_members_note_on_their_own_referral_alerts_staff_and_shows_crisis_support(
    client_for: ClientFor, member: Member, peer_worker: Member, citizens_advice: Resource
) -> None:
    from hearth.safety.models import CrisisAlert

    client = client_for(member)
    client.post(reverse("signposting:resource", args=[citizens_advice.pk]))
    referral = Referral.objects.get(member=member)
    response = client.post(
        reverse("signposting:my_referral", args=[referral.pk]),
        {"status": "made", "note": "They can't help. I'm going to kill myself tonight, the pills are ready."},
    )
    assert response["Location"].startswith(reverse("safety:support"))  # crisis lines first, as for a post
    assert CrisisAlert.objects.filter(member=member, acknowledged_at__isnull=True).exists()


def test_staff_notes_on_a_referral_are_theirs_and_not_screened_as_the_members(
    peer_worker: Member, member: Member, citizens_advice: Resource
) -> None:
    from hearth.safety.models import CrisisAlert

    referral = actions.do_create_referral(member, member, citizens_advice, status=Referral.Status.MADE)
    actions.do_update_referral(
        peer_worker, referral, status=Referral.Status.MADE, note="Said she'd kill herself if the forms bounce again"
    )
    assert referral.screening is None and not CrisisAlert.objects.exists()
