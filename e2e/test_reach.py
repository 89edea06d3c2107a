"""Everything reachable, everything heard (issue 14), as a member and the team would find it.

- A member finds tonight's drop-in from the home page in two taps, on a 320 px phone.
- A check-in a peer worker sends shows as an unread message in the member's header within 2 seconds.
- A gathering announced in a group appears on a member's home page (live, then on every visit).
- With the page closed, a staff crisis alert arrives as a push at a (local, fake) push service, encrypted to
  the device; the service worker registers and the manifest is valid.
- Chat tells the truth: a message shows as sending, then sent; live messages carry Report/Edit/Delete.
- axe finds nothing serious on the new pages; 320 px screenshots show content in the top third.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from e2e.conftest import assert_accessible, sign_in
from hearth.core import push
from hearth.testing import FakePushService

PHONE = {"viewport": {"width": 320, "height": 568}, "device_scale_factor": 1, "is_mobile": True, "has_touch": True}
SHOTS = Path(__file__).resolve().parent.parent / "data" / "screenshots"
CRISIS = "I can't do this anymore. I've got the tablets counted out and I'm taking them all tonight."


def _content_top(page: Page) -> float:
    """Where the page's own content starts (the first heading in main), in CSS pixels from the top."""
    box = page.locator("main h1").first.bounding_box()
    assert box is not None, "the page has no heading in main"
    return float(box["y"])


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"reach-{name}-320.png"))


def test_a_member_finds_tonights_drop_in_in_two_taps(
    new_page: Callable[..., Page], page_errors: list[str], live_server_url: str
) -> None:
    robin = new_page(**PHONE)
    sign_in(robin, live_server_url, "member@example.org")
    # The demo opened "Gamers' evening drop-in" on today's weekday, 19:00 to 21:30, in Co-op Gamers (Robin's in it).
    coming_up = robin.get_by_role("region", name="Coming up")
    expect(coming_up).to_be_visible()
    assert _content_top(robin) < 568 / 3, "the home page's content starts in the top third of a phone"
    _shot(robin, "home")
    coming_up.get_by_role("link", name="Gamers' evening drop-in").tap()  # tap one
    expect(robin.get_by_role("heading", name="Gamers' evening drop-in", level=1)).to_be_visible()
    expect(robin.get_by_text("Drop-in,")).to_be_visible()
    # ...or through the menu: Menu, Chat and gatherings, the drop-in (the menu button is one tap to open).
    robin.goto(live_server_url + "/")
    robin.get_by_role("button", name="Menu").tap()
    robin.get_by_role("navigation", name="Main").get_by_role("link", name="Chat and gatherings").tap()
    robin.get_by_role("link", name="Gamers' evening drop-in").first.tap()  # tap two (after the menu)
    expect(robin.get_by_role("heading", name="Gamers' evening drop-in", level=1)).to_be_visible()
    assert page_errors == []


def test_a_check_in_shows_as_unread_in_the_members_header_within_two_seconds(
    new_page: Callable[..., Page], page_errors: list[str], live_server_url: str
) -> None:
    robin = new_page()
    sign_in(robin, live_server_url, "member@example.org")
    # Robin has read everything (the demo left her a reply from Priya): the count is of conversations waiting.
    robin.get_by_role("navigation", name="Main").get_by_role("link", name="Messages").click()
    robin.get_by_role("main").get_by_role("link", name="Priya").first.click()
    robin.goto(live_server_url + "/")
    badge = robin.locator('.site-nav .badge[data-count="messages"]')
    expect(badge).to_be_hidden()
    before = 0
    robin.wait_for_timeout(500)  # the header's socket (/ws/me/) connects

    priya = new_page()
    sign_in(priya, live_server_url, "peerworker@example.org")
    priya.goto(live_server_url + "/people/?q=Robin")  # the People page, searched
    priya.get_by_role("main").get_by_role("link", name="Robin", exact=True).click()
    priya.get_by_role("link", name="Care: check-ins, follow-ups and what they share").click()
    priya.get_by_label("Check-in message").fill("Hi Robin, just checking in. How has your week been?")
    priya.get_by_role("button", name="Send check-in").click()
    expect(priya.get_by_text("Check-in sent to Robin")).to_be_visible()
    sent = time.monotonic()
    expect(badge).to_have_text(re.compile(rf"^{before + 1}\b"), timeout=2_000)
    assert time.monotonic() - sent < 2.0
    robin.get_by_role("link", name="Messages").click()
    expect(robin.get_by_role("main")).to_contain_text("Priya")
    assert_accessible(robin)
    assert page_errors == []


