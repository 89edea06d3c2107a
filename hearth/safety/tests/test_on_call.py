"""On call, honestly (issue 13): with nobody on duty a crisis alert reaches whoever is on call, and goes on
reaching them until a person acknowledges; the member is told what is true at that moment.

The clock is a Monday night in London, after the service has closed: nobody is on duty. Priya (``peer_worker``) is
on call Monday 22:00 to Tuesday 02:00 by email; Dr Okafor (``counsellor``) from 02:00 to 08:00 by push.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from time_machine import TimeMachineFixture

from hearth.availability.models import OnCallSlot, Weekday
from hearth.core.events import capture_events, member_group
from hearth.core.models import Delivery
from hearth.core.tests.test_push import _phone, push_service  # noqa: F401  (a fixture)
from hearth.members.models import Member
from hearth.safety import actions as safety_actions
from hearth.safety import alerts
from hearth.safety.models import CrisisAlert
from hearth.testing import ClientFor, Events, FakePushService, run_deliveries, text

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def monday_night(time_machine: TimeMachineFixture) -> TimeMachineFixture:
    time_machine.move_to(datetime(2026, 11, 23, 23, 0, tzinfo=LONDON), tick=False)
    return time_machine


@pytest.fixture
def on_call(peer_worker: Member, counsellor: Member) -> None:
    OnCallSlot.objects.create(
        person=peer_worker, weekday=Weekday.MONDAY, starts=time(22), ends=time(2), channel=OnCallSlot.Channel.EMAIL
    )
    OnCallSlot.objects.create(
        person=counsellor, weekday=Weekday.TUESDAY, starts=time(2), ends=time(8), channel=OnCallSlot.Channel.PUSH
    )


def raise_for(member: Member) -> CrisisAlert:
    return safety_actions.raise_crisis_alert(member, origin=CrisisAlert.Origin.MESSAGE, summary="Triage: post — a plan")


def emailed(alert: CrisisAlert) -> list[str]:
    return sorted(
        d.recipient.display_name if d.recipient else d.address
        for d in Delivery.objects.filter(about_id=str(alert.pk), channel="email", state=Delivery.State.DELIVERED)
    )


def test_with_nobody_on_duty_the_person_on_call_is_reached_at_once(
    member: Member, coordinator: Member, on_call: None, monday_night: TimeMachineFixture
) -> None:
    alert = raise_for(member)
    run_deliveries()
    assert alert.nobody_on_duty
    assert sorted(m.to[0] for m in mail.outbox) == ["jo@example.org", "priya@example.org"]
    assert "holds no message text" in mail.outbox[0].body
    assert "Dr Okafor" not in emailed(alert)  # not on call until 02:00


def test_escalation_reaches_whoever_is_on_call_then_and_never_stops_until_someone_acknowledges(
    member: Member,
    peer_worker: Member,
    counsellor: Member,
    coordinator: Member,
    on_call: None,
    monday_night: TimeMachineFixture,
    client_for: ClientFor,
    events: Events,
) -> None:
    alert = raise_for(member)
    run_deliveries()
    mail.outbox.clear()
    # Three minutes a step at first...
    for _ in range(alerts.FAST_REPEATS):
        monday_night.shift(alerts.escalate_after() + timedelta(seconds=1))
        assert safety_actions.escalate_due_alerts() == [alert.pk]
    run_deliveries()
    assert sorted({m.to[0] for m in mail.outbox}) == ["jo@example.org", "priya@example.org"]
    # ...then every quarter of an hour, for as long as it takes.
    monday_night.shift(alerts.escalate_after() + timedelta(seconds=1))
    assert safety_actions.escalate_due_alerts() == []
    for _ in range(10):  # on towards 02:00, when Dr Okafor is the one on call
        monday_night.shift(alerts.LATER_EVERY)
        assert safety_actions.escalate_due_alerts() == [alert.pk]
    run_deliveries()
    mail.outbox.clear()
    with capture_events() as sent:
        monday_night.shift(alerts.LATER_EVERY)
        assert safety_actions.escalate_due_alerts() == [alert.pk]
        run_deliveries()
    # Dr Okafor chose push but has no device with push on: emailed instead, and live on every open page.
    assert sorted(m.to[0] for m in mail.outbox) == ["dr.okafor@example.org", "jo@example.org"]
    assert member_group(counsellor.pk) in sent.recipients_of("safety.alert")
    assert "Nobody from the team has seen this yet" in text(client_for(member).get(reverse("safety:support")))

    with events() as sent:
        safety_actions.do_acknowledge_alert(counsellor, alert.pk)
    assert sent.events_for(member_group(member.pk)) == [
        {"kind": "safety.alert_seen", "text": "Dr Okafor from the team has seen your message."}
    ]
    assert "Dr Okafor from the team has seen your message." in text(client_for(member).get(reverse("safety:support")))
    monday_night.shift(timedelta(hours=2))
    assert safety_actions.escalate_due_alerts() == []


def test_on_call_by_push_reaches_their_phone(
    member: Member,
    counsellor: Member,
    coordinator: Member,
    on_call: None,
    monday_night: TimeMachineFixture,
    push_service: FakePushService,  # noqa: F811
) -> None:
    _phone(counsellor, push_service)
    monday_night.move_to(datetime(2026, 11, 24, 3, 0, tzinfo=LONDON), tick=False)
    alert = raise_for(member)
    run_deliveries()
    assert [m["tag"] for m in push_service.messages()] == [f"alert-{alert.pk}"]
    assert "dr.okafor@example.org" not in [m.to[0] for m in mail.outbox]  # push was their channel, and it worked
    push_service.received.clear()
    monday_night.shift(alerts.escalate_after() + timedelta(seconds=1))
    safety_actions.escalate_due_alerts()
    run_deliveries()
    [again] = push_service.messages()
    assert again["title"] == "Crisis alert (still waiting)" and "Robin" not in str(again)


def test_someone_on_duty_means_the_on_call_person_is_left_to_sleep(
    member: Member,
    volunteer: Member,
    peer_worker: Member,
    counsellor: Member,
    on_call: None,
    monday_night: TimeMachineFixture,
) -> None:
    from hearth.availability import actions as availability

    availability.do_check_in(peer_worker)
    alert = raise_for(member)
    run_deliveries()
    assert not alert.nobody_on_duty and mail.outbox == []


def test_the_member_is_not_told_about_an_alert_a_peer_raised(
    member: Member,
    peer_worker: Member,
    monday_night: TimeMachineFixture,
    client_for: ClientFor,
    events: Events,
) -> None:
    alert = safety_actions.raise_crisis_alert(member, origin=CrisisAlert.Origin.PEER, summary="A peer is worried")
    page = text(client_for(member).get(reverse("safety:support")))
    assert "seen this yet" not in page
    with events() as sent:
        safety_actions.do_acknowledge_alert(peer_worker, alert.pk)
    assert sent.recipients_of("safety.alert_acknowledged") and sent.events_for(member_group(member.pk)) == []
