"""Supervision (notes encrypted, read only by the right people, audited), debriefs, who is due, stepping back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import reverse
from time_machine import TimeMachineFixture

from hearth.availability import actions as rota
from hearth.availability.models import ShiftPattern
from hearth.care.actions import add_care_item, do_claim, do_set_usual_supporter
from hearth.care.models import CareItem, CareProfile
from hearth.chat.actions import do_open_conversation
from hearth.chat.models import Conversation
from hearth.community.models import Group, GroupState, Membership
from hearth.core.errors import ActionError
from hearth.core.models import AuditEntry
from hearth.members.models import Member, Role
from hearth.team import actions
from hearth.team.models import DebriefRequest, Departure, SupervisionSession
from hearth.team.tests.conftest import TODAY
from hearth.testing import ClientFor, MakeMember, run_deliveries, text, visible_text

NOTE = "Talked through a hard call on Tuesday; agreed a lighter rota for a fortnight."


@pytest.fixture
def supervised(counsellor: Member, volunteer: Member, clock: TimeMachineFixture) -> SupervisionSession:
    return actions.do_record_supervision(
        counsellor, volunteer, kind="one_to_one", held_on=TODAY - timedelta(days=7), notes=NOTE
    )


# --- Supervision notes ----------------------------------------------------------------------------


def test_notes_are_encrypted_at_rest(supervised: SupervisionSession) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT notes_encrypted FROM team_supervisionsession")
        [(stored,)] = cursor.fetchall()
    assert "hard call" not in stored and SupervisionSession.objects.get().notes() == NOTE


def test_the_supporter_reads_their_own_notes(
    client_for: ClientFor, volunteer: Member, supervised: SupervisionSession
) -> None:
    page = visible_text(client_for(volunteer).get(reverse("team:mine")))
    assert NOTE in page and "with Dr Okafor" in page
    assert not AuditEntry.objects.filter(action="team.supervision.viewed").exists()  # their own: no audit


def test_the_coordinator_reads_them_and_the_look_is_audited(
    client_for: ClientFor,
    coordinator: Member,
    volunteer: Member,
    supervised: SupervisionSession,
) -> None:
    page = visible_text(client_for(coordinator).get(reverse("team:supervision_person", args=[volunteer.pk])))
    assert NOTE in page
    assert (
        AuditEntry.objects.filter(action="team.supervision.viewed", actor=coordinator, subject=volunteer).count() == 1
    )


@pytest.mark.parametrize("who", ["member", "outsider", "peer_worker"])
def test_volunteers_and_others_never_see_someone_elses_supervision_notes(
    request: pytest.FixtureRequest,
    client_for: ClientFor,
    who: str,
    volunteer: Member,
    supervised: SupervisionSession,
) -> None:
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("team:supervision")).status_code == 403
    assert client.get(reverse("team:supervision_person", args=[volunteer.pk])).status_code == 403
    assert NOTE not in text(client.get(reverse("team:mine")))


def test_another_volunteer_never_sees_them(
    client_for: ClientFor,
    make_member: MakeMember,
    volunteer: Member,
    supervised: SupervisionSession,
) -> None:
    ada = make_member("Ada", Role.VOLUNTEER)
    client = client_for(ada)
    assert client.get(reverse("team:supervision_person", args=[volunteer.pk])).status_code == 403
    assert NOTE not in text(client.get(reverse("team:mine")))
    with pytest.raises(PermissionDenied):
        actions.read_supervision(ada, volunteer)


def test_a_supervisor_reads_only_the_notes_they_wrote(
    client_for: ClientFor,
    make_member: MakeMember,
    volunteer: Member,
    supervised: SupervisionSession,
) -> None:
    other = make_member("Dr Shah", Role.COUNSELLOR)
    page = visible_text(client_for(other).get(reverse("team:supervision_person", args=[volunteer.pk])))
    assert NOTE not in page and "Notes are for Sam, their supervisor and the coordinators" in page
    assert not AuditEntry.objects.filter(action="team.supervision.viewed").exists()


def test_nobody_records_their_own_supervision_or_a_future_one(
    counsellor: Member, volunteer: Member, clock: TimeMachineFixture
) -> None:
    with pytest.raises(ActionError, match="Someone else"):
        actions.do_record_supervision(counsellor, counsellor, kind="one_to_one", held_on=TODAY)
    with pytest.raises(ActionError, match="future"):
        actions.do_record_supervision(counsellor, volunteer, kind="one_to_one", held_on=TODAY + timedelta(days=1))


# --- Who is due -----------------------------------------------------------------------------------


def test_the_coordinator_sees_who_has_not_had_supervision_in_n_weeks(
    client_for: ClientFor,
    coordinator: Member,
    counsellor: Member,
    volunteer: Member,
    peer_worker: Member,
    make_member: MakeMember,
    clock: TimeMachineFixture,
) -> None:
    ada = make_member("Ada", Role.VOLUNTEER)
    actions.do_record_supervision(counsellor, volunteer, kind="group", held_on=TODAY - timedelta(weeks=8))
    actions.do_record_supervision(coordinator, peer_worker, kind="one_to_one", held_on=TODAY - timedelta(weeks=2))
    due, fine = actions.supervision_overview(6)
    assert [(r.supporter.display_name, r.weeks) for r in due] == [("Ada", None), ("Dr Okafor", None), ("Sam", 8)]
    assert [r.supporter for r in fine] == [peer_worker]
    page = visible_text(client_for(coordinator).get(reverse("team:supervision"), {"weeks": "1"}))
    assert "No supervision in 1 weeks or more (4)" in page and "Sam : last on" in page
    page = visible_text(client_for(coordinator).get(reverse("team:supervision"), {"weeks": "lots"}))
    assert "No supervision in 6 weeks or more (3)" in page
    assert ada in [r.supporter for r in due]


# --- Debriefs after a heavy shift -----------------------------------------------------------------


def test_a_heavy_shift_leads_to_a_debrief(
    client_for: ClientFor,
    volunteer: Member,
    counsellor: Member,
    coordinator: Member,
    clock: TimeMachineFixture,
) -> None:
    desk = text(client_for(volunteer).get(reverse("availability:duty")))
    assert reverse("team:debrief") in desk
    client_for(volunteer).post(reverse("team:debrief"), {"urgency": "today", "note": "A long call, I'm OK."})
    request = DebriefRequest.objects.get()
    assert request.note() == "A long call, I'm OK." and "long call" not in request.note_encrypted
    run_deliveries()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([counsellor.email, coordinator.email])
    client_for(counsellor).post(reverse("team:arrange_debrief", args=[request.pk]))
    assert DebriefRequest.objects.get().state == DebriefRequest.State.ARRANGED
    url = reverse("team:supervision_person", args=[volunteer.pk]) + f"?debrief={request.pk}"
    assert "A long call" in visible_text(client_for(counsellor).get(url))
    client_for(counsellor).post(
        url, {"debrief": request.pk, "kind": "debrief", "held_on": TODAY.isoformat(), "notes": "Talked it through."}
    )
    request.refresh_from_db()
    assert request.session is not None
    assert request.state == DebriefRequest.State.DONE and request.session.kind == "debrief"


def test_members_cannot_ask_for_debriefs_or_arrange_them(
    client_for: ClientFor, member: Member, volunteer: Member, clock: TimeMachineFixture
) -> None:
    assert client_for(member).get(reverse("team:debrief")).status_code == 403
    request = actions.do_ask_for_debrief(volunteer)
    assert client_for(member).post(reverse("team:arrange_debrief", args=[request.pk])).status_code == 403
    with pytest.raises(ActionError, match="already asked"):
        actions.do_ask_for_debrief(volunteer)


# --- Stepping back, gracefully ------------------------------------------------------------------------


@dataclass
class Leaving:
    """Sam (``volunteer``) about to step back: hosting Tuesday Makers, in a one-to-one with Robin (``member``),
    usual supporter of Robin and of Kit (``outsider``), on the Thursday rota, holding Robin's care item."""

    group: Group
    conversation: Conversation
    url: str


