"""Open crisis alerts show on every page of everyone who may handle them, until someone acknowledges."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from pytest_django import DjangoCaptureOnCommitCallbacks, Settings
from time_machine import TimeMachineFixture

from hearth.availability import actions as availability
from hearth.core.events import capture_events, member_group
from hearth.members.models import Member
from hearth.safety import actions as safety_actions
from hearth.safety.models import CrisisAlert
from hearth.testing import ClientFor, FakeSMTPServer, run_deliveries, text, visible_text


@pytest.fixture
def clock(time_machine: TimeMachineFixture) -> TimeMachineFixture:
    time_machine.move_to("2026-11-24T20:00:00+00:00", tick=False)
    return time_machine


def raise_for(member: Member) -> CrisisAlert:
    return safety_actions.raise_crisis_alert(member, origin=CrisisAlert.Origin.MESSAGE, summary="Triage: post — a plan")


@pytest.mark.parametrize("page", ["core:home", "availability:duty", "community:directory"])
def test_every_page_of_staff_shows_the_open_alert_and_survives_a_reload(
    client_for: ClientFor,
    member: Member,
    peer_worker: Member,
    page: str,
    clock: TimeMachineFixture,
) -> None:
    alert = raise_for(member)
    html = text(client_for(peer_worker).get(reverse(page)))
    assert f'data-banner="alert-{alert.pk}"' in html
    assert "Crisis alert: Robin may be at risk now (something they wrote)." in html
    assert "hearth/alerts.js" in html and "I've got this" in html


@pytest.mark.parametrize("who", ["member", "volunteer", "outsider"])
def test_people_who_dont_handle_alerts_never_see_them(
    request: pytest.FixtureRequest,
    client_for: ClientFor,
    member: Member,
    peer_worker: Member,
    who: str,
    clock: TimeMachineFixture,
) -> None:
    raise_for(member)
    html = text(client_for(request.getfixturevalue(who)).get(reverse("core:home")))
    assert "Crisis alert" not in html and "alerts.js" not in html and "page-banners" not in html


def test_acknowledging_from_a_banner_clears_it_everywhere_and_goes_back(
    client_for: ClientFor,
    member: Member,
    peer_worker: Member,
    counsellor: Member,
    coordinator: Member,
    clock: TimeMachineFixture,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    alert = raise_for(member)
    with capture_events() as events, django_capture_on_commit_callbacks(execute=True):
        response = client_for(counsellor).post(
            reverse("safety:acknowledge", args=[alert.pk]), {"next": reverse("availability:duty")}
        )
    assert response["Location"] == reverse("availability:duty")
    assert events.recipients_of("safety.alert_acknowledged") == {
        member_group(p.pk) for p in (peer_worker, counsellor, coordinator)
    }
    assert "data-banner=" not in text(client_for(peer_worker).get(reverse("core:home")))
    # The second person to press it hears who has it; nothing changes.
    client = client_for(peer_worker)
    client.post(reverse("safety:acknowledge", args=[alert.pk]), {"next": "https://elsewhere.example/"})
    assert CrisisAlert.objects.get(pk=alert.pk).acknowledged_by == counsellor
    assert "Dr Okafor already has this one." in text(client.get(reverse("safety:alert", args=[alert.pk])))


def test_the_alert_page_says_what_reached_whom(
    client_for: ClientFor,
    member: Member,
    peer_worker: Member,
    coordinator: Member,
    settings: Settings,
    clock: TimeMachineFixture,
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", FakeSMTPServer.refusing()
    settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT = False, 5
    alert = raise_for(member)  # nobody on duty: the coordinator by email too
    run_deliveries()
    from hearth.core import deliveries

    live = next(d for d in deliveries.deliveries_about(alert) if d.channel == "live" and d.recipient == peer_worker)
    deliveries.record_screen(live.pk, peer_worker, "screen-a")
    page = text(client_for(coordinator).get(reverse("safety:alert", args=[alert.pk])))
    assert "live to 1 screen, first seen by Priya 20:00:00" in page
    assert "email failed 1 time: connection refused" in page
    assert "Nobody has said they've got this yet." in page


@pytest.mark.parametrize("who", ["member", "volunteer"])
def test_only_people_who_handle_alerts_open_or_acknowledge_one(
    request: pytest.FixtureRequest,
    client_for: ClientFor,
    member: Member,
    who: str,
    clock: TimeMachineFixture,
) -> None:
    alert = raise_for(member)
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("safety:alert", args=[alert.pk])).status_code == 403
    assert client.post(reverse("safety:acknowledge", args=[alert.pk])).status_code == 403
    assert CrisisAlert.objects.get(pk=alert.pk).acknowledged_at is None
    with pytest.raises(PermissionDenied):
        safety_actions.do_acknowledge_alert(request.getfixturevalue(who), alert.pk)


def test_the_banner_fragment_is_what_a_page_fetches_after_a_dropped_connection(
    client_for: ClientFor, member: Member, peer_worker: Member, clock: TimeMachineFixture
) -> None:
    alert = raise_for(member)
    assert f'data-banner="alert-{alert.pk}"' in text(client_for(peer_worker).get(reverse("core:banners")))
    availability.do_check_in(peer_worker)
    safety_actions.do_acknowledge_alert(peer_worker, alert.pk)
    assert "data-banner=" not in text(client_for(peer_worker).get(reverse("core:banners")))


def test_a_second_crisis_from_the_same_person_joins_the_open_alert(
    member: Member, peer_worker: Member, clock: TimeMachineFixture
) -> None:
    first = raise_for(member)
    second = safety_actions.raise_crisis_alert(
        member, origin=CrisisAlert.Origin.INTAKE, summary="Self-assessment: not safe"
    )
    assert second.pk == first.pk and "then: Self-assessment" in CrisisAlert.objects.get(pk=first.pk).summary
    safety_actions.do_acknowledge_alert(peer_worker, first.pk)
    assert raise_for(member).pk != first.pk  # once someone has it, a new crisis is a new alert


def test_an_acknowledged_alert_stays_on_the_alerts_page_for_a_week(
    client_for: ClientFor,
    member: Member,
    peer_worker: Member,
    coordinator: Member,
    clock: TimeMachineFixture,
) -> None:
    alert = raise_for(member)
    clock.shift(240)
    safety_actions.do_acknowledge_alert(coordinator, alert.pk)
    page = visible_text(client_for(peer_worker).get(reverse("safety:alerts")))
    assert "No open alerts." in page
    assert (
        "Acknowledged in the last week Robin · raised Tuesday 20:00, nobody on duty · Jo had it 4 minutes later" in page
    )
    assert reverse("safety:alert", args=[alert.pk]) in text(client_for(peer_worker).get(reverse("safety:alerts")))
    clock.shift(8 * 24 * 3600)
    assert "Acknowledged in the last week" not in visible_text(client_for(peer_worker).get(reverse("safety:alerts")))
