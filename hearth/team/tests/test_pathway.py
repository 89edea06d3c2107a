"""The volunteer pathway: applying, training a role needs, checks (dates and outcomes only), renewals."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from pytest_django import DjangoCaptureOnCommitCallbacks
from time_machine import TimeMachineFixture

from hearth.core.errors import ActionError
from hearth.core.models import AuditEntry
from hearth.members import actions as member_actions
from hearth.members.models import Member, Role
from hearth.safety.models import CrisisAlert
from hearth.team import actions
from hearth.team.models import Application, Check, TrainingModule, TrainingRecord, add_months
from hearth.team.tests.conftest import TODAY
from hearth.testing import ClientFor, MakeMember, run_deliveries, text, visible_text

WHY = "The Tuesday group helped me a lot and I'd like to give something back."


def apply(member: Member, **kwargs: Any) -> Application:
    return actions.do_apply(member, **{"role": "volunteer", "why": WHY, **kwargs})


# --- Applying from your own pages ----------------------------------------------------------------


def test_a_member_applies_from_their_own_pages_and_the_coordinator_hears(
    client_for: ClientFor, member: Member, coordinator: Member, clock: TimeMachineFixture
) -> None:
    home = text(client_for(member).get(reverse("core:home")))
    assert reverse("team:mine") in home
    page = visible_text(client_for(member).get(reverse("team:mine")))
    assert "apply when it feels right" in page
    response = client_for(member).post(
        reverse("team:mine"), {"role": "volunteer", "why": WHY, "availability": "Tuesday evenings"}
    )
    assert response.status_code == 302
    application = Application.objects.get()
    assert (application.member, application.state) == (member, Application.State.SUBMITTED)
    run_deliveries()
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    page = visible_text(client_for(member).get(reverse("team:mine")))
    assert "Your application to be a volunteer" in page and "Send my application" not in page


def test_one_open_application_at_a_time_and_it_can_be_withdrawn(
    client_for: ClientFor, member: Member, clock: TimeMachineFixture
) -> None:
    application = apply(member)
    with pytest.raises(ActionError, match="already applied"):
        apply(member)
    client_for(member).post(reverse("team:withdraw", args=[application.pk]))
    assert Application.objects.get().state == Application.State.WITHDRAWN
    apply(member)


def test_nobody_withdraws_someone_elses_application(
    client_for: ClientFor, member: Member, outsider: Member, clock: TimeMachineFixture
) -> None:
    application = apply(member)
    assert client_for(outsider).post(reverse("team:withdraw", args=[application.pk])).status_code == 404
    assert Application.objects.get().is_open


def test_what_an_applicant_writes_goes_through_screening(
    member: Member, clock: TimeMachineFixture, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    made = apply(member, why="I'd like to help, though tonight I'm going to kill myself, I've got the pills ready.")
    assert made.screening.show_crisis_support
    assert CrisisAlert.objects.filter(member=member).exists()


def test_bad_input_is_a_clear_error(
    client_for: ClientFor, member: Member, volunteer: Member, clock: TimeMachineFixture
) -> None:
    response = client_for(member).post(reverse("team:mine"), {"role": "astronaut", "why": ""})
    assert response.status_code == 200 and "Select a valid choice" in visible_text(response)
    with pytest.raises(ActionError, match="a sentence or two"):
        apply(member, why="hi")
    with pytest.raises(ActionError, match="already a volunteer"):
        apply(volunteer)


# --- Roles that need named training ----------------------------------------------------------------


def test_welcoming_someone_needs_the_training_their_role_requires(
    client_for: ClientFor,
    member: Member,
    coordinator: Member,
    safeguarding: TrainingModule,
    crisis_response: TrainingModule,
    clock: TimeMachineFixture,
) -> None:
    application = apply(member)
    with pytest.raises(ActionError, match="needs this training before becoming a volunteer: Safeguarding"):
        actions.do_decide_application(coordinator, application, state="accepted")
    assert Role.VOLUNTEER not in member.roles and Application.objects.get().is_open
    actions.do_record_training(coordinator, member, safeguarding, completed_on=TODAY - timedelta(days=3))
    actions.do_decide_application(coordinator, application, state="accepted", message="Welcome!")
    member.__dict__.pop("roles", None)
    assert Role.VOLUNTEER in member.roles
    run_deliveries()
    assert any("Welcome to the team" in m.body for m in mail.outbox if m.to == [member.email])


def test_the_role_grant_itself_checks_training_wherever_it_is_made(
    client_for: ClientFor,
    volunteer: Member,
    coordinator: Member,
    safeguarding: TrainingModule,
    crisis_response: TrainingModule,
    clock: TimeMachineFixture,
) -> None:
    with pytest.raises(ActionError, match="Crisis response"):
        member_actions.do_grant_role(coordinator, volunteer, Role.PEER_WORKER)
    response = client_for(coordinator).post(
        reverse("members:change_role", args=[volunteer.pk]), {"role": "peer_worker", "grant": "on"}, follow=True
    )
    assert "needs this training" in visible_text(response)
    actions.do_record_training(coordinator, volunteer, crisis_response, completed_on=TODAY)
    actions.do_record_training(coordinator, volunteer, safeguarding, completed_on=TODAY)
    member_actions.do_grant_role(coordinator, volunteer, Role.PEER_WORKER)
    assert Role.PEER_WORKER in volunteer.roles


def test_expired_training_does_not_count(
    member: Member, coordinator: Member, safeguarding: TrainingModule, clock: TimeMachineFixture
) -> None:
    actions.do_record_training(coordinator, member, safeguarding, completed_on=TODAY - timedelta(days=400))
    assert actions.missing_training(member, "volunteer") == [safeguarding]
    assert TrainingRecord.objects.get().expires_on == add_months(TODAY - timedelta(days=400), 12)


def test_add_months_keeps_the_day_or_ends_the_month() -> None:
    from datetime import date

    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 24), 12) == date(2027, 11, 24)


# --- Checks: dates and outcomes, for the person and the coordinator only ----------------------------


def test_checks_are_dates_and_outcomes_and_each_look_is_audited(
    client_for: ClientFor, volunteer: Member, coordinator: Member, clock: TimeMachineFixture
) -> None:
    response = client_for(coordinator).post(
        reverse("team:person", args=[volunteer.pk]),
        {
            "form": "check",
            "kind": "background",
            "outcome": "satisfactory",
            "requested_on": (TODAY - timedelta(days=30)).isoformat(),
            "completed_on": (TODAY - timedelta(days=10)).isoformat(),
            "expires_on": (TODAY + timedelta(days=1000)).isoformat(),
        },
    )
    assert response.status_code == 302
    check = Check.objects.get()
    assert (check.kind, check.outcome) == ("background", "satisfactory")
    before = AuditEntry.objects.filter(action="team.checks.viewed").count()
    page = visible_text(client_for(coordinator).get(reverse("team:person", args=[volunteer.pk])))
    assert "Background check (e.g. DBS): satisfactory" in page
    assert AuditEntry.objects.filter(action="team.checks.viewed", subject=volunteer).count() == before + 1
    own = visible_text(client_for(volunteer).get(reverse("team:mine")))
    assert "Background check (e.g. DBS): satisfactory" in own


@pytest.mark.parametrize("who", ["member", "outsider", "peer_worker", "counsellor"])
def test_volunteers_and_others_never_see_someone_elses_checks(
    request: pytest.FixtureRequest,
    client_for: ClientFor,
    who: str,
    volunteer: Member,
    coordinator: Member,
    clock: TimeMachineFixture,
) -> None:
    actions.do_record_check(coordinator, volunteer, kind="reference", outcome="concerns")
    client = client_for(request.getfixturevalue(who))
    for url in (
        reverse("team:people"),
        reverse("team:person", args=[volunteer.pk]),
        reverse("team:step_back", args=[volunteer.pk]),
        reverse("team:training"),
    ):
        assert client.get(url).status_code == 403, url
    assert "Not satisfactory" not in visible_text(client.get(reverse("team:mine")))
    assert client.post(reverse("team:person", args=[volunteer.pk]), {"form": "check"}).status_code == 403
    with pytest.raises(PermissionDenied):
        actions.read_checks(request.getfixturevalue(who), volunteer)
    assert not AuditEntry.objects.filter(action="team.checks.viewed").exists()


def test_a_volunteer_cannot_see_another_volunteers_checks(
    client_for: ClientFor,
    volunteer: Member,
    make_member: MakeMember,
    coordinator: Member,
    clock: TimeMachineFixture,
) -> None:
    ada = make_member("Ada", Role.VOLUNTEER)
    actions.do_record_check(coordinator, ada, kind="reference", outcome="concerns")
    assert client_for(volunteer).get(reverse("team:person", args=[ada.pk])).status_code == 403
    assert "Not satisfactory" not in visible_text(client_for(volunteer).get(reverse("team:mine")))


def test_check_dates_must_make_sense(
    client_for: ClientFor, volunteer: Member, coordinator: Member, clock: TimeMachineFixture
) -> None:
    with pytest.raises(ActionError, match="before it was asked for"):
        actions.do_record_check(
            coordinator,
            volunteer,
            kind="reference",
            outcome="pending",
            requested_on=TODAY,
            completed_on=TODAY - timedelta(1),
        )
    response = client_for(coordinator).post(
        reverse("team:person", args=[volunteer.pk]), {"form": "check", "kind": "reference", "outcome": "x"}, follow=True
    )
    assert response.status_code == 200 and "Check the dates" in visible_text(response)


# --- Renewals -------------------------------------------------------------------------------------


def test_renewal_warnings_go_once_before_expiry(
    volunteer: Member, coordinator: Member, safeguarding: TrainingModule, clock: TimeMachineFixture
) -> None:
    actions.do_record_training(
        coordinator, volunteer, safeguarding, completed_on=add_months(TODAY, -12) + timedelta(days=20)
    )
    actions.do_record_check(
        coordinator, volunteer, kind="background", outcome="satisfactory", expires_on=TODAY + timedelta(days=10)
    )
    actions.do_record_check(
        coordinator, volunteer, kind="reference", outcome="satisfactory", expires_on=TODAY + timedelta(days=200)
    )
    assert actions.warn_expiring() == 2
    assert actions.warn_expiring() == 0
    run_deliveries()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([volunteer.email, coordinator.email, coordinator.email])
    assert any("renew your Safeguarding training" in m.subject for m in mail.outbox)
    due = actions.renewals_due()
    assert [(r.what, r.expired) for r in due] == [("Background check (e.g. DBS)", False), ("Safeguarding", False)]


def test_a_renewed_module_needs_no_warning(
    volunteer: Member, coordinator: Member, safeguarding: TrainingModule, clock: TimeMachineFixture
) -> None:
    actions.do_record_training(
        coordinator, volunteer, safeguarding, completed_on=add_months(TODAY, -12) + timedelta(days=5)
    )
    actions.do_record_training(coordinator, volunteer, safeguarding, completed_on=TODAY)
    assert actions.warn_expiring() == 0 and actions.renewals_due() == []


def test_the_pathway_is_reachable_from_team_tools(
    client_for: ClientFor, coordinator: Member, member: Member, clock: TimeMachineFixture
) -> None:
    apply(member)
    team = text(client_for(coordinator).get(reverse("members:team")))
    assert reverse("team:people") in team and reverse("team:training") in team
    page = visible_text(client_for(coordinator).get(reverse("team:people")))
    assert "Robin : volunteer" in page
    assert WHY in visible_text(client_for(coordinator).get(reverse("team:person", args=[member.pk])))


def test_the_coordinator_defines_training(client_for: ClientFor, coordinator: Member, db: None) -> None:
    client = client_for(coordinator)
    client.post(
        reverse("team:training"),
        {"name": "Listening skills", "required_for": ["volunteer"], "renew_every_months": "", "active": "on"},
    )
    response = client.post(reverse("team:training"), {"name": "listening SKILLS", "active": "on"})
    assert "already training called" in visible_text(response)
    page = visible_text(client.get(reverse("team:training")))
    assert "Listening skills Volunteer no need" in page
