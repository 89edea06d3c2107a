"""A recurring gathering shows its next three dates, and a full one offers the waiting list (issue 17)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from e2e.conftest import assert_accessible, sign_in


def test_a_recurring_gathering_shows_the_next_three_dates(page: Page, live_server_url: str) -> None:
    sign_in(page, live_server_url, "member@example.org")
    page.get_by_role("link", name="Chat and gatherings").first.click()
    page.get_by_role("link", name="Quiet games evening").first.click()
    # The demo's weekly games evening has four places and they're taken.
    expect(page.locator("#places")).to_contain_text("Full")
    expect(page.get_by_role("link", name="Add to my calendar (.ics file)")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Every").click()
    expect(page.get_by_role("heading", name="Next dates")).to_be_visible()
    expect(page.locator("#next-dates li")).to_have_count(3)
    expect(page.locator("#next-dates li a").first).to_be_visible()
    assert_accessible(page)
