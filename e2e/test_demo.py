"""A freshly loaded demo shows Hearth at work (issue 22): each demo account finds its part of the service busy.

On a 320 px phone, as the demo accounts: Priya (peer worker) has a moderation queue with things waiting, the
crisis alert raised a few minutes ago on every page (and last night's, acknowledged, on the alerts page), and a
colleague on the duty desk; Robin (member) has conversations in Messages and notifications waiting. Each page is
checked by axe, and its screenshot kept in ``data/screenshots/demo-*-320.png``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from e2e.conftest import assert_accessible, sign_in

PHONE = {"viewport": {"width": 320, "height": 568}, "device_scale_factor": 1, "is_mobile": True, "has_touch": True}
SHOTS = Path(__file__).resolve().parent.parent / "data" / "screenshots"


def _top(element: Locator) -> float:
    """Where ``element`` starts, in CSS pixels from the top of the page."""
    box = element.bounding_box()
    assert box is not None, "the element is not shown"
    return box["y"]


def _look(page: Page, name: str) -> None:
    """axe finds nothing serious; what the page is for starts in the top third of the phone (an open crisis
    alert's banner, for staff, comes first of all); the screenshot is kept."""
    assert_accessible(page)
    tops = [_top(page.locator("main h1").first)]
    banner = page.get_by_role("alert").first
    if banner.count():
        tops.append(_top(banner))
    assert min(tops) < 568 / 3, f"{name}: the page's content starts in the top third of a phone"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"demo-{name}-320.png"))


def _open(page: Page, link: str) -> None:
    """Follow a link from the main menu, as a person on a phone would."""
    page.get_by_role("button", name="Menu").tap()
    page.get_by_role("navigation", name="Main").get_by_role("link", name=link).tap()


def test_the_peer_worker_finds_the_queue_alerts_and_duty_desk_busy(
    new_page: Callable[..., Page], page_errors: list[str], live_server_url: str
) -> None:
    priya = new_page(**PHONE)
    sign_in(priya, live_server_url, "peerworker@example.org")
    # A member's self-assessment said, minutes ago, that they may not be safe: on every page until someone has it.
    banner = priya.get_by_role("alert").filter(has_text="may be at risk now (their self-assessment)")
    expect(banner).to_be_visible()
    expect(banner.get_by_role("button", name="I've got this")).to_be_visible()

    priya.goto(f"{live_server_url}/moderation/")
    expect(priya.get_by_role("heading", name="Moderation queue", level=1)).to_be_visible()
    waiting = priya.get_by_role("main").get_by_role("article")
    expect(waiting.first).to_contain_text("Review")
    assert waiting.count() >= 3
    _look(priya, "moderation-queue")

    priya.get_by_role("main").get_by_role("link", name="Crisis alerts").tap()
    expect(priya.get_by_role("heading", name="Crisis alerts", level=1)).to_be_visible()
    main = priya.get_by_role("main")
    expect(main.get_by_role("article")).to_have_count(1)
    expect(main.get_by_role("article").get_by_role("button", name="I've got this")).to_be_visible()
    recent = main.get_by_role("region", name="Acknowledged in the last week")
    expect(recent).to_contain_text("nobody on duty")
    expect(recent).to_contain_text("Jo had it 4 minutes later")
    _look(priya, "alerts")

    priya.goto(f"{live_server_url}/duty/")
    expect(priya.get_by_role("heading", name="Duty desk", level=1)).to_be_visible()
    team = priya.get_by_role("region", name="On duty now (1)")
    expect(team.get_by_role("listitem")).to_have_count(1)
    expect(team).not_to_contain_text("Nobody is checked in.")
    expect(priya.get_by_role("button", name="Check in")).to_be_visible()  # the demo accounts start off duty
    _look(priya, "duty-desk")
    assert page_errors == []


def test_the_member_finds_conversations_and_notifications_waiting(
    new_page: Callable[..., Page], page_errors: list[str], live_server_url: str
) -> None:
    robin = new_page(**PHONE)
    sign_in(robin, live_server_url, "member@example.org")
    _open(robin, "Messages")
    expect(robin.get_by_role("heading", name="Messages", level=1)).to_be_visible()
    conversations = robin.locator("#inbox .inbox-entry")
    expect(conversations.first).to_be_visible()
    assert conversations.count() >= 2
    expect(robin.locator("#inbox")).to_contain_text("Priya")
    _look(robin, "inbox")

    _open(robin, "Notifications")
    main = robin.get_by_role("main")
    expect(main).to_contain_text("replied to your post in Tuesday Makers")
    expect(main).to_contain_text("There's an answer about something you reported.")
    _look(robin, "notifications")
    assert page_errors == []