def test_a_gathering_announced_in_a_group_appears_on_members_home_pages(
    new_page: Callable[..., Page], page_errors: list[str], live_server_url: str
) -> None:
    robin = new_page()
    sign_in(robin, live_server_url, "member@example.org")
    robin.wait_for_timeout(500)

    sam = new_page()
    sign_in(sam, live_server_url, "volunteer@example.org")
    sam.get_by_role("navigation", name="Main").get_by_role("link", name="Chat and gatherings").click()
    sam.get_by_role("listitem").filter(has_text="Co-op Gamers").get_by_role("link", name="schedule a gathering").click()
    start = time.localtime(time.time() + 2 * 86400)
    day = time.strftime("%Y-%m-%d", start)
    sam.get_by_label("Title").fill("Puzzle evening")
    sam.get_by_label("Starts").fill(f"{day}T19:00")
    sam.get_by_label("Ends").fill(f"{day}T20:30")
    sam.get_by_label("Format").select_option("online")
    sam.get_by_role("button", name="Save").click()
    expect(sam.get_by_role("heading", name="Puzzle evening")).to_be_visible()

    # Robin's open home page hears it (a calm notice, and Coming up refreshed), and it stays there.
    expect(robin.locator("#live-notice")).to_contain_text("New in Co-op Gamers: Puzzle evening", timeout=5_000)
    robin.reload()
    expect(robin.get_by_role("region", name="Coming up").get_by_role("link", name="Puzzle evening")).to_be_visible()
    robin.get_by_role("navigation", name="Main").get_by_role("link", name="Notifications").click()
    expect(robin.get_by_role("main")).to_contain_text("New in Co-op Gamers: Puzzle evening")
    assert_accessible(robin)
    robin.get_by_role("link", name="Choose what you're told about, and how").click()
    expect(robin.get_by_role("heading", name="What you're told about, and how")).to_be_visible()
    assert_accessible(robin)
    assert page_errors == []


@pytest.fixture
def push_service() -> Iterator[FakePushService]:
    with FakePushService() as service:
        yield service


@pytest.fixture
def push_server_url(server_env: dict[str, str], push_service: FakePushService, request: pytest.FixtureRequest) -> str:
    """The live server with web push set up, allowed to push to the fake service on loopback."""
    server_env["HEARTH_VAPID_PRIVATE_KEY"] = push.new_key_pair()[0]
    server_env["HEARTH_VAPID_SUBJECT"] = "mailto:coordinator@example.org"
    server_env["HEARTH_PUSH_SERVICES"] = "127.0.0.1"
    return str(request.getfixturevalue("live_server_url"))


def test_with_the_page_closed_a_staff_alert_arrives_as_a_push(
    new_page: Callable[..., Page], page_errors: list[str], push_server_url: str, push_service: FakePushService
) -> None:
    priya = new_page()
    sign_in(priya, push_server_url, "peerworker@example.org")
    # The app is installable: the service worker takes charge and the manifest says what to install.
    assert priya.evaluate("navigator.serviceWorker.ready.then(r => r.active !== null)")
    manifest = priya.evaluate("fetch('/manifest.webmanifest').then(r => r.json())")
    assert manifest["display"] == "standalone" and manifest["start_url"] == "/"
    assert {"192x192", "512x512"} <= {icon["sizes"] for icon in manifest["icons"]}
    for icon in manifest["icons"]:
        assert priya.evaluate(f"fetch({json.dumps(icon['src'])}).then(r => r.ok)")

    priya.goto(push_server_url + "/me/notifications/choices/")
    expect(priya.get_by_role("button", name="Turn on push on this device")).to_be_visible()
    assert_accessible(priya)
    # Chromium here has no push service of its own, so the page hands the server the subscription a browser
    # would (for our fake service) through the same endpoint push.js uses.
    device = push_service.device("priyas-phone")
    answer = priya.evaluate(
        """async (device) => {
            const csrf = document.querySelector("input[name=csrfmiddlewaretoken]").value;
            const r = await fetch("/me/push/devices/", {method: "POST", credentials: "same-origin",
                headers: {"Content-Type": "application/json", "X-CSRFToken": csrf}, body: JSON.stringify(device)});
            return [r.status, await r.json()];
        }""",
        device,
    )
    assert answer[0] == 201
    priya.reload()
    expect(priya.get_by_text("Stop pushing to")).to_be_visible()
    priya.context.close()  # the page, and the browser, closed

    robin = new_page()
    sign_in(robin, push_server_url, "member@example.org")
    robin.goto(push_server_url + "/groups/")
    robin.get_by_role("region", name="Your groups").get_by_role("link", name="Carers' Corner").click()
    robin.get_by_text("Share something").click()
    robin.get_by_role("textbox", name="Write something").fill(CRISIS)
    robin.get_by_role("button", name="Share with the group").click()
    expect(robin.get_by_role("heading", name="You don't have to go through this alone")).to_be_visible()

    assert push_service.arrived.wait(timeout=20), "no push reached the fake push service"
    alerts = [m for m in push_service.messages() if m["tag"].startswith("alert-")]
    assert alerts and alerts[0]["title"] == "Crisis alert" and alerts[0]["urgent"] is True
    assert "/alerts/" in alerts[0]["url"]
    assert "Robin" not in json.dumps(alerts) and "tablets" not in json.dumps(alerts)
    headers = {k.title(): v for k, v in push_service.received[0]["headers"].items()}
    assert headers["Urgency"] == "high" and headers["Authorization"].startswith("vapid ")
    assert page_errors == []