@pytest.fixture
def leaving(
    volunteer: Member,
    peer_worker: Member,
    member: Member,
    outsider: Member,
    coordinator: Member,
    clock: TimeMachineFixture,
) -> Leaving:
    group = Group.objects.create(name="Tuesday Makers", state=GroupState.ACTIVE, proposed_by=volunteer)
    Membership.objects.create(group=group, member=volunteer, is_host=True)
    Membership.objects.create(group=group, member=peer_worker)
    conversation = do_open_conversation(member, volunteer, opened_by=member)
    do_set_usual_supporter(coordinator, outsider, volunteer)
    rota.do_add_shift_pattern(coordinator, volunteer, weekday=3, starts=time(18), ends=time(21))
    add_care_item(member, source="asked", reason="Asked for a check-in")
    do_set_usual_supporter(coordinator, member, volunteer)
    do_claim(volunteer, member.pk)
    return Leaving(group, conversation, reverse("team:step_back", args=[volunteer.pk]))


def _hand_everything_on(
    client_for: ClientFor, coordinator: Member, leaving: Leaving, peer_worker: Member, member: Member, outsider: Member
) -> None:
    response = client_for(coordinator).post(
        leaving.url,
        {
            "roles": ["volunteer"],
            f"group-{leaving.group.pk}": peer_worker.pk,
            f"conversation-{leaving.conversation.pk}": peer_worker.pk,
            f"usual-{outsider.pk}": peer_worker.pk,
            f"usual-{member.pk}": "none",
        },
    )
    assert response.status_code == 302


