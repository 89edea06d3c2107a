"""Throttles: counted in the shared store, per account and per address, and they say when to try again."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from pytest_django import Settings

from hearth.conftest import PASSWORD
from hearth.core import throttle
from hearth.members import actions as member_actions
from hearth.members.models import Member
from hearth.testing import visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_store() -> None:
    from django.core.cache import caches

    caches["throttle"].clear()


def _sign_in(address: str, email: str, password: str, **extra: Any) -> tuple[int, str]:
    response = Client(REMOTE_ADDR=address, **extra).post(
        reverse("members:signin"), {"email": email, "password": password}
    )
    return response.status_code, visible_text(response) if response.status_code != 302 else ""


def test_one_address_cannot_lock_out_another_persons_account(member: Member) -> None:
    for _ in range(member_actions.SIGN_IN_FAILURES_PER_ACCOUNT + 2):
        _sign_in("203.0.113.9", member.email, "guessing")
    status, page = _sign_in("203.0.113.9", member.email, PASSWORD)
    assert status == 429 and "Please try again in" in page  # the guesser is stopped ...
    assert _sign_in("198.51.100.7", member.email, PASSWORD)[0] == 302  # ... and Robin, elsewhere, is not


def test_many_accounts_tried_from_one_address_stop_that_address(member: Member, volunteer: Member) -> None:
    for n in range(member_actions.SIGN_IN_FAILURES_PER_ADDRESS):
        _sign_in("203.0.113.9", f"someone{n}@example.org", "guessing")
    assert _sign_in("203.0.113.9", volunteer.email, PASSWORD)[0] == 429
    assert _sign_in("198.51.100.7", volunteer.email, PASSWORD)[0] == 302


def test_behind_a_proxy_that_does_not_say_whom_for_nobody_is_locked_out_together(
    member: Member, volunteer: Member, settings: Settings
) -> None:
    settings.HEARTH_TRUSTED_PROXIES = ["10.0.0.0/8"]
    for n in range(member_actions.SIGN_IN_FAILURES_PER_ADDRESS + 5):
        _sign_in("10.0.0.2", f"someone{n}@example.org", "guessing")  # every request "from" the proxy
    assert _sign_in("10.0.0.2", volunteer.email, PASSWORD)[0] == 302


def test_the_forwarded_header_is_ignored_unless_the_proxy_is_trusted() -> None:
    factory = RequestFactory()
    request = factory.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7, 10.0.0.3")
    assert throttle.client_address(request) == "10.0.0.2"  # no proxies are trusted by default: header ignored
    request = factory.get("/", REMOTE_ADDR="198.51.100.8", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert throttle.client_address(request) == "198.51.100.8"


def test_a_trusted_proxy_passes_on_the_address_when_listed(settings: Settings) -> None:
    settings.HEARTH_TRUSTED_PROXIES = ["10.0.0.0/8"]
    factory = RequestFactory()
    request = factory.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7, 10.0.0.3")
    assert throttle.client_address(request) == "198.51.100.7"  # what the client wrote in front is not believed


def test_password_reset_emails_are_limited_and_the_page_says_when_to_try_again(member: Member) -> None:
    from hearth.core.models import Delivery

    client = Client(REMOTE_ADDR="198.51.100.7")
    for _ in range(member_actions.RESETS_PER_ACCOUNT.times):
        assert client.post(reverse("members:password_reset"), {"email": member.email}).status_code == 302
    response = client.post(reverse("members:password_reset"), {"email": member.email})
    assert response.status_code == 429 and "try again in" in visible_text(response)
    assert Delivery.objects.filter(kind="members.password_reset").count() == member_actions.RESETS_PER_ACCOUNT.times


def test_the_count_is_shared_not_per_process() -> None:
    from django.conf import settings

    assert settings.CACHES["throttle"]["BACKEND"] in (
        "django.core.cache.backends.db.DatabaseCache",
        "django.core.cache.backends.redis.RedisCache",
    )


def test_when_reads_kindly() -> None:
    assert throttle.when(5) == "in a minute"
    assert throttle.when(14 * 60 + 3) == "in 15 minutes"
    assert throttle.when(3 * 3600) == "in 3 hours"


def test_messages_left_while_nobody_is_on_email_the_coordinators_a_few_times_not_every_time(
    member: Member, coordinator: Member
) -> None:
    from hearth.availability import actions as talk
    from hearth.availability.models import TalkRequest
    from hearth.core.models import Delivery

    for n in range(6):
        talk.do_request_talk(member, message=f"Message {n}: is anyone there?")
        TalkRequest.objects.filter(member=member).update(state=TalkRequest.State.CANCELLED)  # and again
    emails = Delivery.objects.filter(kind="availability.talk_request", recipient=coordinator)
    assert emails.count() == talk.TALK_EMAILS_PER_MEMBER.times
    assert TalkRequest.objects.filter(member=member).count() == 6  # every message is still saved for the desk
