"""A new member joins, sees who the service is for, completes the self-assessment and lands on each path."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from e2e.conftest import assert_accessible, sign_in

_names = itertools.count(1)

# Which boxes to tick for each path (labels as members see them), and the heading the result shows.
PATHS = {
    "groups": (
        ["Wanting to meet people who get it", "Join a group about something I care about", "Games"],
        "Ready for groups",
    ),
    "one_to_one": (["Feeling lonely or cut off", "Talk to someone one-to-one", "A video call"], "A one-to-one first"),
    "outside_scope": (
        ["Something else", "I'm not sure yet", "Yes, it's the main thing"],
        "Other services that can help",
    ),
    "urgent": (
        ["Low mood, worry or anxiety", "Talk to someone one-to-one", "Yes, and I don't feel safe right now"],
        "Support right now",
    ),
}


def join_as_new_member(page: Page, base_url: str, new_page: Callable[..., Page]) -> str:
    """Robin makes an invitation link; a new person follows it and creates an account."""
    inviter = new_page()
    sign_in(inviter, base_url, "member@example.org")
    inviter.goto(f"{base_url}/me/invitations/")
    inviter.get_by_role("button", name="Make a link").click()
    link = inviter.get_by_role("textbox", name="Invitation link").first.input_value()
    name = f"Newcomer {next(_names)}"
    page.goto(link)
    expect(page.get_by_role("heading", name="Who we're for")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Email").fill(f"{name.lower().replace(' ', '.')}@example.org")
    page.get_by_label("Display name").fill(name)
    page.get_by_label("Password").fill("kettle-garden-lantern-9")
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_url(f"{base_url}/")
    return name


@pytest.mark.parametrize("path", list(PATHS))
def test_new_member_self_assessment_leads_to_each_path(
    page: Page, new_page: Callable[..., Page], live_server_url: str, path: str
) -> None:
    join_as_new_member(page, live_server_url, new_page)
    expect(page.get_by_role("heading", name="Tell us a bit about what you'd like")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Your self-assessment").click()
    expect(page.get_by_role("heading", name="Your self-assessment", exact=True)).to_be_visible()
    assert_accessible(page)

    # Skipping a required question is explained, and nothing is lost.
    page.get_by_role("button", name="See what might suit me").click()
    expect(page.get_by_role("alert")).to_contain_text("Please answer")
    assert_accessible(page)

    ticks, heading = PATHS[path]
    for label in ticks:
        page.get_by_label(label, exact=True).check()
    page.get_by_label("Okay", exact=True).check()
    page.get_by_role("button", name="See what might suit me").click()

    if path == "urgent":
        # Crisis support first, then the rest of what we suggest.
        expect(page.get_by_role("heading", name="You don't have to go through this alone")).to_be_visible()
        expect(page.get_by_role("link", name="116 123")).to_be_visible()
        assert_accessible(page)
        page.get_by_role("link", name="Back to where you were").click()
    expect(page.get_by_role("heading", name="What might suit you")).to_be_visible()
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    if path == "groups":
        expect(page.get_by_role("link", name="Co-op Gamers")).to_be_visible()
    if path == "outside_scope":
        expect(page.get_by_text("you're still welcome here to browse and hang out")).to_be_visible()
        expect(page.get_by_role("link", name="FRANK")).to_be_visible()
    if path in ("one_to_one", "urgent"):
        expect(page.get_by_role("heading", name="A one-to-one first")).to_be_visible()
    assert_accessible(page)
    # The panel has done its job: home is calm again.
    page.goto(live_server_url + "/")
    expect(page.get_by_role("heading", name="Tell us a bit about what you'd like")).to_have_count(0)


def test_staff_read_answers_and_edit_the_directory_at_320px(
    new_page: Callable[..., Page], page_errors: list[str], live_server_url: str
) -> None:
    page = new_page(viewport={"width": 320, "height": 640})
    sign_in(page, live_server_url, "coordinator@example.org")
    for path in (
        "/staff/self-assessments/",
        "/staff/self-assessment/questions/",
        "/staff/scope/",
        "/about/",
        "/resources/",
        "/staff/referrals/",
    ):
        page.goto(live_server_url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 320px wide"
        assert_accessible(page)
    page.goto(live_server_url + "/staff/self-assessments/")
    page.get_by_role("link", name="Robin").first.click()
    page.get_by_role("button", name="Show answers").click()
    expect(page.get_by_role("heading", name="Answers")).to_be_visible()
    assert_accessible(page)
    assert page_errors == []
