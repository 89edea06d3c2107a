"""Two members chat live in a gathering's room; the facilitator lowers a raised hand and watches the talk-share meter."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from e2e.conftest import assert_accessible, sign_in


def _open_gathering_room(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/chat/")
    page.get_by_role("link", name="Board games night").click()
    page.get_by_role("link", name="The online room").click()
    expect(page.get_by_role("heading", name="Board games night")).to_be_visible()
    # The page works without JavaScript; wait until the script has the live connection.
    expect(page.locator("#chat[data-live='1']")).to_have_count(1)


def test_two_members_chat_live_and_the_facilitator_balances_the_room(
    new_page: Callable[..., Page], page_errors: list[str], live_server_url: str
) -> None:
    robin = new_page()
    sam = new_page()
    sign_in(robin, live_server_url, "member@example.org")
    sign_in(sam, live_server_url, "volunteer@example.org")
    _open_gathering_room(robin, live_server_url)
    _open_gathering_room(sam, live_server_url)

    robin.get_by_label("Your message").fill("Hello from Robin, first time here")
    robin.get_by_role("button", name="Send").click()
    expect(sam.locator("#messages")).to_contain_text("Hello from Robin, first time here")
    sam.get_by_label("Your message").fill("Welcome Robin! Glad you came.")
    sam.get_by_role("button", name="Send").click()
    expect(robin.locator("#messages")).to_contain_text("Welcome Robin! Glad you came.")

    # Facilitation: only Sam sees the panel; the meter counts Robin's words live.
    expect(robin.get_by_role("heading", name="Facilitation")).to_have_count(0)
    meter = sam.locator("#meter li[data-member]").filter(has_text="Robin")
    expect(meter).to_contain_text("1 message, 6 words")
    robin.get_by_label("Your message").fill("I made a cardboard castle")
    robin.get_by_role("button", name="Send").click()
    expect(meter).to_contain_text("2 messages, 11 words")

    robin.get_by_role("button", name="Raise my hand").click()
    expect(robin.get_by_role("button", name="Lower my hand")).to_be_visible()
    lower = sam.get_by_role("button", name="Lower Robin's hand")
    expect(lower).to_be_visible()
    sam.get_by_text("No hands raised.").wait_for(state="hidden")
    assert_accessible(sam)
    lower.click()
    expect(robin.get_by_text("No hands raised.")).to_be_visible()
    expect(robin.get_by_role("button", name="Raise my hand")).to_be_visible()
    expect(sam.get_by_role("button", name="Lower Robin's hand")).to_have_count(0)
    assert page_errors == []
