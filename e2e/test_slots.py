"""A member books a supporter's time and the one-to-one opens at its time (issue 17).

This test's server lets members book up to the start (``HEARTH_BOOKING_NOTICE_MINUTES=0``), so Priya can offer
a time two minutes ahead and the worker's once-a-minute job opens it while the test watches.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from e2e.conftest import assert_accessible, sign_in


@pytest.fixture
def server_env(server_env: dict[str, str]) -> dict[str, str]:
    return {**server_env, "HEARTH_BOOKING_NOTICE_MINUTES": "0"}


def test_a_member_books_a_time_and_the_one_to_one_opens_at_its_time(
    new_page, page_errors, live_server_url: str
) -> None:
    priya, robin = new_page(), new_page()
    sign_in(priya, live_server_url, "peerworker@example.org")
    sign_in(robin, live_server_url, "member@example.org")

    # Priya offers a time, from Team tools.
    priya.get_by_role("link", name="Team tools").first.click()
    priya.get_by_role("link", name="Times members can book").click()
    start = (datetime.now(ZoneInfo("Europe/London")) + timedelta(minutes=2)).replace(second=0, microsecond=0)
    priya.get_by_label("Starts").fill(start.strftime("%Y-%m-%dT%H:%M"))
    priya.get_by_label("How long").select_option("30")
    priya.get_by_role("button", name="Offer this time").click()
    expect(priya.locator("#my-slots")).to_contain_text("free")
    assert_accessible(priya)

    # Robin books it from Messages.
    robin.get_by_role("link", name="Messages").first.click()
    robin.get_by_role("link", name="Book a time to talk").click()
    label = start.strftime("%H:%M")
    robin.locator("#free-slots li").filter(has_text=label).get_by_role("button").click()
    expect(robin.locator("#my-bookings")).to_contain_text(label)
    assert_accessible(robin)
    expect(priya.locator("#live-notice")).to_contain_text("Robin booked", timeout=20_000)

    # At its time (the worker checks every minute) the one-to-one opens for both, with a notice.
    notice = robin.locator("#live-notice")
    expect(notice).to_contain_text("Your booked one-to-one with Priya is starting", timeout=150_000)
    notice.get_by_role("link", name="Your booked one-to-one with Priya is starting").click()
    expect(robin.get_by_text("A one-to-one with Priya")).to_be_visible()
    expect(robin.locator("#chat[data-live='1']")).to_have_count(1)
    assert page_errors == []
