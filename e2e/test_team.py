"""The team behind the service: the rota's gaps filled from the gap itself, staffing rules, supporter profiles."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Locator, Page, expect

from e2e.conftest import assert_accessible, sign_in


def test_a_coordinator_fills_a_gap_from_the_gap_itself(page: Page, live_server_url: str) -> None:
    sign_in(page, live_server_url, "coordinator@example.org")
    page.get_by_role("link", name="Team tools").first.click()
    page.get_by_role("link", name="Rota", exact=True).click()
    # Next week, so every gap is still ahead whatever the day: the demo has nobody on Sunday mornings.
    page.get_by_role("link", name="Next week").click()
    gaps = page.get_by_role("heading", name=re.compile(r"^Coverage gaps this week"))
    expect(gaps).to_be_visible()
    assert_accessible(page)
    # The rota is compact: gaps first, then the week, with the add form folded away.
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 6000, f"the rota page is {height}px tall"
    sunday = page.locator("article.gap").filter(has=page.get_by_role("heading", name=re.compile(r"^Sun .*10:00")))
    expect(sunday).to_have_count(1)
    expect(sunday).to_contain_text("Nobody on the rota")
    heading = sunday.get_by_role("heading").inner_text()
    who = sunday.get_by_label("Put on the rota")
    name = who.locator("option").first.inner_text()
    who.select_option(label=name)
    sunday.get_by_role("button", name=re.compile("^Fill this gap")).click()
    expect(page.get_by_role("status")).to_contain_text(f"{name} is on the rota")
    expect(page.get_by_role("heading", name=heading)).to_have_count(0)
    expect(page.locator("table.week")).to_contain_text(name)


def test_a_coordinator_writes_a_staffing_rule_and_a_supporter_edits_their_profile(
    new_page: Callable[..., Page], page_errors: list[str], live_server_url: str
) -> None:
    jo = new_page()
    sign_in(jo, live_server_url, "coordinator@example.org")
    jo.goto(f"{live_server_url}/team/")
    jo.get_by_role("link", name="Service hours and staffing rules").click()
    assert_accessible(jo)
    jo.get_by_text("Add a rule").click()
    jo.get_by_label("At least").fill("4")
    jo.get_by_label("Who counts").select_option("anyone")
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"):
        jo.get_by_role("checkbox", name=day, exact=True).check()
    jo.get_by_label("From (optional)").fill("10:00")
    jo.get_by_label("Until (optional)").fill("18:00")
    jo.get_by_role("button", name="Add the rule").click()
    expect(jo.get_by_text("At least 4 people on the rota: Monday to Friday, 10:00-18:00")).to_be_visible()

    sam = new_page()
    sign_in(sam, live_server_url, "volunteer@example.org")
    sam.goto(f"{live_server_url}/duty/")
    sam.get_by_role("link", name="Your supporter profile").click()
    assert_accessible(sam)
    sam.get_by_role("checkbox", name="Welsh").check()
    sam.get_by_role("button", name="Save profile").click()
    expect(sam.get_by_role("status")).to_contain_text("The supporter profile is saved")
    expect(sam.get_by_role("checkbox", name="Welsh")).to_be_checked()
    assert page_errors == []


def test_a_member_applies_to_volunteer_and_the_coordinator_reads_it(
    new_page: Callable[..., Page], page_errors: list[str], live_server_url: str
) -> None:
    robin = new_page()
    sign_in(robin, live_server_url, "member@example.org")
    robin.get_by_role("link", name="Volunteering").first.click()
    expect(robin.get_by_role("heading", name="Volunteering", exact=True)).to_be_visible()
    assert_accessible(robin)
    robin.get_by_label("What draws you to it?").fill("Talking here helped me; I'd like to listen to others now.")
    robin.get_by_role("button", name="Send my application").click()
    expect(robin.get_by_role("heading", name="Your application to be a volunteer")).to_be_visible()

    jo = new_page()
    sign_in(jo, live_server_url, "coordinator@example.org")
    jo.get_by_role("link", name="Team tools").first.click()
    jo.get_by_role("link", name="Volunteer pathway").click()
    assert_accessible(jo)
    jo.get_by_role("link", name="Robin").first.click()
    expect(jo.get_by_text("Talking here helped me")).to_be_visible()
    assert_accessible(jo)
    jo.goto(f"{live_server_url}/team/")
    jo.get_by_role("link", name="Supervision and debriefs").click()
    expect(jo.get_by_role("heading", name=re.compile("^No supervision in"))).to_be_visible()
    assert_accessible(jo)
    assert page_errors == []


def test_a_volunteer_says_they_are_worried_about_someone_and_a_peer_worker_sees_it(
    new_page: Callable[..., Page], page_errors: list[str], live_server_url: str
) -> None:
    priya = new_page()
    sign_in(priya, live_server_url, "peerworker@example.org")
    priya.get_by_role("navigation", name="Main").get_by_role("link", name="Team tools").click()
    priya.get_by_role("main").get_by_role("link", name="Care queue").click()

    def entry_for(name: str) -> Locator:
        heading = priya.get_by_role("heading", name=name, exact=True)
        return priya.locator("article.care-entry").filter(has=heading)

    def heard_of(name: str) -> bool:
        entry = entry_for(name)
        return entry.count() > 0 and "A volunteer is worried" in entry.inner_text()

    sam = new_page()
    sign_in(sam, live_server_url, "volunteer@example.org")
    sam.get_by_role("link", name="Your feed").first.click()
    # Someone the team hasn't already heard a worry about (the demo has one from Sam).
    links = sam.get_by_role("link", name=re.compile(r"^Worried about .+\?$"))
    names = [re.sub(r"^Worried about (.+)\?$", r"\1", t) for t in links.all_inner_texts()]
    name = next(n for n in names if not heard_of(n))
    sam.get_by_role("link", name=f"Worried about {name}?").first.click()
    expect(sam.get_by_role("heading", name=f"Worried about {name}?")).to_be_visible()
    assert_accessible(sam)
    sam.get_by_label("What did you notice?").fill("They said they've barely left the house this week.")
    sam.get_by_role("button", name="Tell the team").click()
    expect(sam.get_by_role("status")).to_contain_text(f"Thank you for telling us about {name}")
    expect(sam.get_by_role("status")).not_to_contain_text("barely left the house")

    # Priya's queue hears it (no reload): the person is there, with why, and the words are one look away.
    entry = entry_for(name)
    expect(entry).to_contain_text("A volunteer is worried about them")
    entry.get_by_role("link", name=name, exact=True).click()
    priya.get_by_role("link", name="Show what they noticed").click()
    expect(priya.get_by_text("They said they've barely left the house this week.")).to_be_visible()
    assert page_errors == []
