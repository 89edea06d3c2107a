"""A peer worker opens the care queue, sees the reasons, claims someone, sends a check-in and records how it went."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from e2e.conftest import assert_accessible, sign_in

REASON = "hasn't been in for 12 days — usually here every 2 days"


def test_peer_worker_reaches_out_from_the_care_queue(page: Page, live_server_url: str) -> None:
    sign_in(page, live_server_url, "peerworker@example.org")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Team tools").click()
    page.get_by_role("main").get_by_role("link", name="Care queue").click()
    expect(page.get_by_role("heading", name="Care queue", level=1)).to_be_visible()
    # The demo's story: reasons in plain words, most in need first.
    expect(page.get_by_text("Wrote something worrying: feeling hopeless")).to_be_visible()
    expect(page.get_by_text("mood 2/5 three check-ins running")).to_be_visible()
    entry = page.locator("article.care-entry").filter(has_text=REASON)
    expect(entry).to_have_count(1)
    name = entry.get_by_role("heading").inner_text()
    assert_accessible(page)

    entry.get_by_role("button", name=f"I'll reach out to {name}").click()
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()
    expect(page.get_by_text(f"You're reaching out to {name}.")).to_be_visible()
    expect(page.get_by_text(REASON)).to_be_visible()

    page.get_by_label("Check-in message").fill("Hi, just checking in — we've missed you. How are things?")
    page.get_by_role("button", name="Send check-in").click()
    expect(page.get_by_text(f"Check-in sent to {name} in your one-to-one.")).to_be_visible()
    page.get_by_role("link", name="Open the one-to-one").click()
    expect(page.locator("#messages")).to_contain_text("we've missed you")
    page.go_back()

    page.get_by_label("One-to-one chat").check()
    page.get_by_label("Glad of the chat").check()
    page.get_by_label("Note for the team (optional, staff only, stored encrypted)").fill("Busy with a new job, fine.")
    page.get_by_role("button", name="Record check-in").click()
    expect(page.get_by_text("Thanks — the check-in is recorded.")).to_be_visible()
    expect(page.locator("article.care-entry").filter(has_text=REASON)).to_have_count(0)
    assert_accessible(page)