def test_chat_says_sending_then_sent_and_live_messages_have_their_tools(
    new_page: Callable[..., Page], page_errors: list[str], live_server_url: str
) -> None:
    def open_room(page: Page) -> None:
        page.goto(live_server_url + "/chat/")
        page.get_by_role("link", name="Board games night").click()
        page.get_by_role("link", name="The online room").click()
        expect(page.locator("#chat[data-live='1']")).to_have_count(1)

    robin, sam = new_page(), new_page()
    sign_in(robin, live_server_url, "member@example.org")
    sign_in(sam, live_server_url, "volunteer@example.org")
    open_room(robin)
    open_room(sam)
    robin.get_by_label("Your message").fill("Evening all, just listening tonight")
    robin.get_by_role("button", name="Send").click()
    sent = robin.locator("#messages li.chat-message").filter(has_text="Evening all, just listening tonight")
    expect(sent).to_have_count(1)
    expect(sent.locator(".chat-state")).to_have_count(0)  # acknowledged: no longer "Sending…"
    expect(sent.get_by_role("link", name="Edit")).to_be_visible()
    expect(sent.get_by_role("button", name="Delete")).to_be_visible()
    heard = sam.locator("#messages li.chat-message").filter(has_text="Evening all, just listening tonight")
    expect(heard.get_by_role("link", name="Report this message")).to_be_visible()
    expect(heard.get_by_role("link", name="Edit")).to_have_count(0)

    # Too many at once: the server refuses one, and the page says so, with a way to try again.
    robin.evaluate(
        """() => {
            const form = document.getElementById("send-form");
            const box = form.querySelector("textarea");
            for (let i = 1; i <= 7; i++) {
                box.value = "Quick note " + i;
                form.requestSubmit();
            }
        }"""
    )
    failed = robin.locator("#messages li.chat-failed")
    expect(failed.first).to_contain_text("Not sent: ")
    expect(failed.first.get_by_role("button", name="Try again")).to_be_visible()
    robin.wait_for_timeout(6_000)  # the flood window passes
    text = failed.first.locator(".chat-body").inner_text()
    failed.first.get_by_role("button", name="Try again").click()
    expect(sam.locator("#messages")).to_contain_text(text)
    expect(robin.locator("#messages li.chat-message").filter(has_text=text).locator(".chat-state")).to_have_count(0)
    assert_accessible(robin)
    assert page_errors == []


def test_the_new_pages_fit_a_phone(new_page: Callable[..., Page], page_errors: list[str], live_server_url: str) -> None:
    robin = new_page(**PHONE)
    sign_in(robin, live_server_url, "member@example.org")
    for path, name in (
        ("/me/notifications/", "notifications"),
        ("/me/notifications/choices/", "notification-choices"),
        ("/messages/", "messages"),
        ("/offline/", "offline"),
    ):
        robin.goto(live_server_url + path)
        assert _content_top(robin) < 568 / 3, f"{path}: content starts below the top third"
        _shot(robin, name)
        assert_accessible(robin)
    assert page_errors == []
