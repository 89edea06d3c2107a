"""A member and a coordinator sign in; pages render cleanly and pass axe at desktop and 320 px."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from e2e.conftest import assert_accessible, sign_in


def test_anyone_can_reach_crisis_resources_in_one_tap(page: Page, live_server_url: str) -> None:
    page.goto(live_server_url)
    page.get_by_role("link", name="Need help now?").click()
    expect(page.get_by_role("heading", name="Need help now?")).to_be_visible()
    expect(page.get_by_role("link", name="116 123")).to_have_attribute("href", "tel:116123")
    assert_accessible(page)


def test_member_signs_in_and_sees_a_calm_home(page: Page, live_server_url: str) -> None:
    sign_in(page, live_server_url, "member@example.org")
    expect(page.get_by_role("heading", name="Hello, Robin")).to_be_visible()
    expect(page.get_by_role("link", name="Audit log")).to_have_count(0)
    for path in ("/", "/me/", "/me/preferences/", "/me/sharing/", "/me/invitations/", "/me/security/", "/me/data/"):
        page.goto(live_server_url + path)
        assert_accessible(page)


def test_coordinator_sees_team_pages(page: Page, live_server_url: str) -> None:
    sign_in(page, live_server_url, "coordinator@example.org")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Team tools").click()
    assert_accessible(page)
    page.get_by_role("main").get_by_role("link", name="People").click()
    expect(page.get_by_role("heading", name="People")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Display name").fill("Robin")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Robin", exact=True).click()
    page.get_by_role("button", name="Show contact details").click()
    expect(page.get_by_text("member@example.org")).to_be_visible()
    assert_accessible(page)
    page.goto(live_server_url + "/staff/audit/")
    expect(page.get_by_text("Jo viewed the contact details of Robin")).to_be_visible()
    assert_accessible(page)
    page.goto(live_server_url + "/staff/settings/")
    assert_accessible(page)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_narrow_phone_screen_has_no_sideways_scrolling(
    new_page: Callable[..., Page], page_errors: list[str], live_server_url: str, scheme: str
) -> None:
    page = new_page(viewport={"width": 320, "height": 640}, color_scheme=scheme)
    sign_in(page, live_server_url, "member@example.org")
    for path in ("/", "/me/", "/help/"):
        page.goto(live_server_url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 320px wide"
        assert_accessible(page)
    assert page_errors == []


def test_keyboard_user_can_skip_to_content(page: Page, live_server_url: str) -> None:
    page.goto(live_server_url)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
