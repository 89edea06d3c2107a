"""Talk now, end to end: the fallback when nobody is on; a supporter in another browser accepts and they chat."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from e2e.conftest import assert_accessible, check_out_everyone, sign_in


def test_with_nobody_on_duty_the_member_is_never_at_a_dead_end(
    page: Page, live_server_url: str, server_env: dict[str, str]
) -> None:
    check_out_everyone(page, live_server_url, server_env)  # the demo has a peer worker on duty now
    sign_in(page, live_server_url, "member@example.org")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Talk to someone").click()
    expect(page.get_by_role("heading", name="Nobody from the team is online right now")).to_be_visible()
    expect(page.get_by_role("link", name="116 123")).to_be_visible()
    expect(page.get_by_text("The next supporter is on")).to_be_visible()
    expect(page.get_by_role("link", name="Leave a message")).to_be_visible()
    assert_accessible(page)


def test_member_asks_to_talk_a_supporter_accepts_and_they_chat(
    new_page: Callable[..., Page], page_errors: list[str], live_server_url: str
) -> None:
    sam = new_page()
    sign_in(sam, live_server_url, "volunteer@example.org")
    sam.goto(f"{live_server_url}/duty/")
    sam.get_by_role("button", name="Check in").click()
    try:
        expect(sam.get_by_text("Nobody is waiting right now.")).to_be_visible()
        sam.wait_for_timeout(500)  # the duty desk's websocket connects

        robin = new_page()
        sign_in(robin, live_server_url, "member@example.org")
        robin.goto(f"{live_server_url}/talk/")
        robin.get_by_label("Anything you'd like them to know first? (optional)").fill("Bit of a rough day")
        robin.get_by_role("button", name="Ask to talk now").click()
        expect(robin.get_by_role("heading", name="You're in the queue")).to_be_visible()
        assert_accessible(robin)
        robin.wait_for_timeout(500)  # the member's websocket connects

        # The request appears on Sam's open duty desk without a reload.
        take = sam.get_by_role("button", name="Talk with Robin")
        expect(take).to_be_visible(timeout=10_000)
        assert_accessible(sam)
        take.click()
        expect(sam.locator("#chat[data-live='1']")).to_have_count(1)

        # Robin's page updates by itself: someone is here.
        expect(robin.get_by_role("heading", name="Sam is here for you")).to_be_visible(timeout=10_000)
        robin.get_by_role("link", name="Open your conversation").click()
        expect(robin.locator("#chat[data-live='1']")).to_have_count(1)

        sam.get_by_label("Your message").fill("Hi Robin, I'm Sam. How are you doing?")
        sam.get_by_role("button", name="Send").click()
        expect(robin.locator("#messages")).to_contain_text("Hi Robin, I'm Sam.")
        robin.get_by_label("Your message").fill("Thanks for being here")
        robin.get_by_role("button", name="Send").click()
        expect(sam.locator("#messages")).to_contain_text("Thanks for being here")
    finally:
        sam.goto(f"{live_server_url}/duty/")
        sam.get_by_role("button", name="Check out").click()
    assert page_errors == []
