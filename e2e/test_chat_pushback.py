"""The room page under pushback (issue 21): it honours a "slow down" frame (waits, says so, sends again with
the same client id) and fills a gap in seqs at once on the same connection, never by reconnecting.

The server's frames are real; Playwright's websocket routing stands between page and server to refuse one
send as an over-capacity server would, and to lose one frame as a too-slow connection would."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, WebSocketRoute, expect

from e2e.conftest import sign_in


def _open_room(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/chat/")
    page.get_by_role("link", name="Board games night").click()
    page.get_by_role("link", name="The online room").click()
    expect(page.locator("#chat[data-live='1']")).to_have_count(1)


def test_a_slow_down_frame_makes_the_page_wait_and_send_the_same_message_again(
    new_page: Callable[..., Page], page_errors: list[str], live_server_url: str
) -> None:
    robin = new_page()
    sign_in(robin, live_server_url, "member@example.org")
    sends: list[dict[str, Any]] = []
    refused: list[str] = []

    def route(ws: WebSocketRoute) -> None:
        server = ws.connect_to_server()

        def from_page(message: str | bytes) -> None:
            data = json.loads(message)
            if data.get("kind") == "send":
                sends.append(data)
                if not refused:  # the first send meets a server over capacity: refused, nothing stored
                    refused.append(data["client_id"])
                    ws.send(
                        json.dumps(
                            {
                                "kind": "slow_down",
                                "code": "slow_down",
                                "client_id": data["client_id"],
                                "retry_after_ms": 2000,
                                "message": "The room is very busy right now.",
                            }
                        )
                    )
                    return
            server.send(message)

        ws.on_message(from_page)

    robin.route_web_socket("**/ws/chat/rooms/**", route)
    _open_room(robin, live_server_url)
    robin.get_by_label("Your message").fill("Anyone up for chess later?")
    robin.get_by_role("button", name="Send").click()
    expect(robin.locator(".chat-pending")).to_contain_text("The room is very busy. Sending again in 2 seconds")
    # After the wait it goes again, with the same client id, and becomes an ordinary message.
    expect(robin.locator("#messages .chat-message:not(.chat-pending)").last).to_contain_text(
        "Anyone up for chess later?", timeout=10_000
    )
    expect(robin.locator(".chat-pending")).to_have_count(0)
    assert [s["client_id"] for s in sends] == refused * 2
    robin.reload()  # stored once
    expect(robin.locator("#messages")).to_contain_text("Anyone up for chess later?")
    assert robin.locator("#messages .chat-message", has_text="Anyone up for chess later?").count() == 1
    assert page_errors == []


def test_a_lost_frame_is_fetched_at_once_on_the_same_connection(
    new_page: Callable[..., Page], page_errors: list[str], live_server_url: str
) -> None:
    robin, sam = new_page(), new_page()
    sign_in(robin, live_server_url, "member@example.org")
    sign_in(sam, live_server_url, "volunteer@example.org")
    connections: list[WebSocketRoute] = []
    resumes: list[int] = []
    lost: list[int] = []

    def route(ws: WebSocketRoute) -> None:
        connections.append(ws)
        server = ws.connect_to_server()

        def from_server(message: str | bytes) -> None:
            data = json.loads(message)
            if data.get("kind") == "chat.message" and "first" in data.get("body", "") and not lost:
                lost.append(data["seq"])  # this frame never reaches Sam's page
                return
            ws.send(message)

        def from_page(message: str | bytes) -> None:
            data = json.loads(message)
            if "resume_after" in data:
                resumes.append(data["resume_after"])
            server.send(message)

        server.on_message(from_server)
        ws.on_message(from_page)

    sam.route_web_socket("**/ws/chat/rooms/**", route)
    _open_room(sam, live_server_url)
    _open_room(robin, live_server_url)
    robin.get_by_label("Your message").fill("The first of two")
    robin.get_by_role("button", name="Send").click()
    expect(robin.locator("#messages")).to_contain_text("The first of two")
    robin.get_by_label("Your message").fill("And the second")
    robin.get_by_role("button", name="Send").click()
    # Sam's page sees the seq jump, asks for what's missing, and shows both, in order.
    expect(sam.locator("#messages")).to_contain_text("And the second")
    expect(sam.locator("#messages")).to_contain_text("The first of two")
    bodies = sam.locator("#messages .chat-body").all_inner_texts()
    assert bodies.index("The first of two") < bodies.index("And the second")
    assert lost and resumes == [lost[0] - 1]
    # A "gap" frame (the server skipped frames for a slow connection) is answered the same way.
    connections[0].send(json.dumps({"kind": "gap", "room": 0, "dropped": 1}))
    for _ in range(100):  # the page answers on its own; give it up to 10 s on a busy machine
        if len(resumes) == 2:
            break
        sam.wait_for_timeout(100)
    assert len(resumes) == 2
    assert len(connections) == 1, "filled on the same connection, never by reconnecting"
    assert page_errors == []
