"""The menu shows each role what it may use (and nothing else); error pages are in the shell, with a way back."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from hearth.core.views import server_error
from hearth.members.models import Member
from hearth.testing import ClientFor, text, visible_text


def menu(page: str) -> str:
    return page[page.index('<nav id="site-nav"') : page.index("</nav>", page.index('<nav id="site-nav"'))]


def test_every_member_can_reach_chat_messages_resources_and_their_own_things(
    client_for: ClientFor, member: Member
) -> None:
    nav = menu(text(client_for(member).get(reverse("core:home"))))
    for name in ("chat:index", "chat:inbox", "core:notifications", "signposting:directory", "members:profile"):
        assert f'href="{reverse(name)}"' in nav, name
    assert "Duty desk" not in nav and "Team tools" not in nav and "Moderation" not in nav
    home = text(client_for(member).get(reverse("core:home")))
    for name in ("safety:my_reports", "signposting:my_referrals", "intake:start", "insights:mine", "care:mine"):
        assert f'href="{reverse(name)}"' in home, name


def test_supporters_also_get_the_duty_desk_and_team_tools(
    client_for: ClientFor, volunteer: Member, coordinator: Member
) -> None:
    for person in (volunteer, coordinator):
        nav = menu(text(client_for(person).get(reverse("core:home"))))
        assert "Duty desk" in nav and "Team tools" in nav and "Moderation" in nav


def test_small_screens_get_a_menu_button_and_keep_energy_and_help_in_view(
    client_for: ClientFor, member: Member
) -> None:
    page = text(client_for(member).get(reverse("core:home")))
    header = page[page.index('<header class="site-header"') : page.index("</header>")]
    bar = header[: header.index('<nav id="site-nav"')]
    # Outside the folding menu: the energy choice, "Need help now?" and the menu button (shown by header.js).
    assert 'class="energy"' in bar and "Need help now?" in bar
    assert 'id="menu-button"' in bar and 'aria-controls="site-nav"' in bar and 'aria-expanded="false"' in bar


def test_signed_out_visitors_see_sign_in_and_help_only(client: Client, db: None) -> None:
    page = text(client.get(reverse("members:signin")))
    assert "Need help now?" in page and 'id="menu-button"' not in page and "Messages" not in menu(page)


def test_a_missing_page_is_ours_with_a_way_back_and_help(client_for: ClientFor, member: Member) -> None:
    response = client_for(member).get("/no-such-page/")
    assert response.status_code == 404
    page = visible_text(response)
    assert "We can't find that page" in page and "Go to the home page" in page and "Need help now?" in page


@override_settings(DEBUG=True)
def test_in_development_a_404_never_lists_the_sites_urls(client_for: ClientFor, member: Member) -> None:
    response = client_for(member).get("/no-such-page/")
    assert response.status_code == 404
    page = text(response)
    assert "We can't find that page" in page
    assert "URLconf" not in page and "moderation/" not in page


def test_a_refusal_is_a_styled_page_not_a_bare_403(client_for: ClientFor, member: Member) -> None:
    response = client_for(member).get(reverse("members:team"))
    assert response.status_code == 403
    page = visible_text(response)
    assert "This page isn't open to you" in page and "Go to the home page" in page and "Need help now?" in page


@pytest.mark.django_db
def test_the_500_page_renders_even_when_the_database_is_gone(
    rf: RequestFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the 500 page must not touch the database")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong on our side" in page and "/help/" in page


def test_a_500_during_a_request_shows_our_page(db: None) -> None:
    client = Client(raise_request_exception=False)
    with override_settings(ROOT_URLCONF="hearth.core.tests.urls_that_fail"):
        response = client.get("/fail/")
    assert response.status_code == 500 and "Something went wrong on our side" in response.content.decode()
