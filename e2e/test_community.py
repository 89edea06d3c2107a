"""Quiet mode in a real browser: a low-energy member reads and reacts, and is never nudged to post."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from e2e.conftest import assert_accessible, sign_in

ROBIN = "member@example.org"


def _open_carers_corner(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/groups/")
    page.get_by_role("region", name="Your groups").get_by_role("link", name="Carers' Corner").click()
    expect(page.get_by_role("heading", level=1, name="Carers' Corner")).to_be_visible()


def test_low_energy_member_reads_and_reacts_without_prompts(page: Page, live_server_url: str) -> None:
    sign_in(page, live_server_url, ROBIN)
    energy = page.get_by_role("group", name="Your energy today")
    energy.get_by_role("button", name="Low").click()
    expect(page.get_by_text("Quiet mode is on")).to_be_visible()
    expect(page.get_by_role("group", name="Your energy today").get_by_role("button", name="Low")).to_have_attribute(
        "aria-pressed", "true"
    )

    try:
        _open_carers_corner(page, live_server_url)
        # No posting prompt.
        expect(page.get_by_text("Share something")).to_have_count(0)
        expect(page.get_by_role("textbox", name="Write something")).to_have_count(0)
        expect(page.get_by_role("link", name="Reply", exact=True)).to_have_count(0)

        # Heavy posts are folded: the note is shown, the words are not, until opened.
        heavy = page.locator("details.folded.heavy").first
        expect(heavy.locator("summary")).to_contain_text("Hidden while you're in quiet mode. Content note:")
        expect(heavy).not_to_have_attribute("open", "")
        expect(heavy.locator(".post-body")).to_be_hidden()
        heavy.locator("summary").click()
        expect(heavy.locator(".post-body")).to_be_visible()

        # One tap to react; the button shows it's pressed (HTMX swaps the post in place).
        post = page.locator("article.post").first
        hug = post.get_by_role("button", name="Hug")
        pressed = hug.get_attribute("aria-pressed") == "true"
        hug.click()
        expect(page.locator("article.post").first.get_by_role("button", name="Hug")).to_have_attribute(
            "aria-pressed", "false" if pressed else "true"
        )
        assert_accessible(page)
    finally:
        page.get_by_role("group", name="Your energy today").get_by_role("button", name="Not saying").click()


def test_energy_control_and_group_page_fit_a_320px_screen(
    new_page: Callable[..., Page], live_server_url: str, page_errors: list[str]
) -> None:
    page = new_page(viewport={"width": 320, "height": 640})
    sign_in(page, live_server_url, ROBIN)
    _open_carers_corner(page, live_server_url)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"the page scrolls sideways at 320px ({width}px wide)"
    low = page.get_by_role("group", name="Your energy today").get_by_role("button", name="Low")
    box = low.bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] >= 44
    low.focus()
    page.keyboard.press("Enter")  # keyboard-usable
    expect(page.get_by_text("Quiet mode is on").first).to_be_visible()
    page.get_by_role("group", name="Your energy today").get_by_role("button", name="Not saying").click()
    assert page_errors == []
