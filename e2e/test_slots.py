"""A member books a supporter's time and the one-to-one opens at its time (issue 17).

This test's server lets members book up to the start (``HEARTH_BOOKING_NOTICE_MINUTES=0``), so Priya can offer
a time two minutes ahead. Then, instead of waiting up to three minutes of real time, the test sets the clock
itself: it moves the booked time to a moment ago and makes the worker's once-a-minute job due now, and watches the
worker open it (the job's own timing is tested in ``hearth/chat/tests``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from e2e.conftest import assert_accessible, sign_in


@pytest.fixture
def server_env(server_env: dict[str, str]) -> dict[str, str]:
    return {**server_env, "HEARTH_BOOKING_NOTICE_MINUTES": "0"}


def _its_time_has_come(server_env: dict[str, str], start: datetime) -> None:
    """The slot booked for ``start`` starts a second ago, and the job that opens booked one-to-ones is due now."""
    now = datetime.now(UTC).replace(tzinfo=None)
    start = start.astimezone(UTC).replace(tzinfo=None)
    stamp = str  # how Django stores a naive UTC datetime in SQLite: "2026-12-06 03:09:00[.123456]"
    with sqlite3.connect(Path(server_env["HEARTH_DATA_DIR"]) / "e2e.sqlite3", timeout=30) as db:
        moved = db.execute(
            "UPDATE chat_slot SET starts_at = ?, ends_at = ? WHERE starts_at = ? AND member_id IS NOT NULL",
            (stamp(now - timedelta(seconds=1)), stamp(now + timedelta(minutes=30)), stamp(start)),
        ).rowcount
        db.execute("UPDATE core_periodicjob SET due_at = ? WHERE name LIKE '%open_booked_slots'", (stamp(now),))
    assert moved == 1, f"{moved} booked slots start at {start}"


def test_a_member_books_a_time_and_the_one_to_one_opens_at_its_time(
    new_page: Callable[..., Page], page_errors: list[str], server_env: dict[str, str], live_server_url: str
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
    # By its day as well as its time: the demo offers times of its own, one of which may share the hour.
    robin.get_by_role("button", name=f"Book {start:%A} {start.day} {start:%B}, {label}").click()
    expect(robin.locator("#my-bookings")).to_contain_text(label)
    assert_accessible(robin)
    expect(priya.locator("#live-notice")).to_contain_text("Robin booked", timeout=20_000)

    # At its time the worker's job opens the one-to-one for both, with a notice.
    _its_time_has_come(server_env, start)
    notice = robin.locator("#live-notice")
    expect(notice).to_contain_text("Your booked one-to-one with Priya is starting", timeout=30_000)
    notice.get_by_role("link", name="Your booked one-to-one with Priya is starting").click()
    expect(robin.get_by_text("A one-to-one with Priya")).to_be_visible()
    expect(robin.locator("#chat[data-live='1']")).to_have_count(1)
    assert page_errors == []
