"""A crisis message, end to end: the writer sees support at once; an on-duty peer worker is alerted live and acknowledges."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from e2e.conftest import assert_accessible, sign_in

CRISIS = "I can't do this anymore. I've got the tablets counted out and I'm taking them all tonight."


def test_crisis_post_reaches_the_peer_worker_on_duty_live(
    new_page: Callable[..., Page], page_errors: list[str], live_server_url: str
) -> None:
    worker = new_page()
    sign_in(worker, live_server_url, "peerworker@example.org")
    worker.goto(f"{live_server_url}/duty/")
    worker.get_by_role("button", name="Check in").click()
    expect(worker.get_by_text("You're on duty.")).to_be_visible()
    try:
        worker.goto(f"{live_server_url}/moderation/alerts/")
        expect(worker.get_by_role("heading", name="Crisis alerts")).to_be_visible()
        expect(worker.get_by_role("article").filter(has_text="Robin")).to_have_count(0)
        worker.wait_for_timeout(500)  # the page's websocket connects

        member = new_page()
        sign_in(member, live_server_url, "member@example.org")
        member.goto(f"{live_server_url}/groups/")
        member.get_by_role("region", name="Your groups").get_by_role("link", name="Carers' Corner").click()
        member.get_by_text("Share something").click()
        member.get_by_role("textbox", name="Write something").fill(CRISIS)
        member.get_by_role("button", name="Share with the group").click()

        expect(member.get_by_role("heading", name="You don't have to go through this alone")).to_be_visible()
        expect(member.get_by_role("link", name="Talk to someone now")).to_be_visible()
        expect(member.get_by_role("link", name="116 123")).to_be_visible()
        assert_accessible(member)

        # The alert arrives on the peer worker's open page without a manual reload.
        alert = worker.get_by_role("article").filter(has_text="Robin")
        expect(alert).to_be_visible(timeout=10_000)
        assert_accessible(worker)
        alert.get_by_role("button", name="I've got this").click()
        # (The page also refreshes itself on the acknowledgement event, so check the state, not the flash message.)
        expect(worker.get_by_role("article").filter(has_text="Robin")).to_have_count(0)
    finally:
        worker.goto(f"{live_server_url}/duty/")
        worker.get_by_role("button", name="Check out").click()
    assert page_errors == []
