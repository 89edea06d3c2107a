"""The coordinator's dashboard renders charts with text alternatives; a member answers a questionnaire.

Screenshots go to /tmp/insights-*.png for the change note.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from e2e.conftest import assert_accessible, sign_in

# Where the change note's screenshots go (a fixed, documented place, not a secret temp file).
SHOTS = Path("/tmp")  # noqa: S108


def test_coordinator_sees_charts_with_text_alternatives(page: Page, live_server_url: str) -> None:
    sign_in(page, live_server_url, "coordinator@example.org")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Team tools").click()
    page.get_by_role("main").get_by_role("link", name="Insights").click()
    expect(page.get_by_role("heading", name="How the service is doing", level=1)).to_be_visible()
    charts = page.locator("svg[role=img]")
    assert charts.count() >= 5
    for i in range(charts.count()):
        chart = charts.nth(i)
        ids = (chart.get_attribute("aria-labelledby") or "").split()
        assert len(ids) == 2, "each chart names its title and its description"
        for ref in ids:
            assert page.locator(f"#{ref}").count() == 1
        assert (chart.locator("desc").text_content() or "").strip()
    # Every chart has its figures as a table and a CSV download.
    sections = page.locator("section.insight")
    assert sections.count() >= charts.count()
    for i in range(sections.count()):
        section = sections.nth(i)
        assert section.locator("table caption").count() == 1
        assert section.get_by_role("link", name="Download the figures (CSV)").count() == 1
    expect(page.get_by_role("heading", name="Ways of taking part", exact=True)).to_be_visible()
    page.screenshot(path=SHOTS / "insights-dashboard.png", full_page=True)
    assert_accessible(page)
    # The table opens for someone who prefers figures to pictures.
    styles = page.locator("#participation_styles")
    styles.get_by_text("The figures as a table").click()
    expect(styles.locator("table")).to_be_visible()
    styles.screenshot(path=SHOTS / "insights-styles-table.png")
    with page.expect_download() as download:
        styles.get_by_role("link", name="Download the figures (CSV)").click()
    assert download.value.suggested_filename.startswith("participation_styles-")
    page.goto(live_server_url + "/insights/research/")
    assert_accessible(page)


def test_member_says_yes_answers_and_sees_their_own_picture(page: Page, live_server_url: str) -> None:
    sign_in(page, live_server_url, "member@example.org")
    panel = page.get_by_role("region", name="Would you like to see how you're doing over time?")
    panel.get_by_label("Yes, and only I see my answers").check()
    panel.get_by_role("button", name="Save my choice").click()
    page.get_by_role("link", name="GAD-7").click()
    for i in range(7):
        page.locator("fieldset.question").nth(i).get_by_label("Several days").check()
    page.screenshot(path=SHOTS / "insights-questionnaire.png", full_page=True)
    assert_accessible(page)
    page.get_by_role("button", name="Save my answers").click()
    expect(page.get_by_text("7 out of 21: mild")).to_be_visible()
    page.get_by_role("link", name="See your picture over time").click()
    expect(page.get_by_role("heading", name="Your picture", level=1)).to_be_visible()
    expect(page.locator("svg[role=img]").first).to_be_visible()
    page.screenshot(path=SHOTS / "insights-my-picture.png", full_page=True)
    assert_accessible(page)