def test_the_step_back_page_lists_what_someone_leaving_hands_on(
    client_for: ClientFor, coordinator: Member, leaving: Leaving
) -> None:
    page = visible_text(client_for(coordinator).get(leaving.url))
    assert "New host for Tuesday Makers" in page and "Who talks with Robin now" in page


def test_someone_cannot_step_back_with_a_one_to_one_nobody_takes_on(
    client_for: ClientFor, coordinator: Member, leaving: Leaving, volunteer: Member, peer_worker: Member
) -> None:
    response = client_for(coordinator).post(
        leaving.url, {"roles": ["volunteer"], f"group-{leaving.group.pk}": peer_worker.pk}
    )
    assert "Choose who takes on: the one-to-one with Robin" in visible_text(response)
    volunteer.__dict__.pop("roles", None)
    assert Role.VOLUNTEER in volunteer.roles
    assert not Departure.objects.exists()


def test_someone_leaving_hands_on_their_groups_shifts_and_one_to_ones(
    client_for: ClientFor,
    leaving: Leaving,
    volunteer: Member,
    peer_worker: Member,
    member: Member,
    outsider: Member,
    coordinator: Member,
) -> None:
    _hand_everything_on(client_for, coordinator, leaving, peer_worker, member, outsider)
    volunteer.__dict__.pop("roles", None)
    assert Role.VOLUNTEER not in volunteer.roles
    assert Membership.objects.get(group=leaving.group, member=peer_worker).is_host
    assert not Membership.objects.get(group=leaving.group, member=volunteer).is_host
    assert Conversation.objects.get(pk=leaving.conversation.pk).closed_at is not None
    assert Conversation.objects.filter(member=member, supporter=peer_worker, closed_at__isnull=True).exists()
    assert CareProfile.objects.get(member=outsider).usual_supporter == peer_worker
    assert CareProfile.objects.get(member=member).usual_supporter is None
    assert not ShiftPattern.objects.filter(supporter=volunteer, valid_until__isnull=True).exists()
    assert CareItem.objects.get(member=member).claimed_by is None


def test_stepping_back_is_recorded_audited_and_the_person_is_thanked(
    client_for: ClientFor,
    leaving: Leaving,
    volunteer: Member,
    peer_worker: Member,
    member: Member,
    outsider: Member,
    coordinator: Member,
) -> None:
    _hand_everything_on(client_for, coordinator, leaving, peer_worker, member, outsider)
    departure = Departure.objects.get()
    assert departure.roles == ["volunteer"] and len(departure.handed_over) == 4
    assert AuditEntry.objects.filter(action="team.stepped_back", subject=volunteer).exists()
    run_deliveries()
    assert any(m.to == [volunteer.email] and "Thank you" in m.subject for m in mail.outbox)


@pytest.mark.parametrize("who", ["volunteer", "peer_worker", "counsellor"])
def test_only_the_coordinator_records_someone_stepping_back(
    request: pytest.FixtureRequest,
    client_for: ClientFor,
    who: str,
    make_member: MakeMember,
    clock: TimeMachineFixture,
) -> None:
    ada = make_member("Ada", Role.VOLUNTEER)
    client = client_for(request.getfixturevalue(who))
    assert client.post(reverse("team:step_back", args=[ada.pk]), {"roles": ["volunteer"]}).status_code == 403
    assert Role.VOLUNTEER in ada.roles and not Departure.objects.exists()
