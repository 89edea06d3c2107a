"""A talk-now message goes through the one screening path: a crisis alerts staff, and volunteers never read it."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse
from time_machine import TimeMachineFixture

from hearth.availability import actions
from hearth.availability.models import TalkRequest
from hearth.core.events import capture_events, member_group
from hearth.core.models import Delivery
from hearth.members.models import Member
from hearth.safety.models import CrisisAlert
from hearth.testing import ClientFor, run_deliveries, text

CRISIS = "I am going to kill myself tonight, I have the pills ready"


def test_a_crisis_left_with_nobody_on_duty_alerts_staff_and_shows_crisis_lines(
    client_for: ClientFor,
    member: Member,
    volunteer: Member,
    peer_worker: Member,
    coordinator: Member,
    clock: TimeMachineFixture,
) -> None:
    client = client_for(member)
    response = client.post(reverse("availability:talk"), {"mode": "text", "message": CRISIS})
    assert response["Location"].startswith(reverse("safety:support"))  # crisis lines first, not a dead end
    page = text(client.get(response["Location"]))
    assert "116 123" in page
    request = TalkRequest.objects.get(member=member)
    assert request.state == TalkRequest.State.MESSAGE and request.crisis and request.urgent
    alert = CrisisAlert.objects.get(member=member)
    assert alert.nobody_on_duty and "talk-now message" in alert.summary and CRISIS not in alert.summary
    with capture_events() as events:
        run_deliveries()
    assert events.recipients_of("safety.alert") == {member_group(p.pk) for p in (peer_worker, coordinator)}
    emailed = set(Delivery.objects.filter(channel="email", kind="safety.alert").values_list("recipient", flat=True))
    assert emailed == {coordinator.pk}  # nobody on duty: the coordinators by email too


def test_a_volunteer_at_the_duty_desk_never_reads_a_crisis_message(
    client_for: ClientFor,
    member: Member,
    volunteer: Member,
    peer_worker: Member,
    on_duty: Callable[..., tuple[Member, ...]],
) -> None:
    actions.do_request_talk(member, message=CRISIS)  # left while nobody was on
    on_duty(volunteer, peer_worker)
    volunteer_page = text(client_for(volunteer).get(reverse("availability:duty")))
    assert "Robin" in volunteer_page and "asked for the staff team" in volunteer_page
    assert "pills" not in volunteer_page and "kill myself" not in volunteer_page
    assert "Reply to Robin" not in volunteer_page  # urgent: a peer worker or counsellor answers
    staff_page = text(client_for(peer_worker).get(reverse("availability:duty")))
    assert "I have the pills ready" in staff_page and "Reply to Robin" in staff_page


def test_a_crisis_while_someone_is_on_waits_for_staff_only(
    client_for: ClientFor,
    member: Member,
    volunteer: Member,
    peer_worker: Member,
    on_duty: Callable[..., tuple[Member, ...]],
) -> None:
    on_duty(volunteer, peer_worker)
    request = actions.do_request_talk(member, message=CRISIS)
    assert request.urgent and request.crisis and request.screening.show_crisis_support
    assert actions.queue_for_supporter(volunteer) == []  # urgent requests go to staff
    assert actions.queue_for_supporter(peer_worker) == [request]
    page = text(client_for(volunteer).get(reverse("availability:duty")))
    assert "pills" not in page


def test_an_ordinary_message_is_screened_and_left_alone(
    member: Member, volunteer: Member, on_duty: Callable[..., tuple[Member, ...]]
) -> None:
    on_duty(volunteer)
    request = actions.do_request_talk(member, message="Rough week, would be nice to chat")
    assert not request.crisis and not request.urgent and not CrisisAlert.objects.exists()
    assert actions.queue_for_supporter(volunteer) == [request]
