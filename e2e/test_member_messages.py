"""Two members message each other live, then one blocks the other (issue 17).

The demo organisation has messages between members switched on, and one of Robin's fellow gamers has written
to her. The test finds that member's sign-in address in its own copy of the demo database.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from e2e.conftest import assert_accessible, sign_in


def _friend_of_robin(server_env: dict[str, str]) -> tuple[str, str]:
    """The email and name of the member who started a conversation with Robin in the demo."""
    db = Path(server_env["HEARTH_DATA_DIR"]) / "e2e.sqlite3"
    with sqlite3.connect(db) as conn:
        row = conn.execute(
            "SELECT m.email, m.display_name FROM chat_conversation c "
            "JOIN members_member m ON m.id = c.member_id JOIN members_member r ON r.id = c.supporter_id "
            "WHERE c.kind = 'peer' AND r.email = 'member@example.org'"
        ).fetchone()
    assert row, "the demo has a conversation between Robin and another member"
    return row[0], row[1]


def test_two_members_message_each_other_and_one_blocks_the_other(
    new_page: Callable[..., Page], page_errors: list[str], server_env: dict[str, str], live_server_url: str
) -> None:
    email, name = _friend_of_robin(server_env)
    robin, friend = new_page(), new_page()
    sign_in(robin, live_server_url, "member@example.org")
    sign_in(friend, live_server_url, email)

    # Robin finds the conversation from her home page's menu: Messages.
    robin.get_by_role("link", name="Messages").first.click()
    expect(robin.get_by_role("link", name="Message another member")).to_be_visible()
    assert_accessible(robin)
    robin.get_by_role("link", name=name, exact=True).click()
    expect(robin.locator("#chat[data-live='1']")).to_have_count(1)
    expect(robin.locator("#messages")).to_contain_text("Same time next week?")

    friend.goto(f"{live_server_url}/messages/")
    friend.get_by_role("link", name="Robin", exact=True).click()
    expect(friend.locator("#chat[data-live='1']")).to_have_count(1)

    robin.get_by_label("Your message").fill("See you there, it was fun")
    robin.get_by_role("button", name="Send").click()
    expect(friend.locator("#messages")).to_contain_text("See you there, it was fun")
    friend.get_by_label("Your message").fill("Great, see you then")
    friend.get_by_role("button", name="Send").click()
    expect(robin.locator("#messages")).to_contain_text("Great, see you then")
    assert_accessible(robin)

    # Robin blocks them: she lands on her message settings with them listed, and they can't write any more.
    robin.get_by_role("button", name=f"Block {name}").click()
    expect(robin.get_by_role("heading", name="People you've blocked")).to_be_visible()
    expect(robin.get_by_role("button", name=f"Unblock {name}")).to_be_visible()
    assert_accessible(robin)
    friend.reload()
    expect(friend.locator("#cannot-send")).to_contain_text("closed")
    expect(friend.locator("#send-form")).to_be_hidden()
    expect(friend.locator("#messages")).to_contain_text("See you there, it was fun")
    assert page_errors == []


def _waiting_for_buddies(server_env: dict[str, str]) -> list[tuple[str, str]]:
    db = Path(server_env["HEARTH_DATA_DIR"]) / "e2e.sqlite3"
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT m.email, m.display_name FROM chat_buddypreference p JOIN members_member m ON m.id = p.member_id "
            "WHERE p.looking AND m.id NOT IN (SELECT first_id FROM chat_buddypair) "
            "AND m.id NOT IN (SELECT second_id FROM chat_buddypair) ORDER BY m.display_name"
        ).fetchall()
    assert len(rows) >= 2, "the demo has two members waiting for a buddy"
    return rows[:2]


def test_two_members_pair_as_buddies_message_and_one_blocks_the_other(
    new_page: Callable[..., Page], page_errors: list[str], server_env: dict[str, str], live_server_url: str
) -> None:
    (a_email, a_name), (b_email, b_name) = _waiting_for_buddies(server_env)
    jo, a, b = new_page(), new_page(), new_page()
    sign_in(jo, live_server_url, "coordinator@example.org")
    sign_in(a, live_server_url, a_email)
    sign_in(b, live_server_url, b_email)

    jo.get_by_role("link", name="Team tools").first.click()
    jo.get_by_role("link", name="Buddies").click()
    assert_accessible(jo)
    jo.get_by_role("button", name=f"Suggest {a_name} and {b_name}").click()
    expect(jo.locator("#looking")).not_to_contain_text(f"Suggest {a_name} and {b_name}")

    for person, other in ((a, b_name), (b, a_name)):
        person.get_by_role("link", name="Messages").first.click()
        person.get_by_role("link", name="A buddy").click()
        expect(person.locator("#pair")).to_contain_text(f"Would you like {other} as your buddy?")
        assert_accessible(person)
        person.get_by_role("button", name="Yes, let's be buddies").click()
    # The second yes starts it and opens their conversation.
    expect(b.locator("#chat[data-live='1']")).to_have_count(1)
    a.goto(f"{live_server_url}/me/buddy/")
    a.get_by_role("link", name=f"Your conversation with {b_name}").click()
    expect(a.locator("#chat[data-live='1']")).to_have_count(1)

    a.get_by_label("Your message").fill("Hello buddy, how's your week going?")
    a.get_by_role("button", name="Send").click()
    expect(b.locator("#messages")).to_contain_text("Hello buddy, how's your week going?")

    b.get_by_role("button", name=f"Block {a_name}").click()
    expect(b.get_by_role("button", name=f"Unblock {a_name}")).to_be_visible()
    a.reload()
    expect(a.locator("#send-form")).to_be_hidden()
    a.goto(f"{live_server_url}/me/buddy/")
    expect(a.locator("#pair")).to_have_count(0)
    assert page_errors == []
