"""Crisis alerts: who hears, acknowledgement, escalation with a controllable clock."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from pytest_django import Settings
from time_machine import TimeMachineFixture

from hearth.availability import actions as availability
from hearth.core import screening
from hearth.core.events import capture_events, member_group
from hearth.core.models import AuditEntry
from hearth.members.models import Member
from hearth.safety import actions as safety_actions
from hearth.safety import alerts
from hearth.safety.models import CrisisAlert
from hearth.testing import ClientFor, run_deliveries, text


@pytest.fixture
def clock(time_machine: TimeMachineFixture) -> TimeMachineFixture:
    time_machine.move_to("2026-11-24T20:00:00+00:00", tick=False)
    return time_machine


def raise_for(member: Member) -> CrisisAlert:
    return safety_actions.raise_crisis_alert(
        member, origin=CrisisAlert.Origin.MESSAGE, summary="Triage: post — a plan with a time"
    )


def test_alert_goes_live_to_everyone_who_may_handle_it_never_to_volunteers(
    member: Member,
    volunteer: Member,
    peer_worker: Member,
    counsellor: Member,
    coordinator: Member,
    clock: TimeMachineFixture,
) -> None:
    availability.do_check_in(volunteer)
    availability.do_check_in(peer_worker)
    alert = raise_for(member)
    with capture_events() as events:
        run_deliveries()
    staff = {member_group(p.pk) for p in (peer_worker, counsellor, coordinator)}
    assert events.recipients_of("safety.alert") == staff  # on duty or not: a banner on every page they have open
    assert not alert.nobody_on_duty and mail.outbox == []


def test_with_nobody_on_duty_coordinators_and_on_call_hear_at_once(
    member: Member, coordinator: Member, settings: Settings, clock: TimeMachineFixture
) -> None:
    settings.HEARTH_ON_CALL_EMAIL = "oncall@example.org"
    alert = raise_for(member)
    with capture_events() as events:
        run_deliveries()
    assert alert.nobody_on_duty
    assert events.recipients_of("safety.alert") == {member_group(coordinator.pk)}
    assert sorted(m.to[0] for m in mail.outbox) == ["jo@example.org", "oncall@example.org"]
    assert "holds no message text" in mail.outbox[0].body


def test_unacknowledged_alert_escalates_to_coordinators_until_someone_acknowledges(
    member: Member, peer_worker: Member, coordinator: Member, clock: TimeMachineFixture
) -> None:
    availability.do_check_in(peer_worker)
    alert = raise_for(member)
    run_deliveries()
    assert safety_actions.escalate_due_alerts() == []
    clock.shift(timedelta(minutes=3, seconds=1))
    with capture_events() as events:
        assert safety_actions.escalate_due_alerts() == [alert.pk]
        assert safety_actions.escalate_due_alerts() == []  # claimed once per step
        run_deliveries()
    assert events.recipients_of("safety.alert") == {member_group(coordinator.pk)}
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    assert AuditEntry.objects.filter(action="safety.alert.escalated").count() == 1
    clock.shift(timedelta(minutes=3, seconds=1))
    assert safety_actions.escalate_due_alerts() == [alert.pk]  # and again, until acknowledged
    safety_actions.do_acknowledge_alert(peer_worker, alert.pk)
    clock.shift(timedelta(minutes=10))
    assert safety_actions.escalate_due_alerts() == []
    entry = AuditEntry.objects.get(action="safety.alert.acknowledged")
    assert entry.actor == peer_worker and entry.subject == member


@pytest.mark.parametrize("who", ["member", "volunteer"])
def test_only_staff_can_acknowledge_or_see_alerts(
    request: pytest.FixtureRequest,
    client_for: ClientFor,
    who: str,
    peer_worker: Member,
    clock: TimeMachineFixture,
) -> None:
    person = request.getfixturevalue(who)
    alert = raise_for(peer_worker)
    with pytest.raises(PermissionDenied):
        safety_actions.do_acknowledge_alert(person, alert.pk)
    assert client_for(person).get(reverse("safety:alerts")).status_code == 403
    assert CrisisAlert.objects.get(pk=alert.pk).acknowledged_at is None


def test_alerts_page_shows_a_timer_and_acknowledges(
    client_for: ClientFor, member: Member, peer_worker: Member, clock: TimeMachineFixture
) -> None:
    alert = raise_for(member)
    client = client_for(peer_worker)
    page = text(client.get(reverse("safety:alerts")))
    assert "Robin" in page and "data-since" in page and "I've got this" in page
    client.post(reverse("safety:alerts"), {"alert": alert.pk})
    assert CrisisAlert.objects.get(pk=alert.pk).acknowledged_by == peer_worker


def test_on_duty_staff_also_get_an_email_when_email_is_configured(
    member: Member, peer_worker: Member, settings: Settings, clock: TimeMachineFixture
) -> None:
    settings.EMAIL_HOST = "smtp.example.org"  # configured; tests still deliver to the local outbox
    availability.do_check_in(peer_worker)
    raise_for(member)
    run_deliveries()
    assert [m.to for m in mail.outbox] == [[peer_worker.email]]
    assert "tablets" not in mail.outbox[0].body  # no message text in email


def test_a_drill_alert_says_so_in_its_email_and_is_never_told_to_the_member(
    member: Member, outsider: Member, coordinator: Member, clock: TimeMachineFixture
) -> None:
    with screening.drilling():
        alert = raise_for(member)
    assert alert.drill and alert.headline().startswith("Drill — ")
    assert alerts.latest_for_member(member) is None  # their support page never shows a drill
    run_deliveries()
    assert mail.outbox[0].subject.startswith("Drill: ")
    assert mail.outbox[0].body.startswith("This is a drill")
    assert not raise_for(outsider).drill  # outside the drill, a real alert again
