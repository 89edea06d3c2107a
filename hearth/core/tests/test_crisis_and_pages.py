from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from hearth.core import crisis
from hearth.testing import text


@pytest.fixture(autouse=True)
def _fresh_resources() -> Iterator[None]:
    crisis.crisis_resources.cache_clear()
    yield
    crisis.crisis_resources.cache_clear()


def test_uk_defaults_are_one_tap_links(client: Client, db: None) -> None:
    page = text(client.get(reverse("core:help")))
    assert 'href="tel:116123"' in page and "Samaritans" in page
    assert 'href="sms:85258?body=SHOUT"' in page
    assert "option 2" in page and 'href="tel:999"' in page


def test_need_help_now_is_on_every_page_even_signed_out(client: Client, db: None) -> None:
    assert "Need help now?" in text(client.get(reverse("members:signin")))
    assert "Need help now?" in text(client.get(reverse("core:home")))


def test_organisations_configure_their_own_lines(client: Client, db: None, settings: Settings) -> None:
    settings.HEARTH_CRISIS_RESOURCES = [{"name": "Lifeline", "contact": "13 11 14", "how": "Call", "hours": "24/7"}]
    settings.HEARTH_EMERGENCY_NUMBER = "000"
    page = text(client.get(reverse("core:help")))
    assert "Lifeline" in page and 'href="tel:131114"' in page and "Samaritans" not in page
    assert "call 000" in page


def test_a_resource_without_a_contact_is_a_configuration_error(settings: Settings) -> None:
    settings.HEARTH_CRISIS_RESOURCES = [{"name": "Somewhere"}]
    with pytest.raises(ImproperlyConfigured, match="'contact'"):
        crisis.crisis_resources()


def test_pages_send_a_strict_content_security_policy(client: Client, db: None) -> None:
    policy = client.get(reverse("core:home"))["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy and "unsafe-inline" not in policy
