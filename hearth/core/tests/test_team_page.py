from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from hearth.members.models import Member
from hearth.testing import ClientFor, text


@pytest.mark.parametrize("who", ["member", "outsider"])
def test_members_have_no_team_tools(request: pytest.FixtureRequest, client_for: ClientFor, who: str) -> None:
    assert client_for(request.getfixturevalue(who)).get(reverse("members:team")).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, db: None) -> None:
    assert client.get(reverse("members:team"))["Location"].startswith(reverse("members:signin"))


def test_each_role_sees_only_the_tools_it_may_use(
    client_for: ClientFor, volunteer: Member, peer_worker: Member, coordinator: Member
) -> None:
    sam = text(client_for(volunteer).get(reverse("members:team")))
    assert "Duty desk" in sam and "Moderation queue" in sam
    assert "Crisis alerts" not in sam and "Audit log" not in sam and "Self-assessments" not in sam
    priya = text(client_for(peer_worker).get(reverse("members:team")))
    assert "Crisis alerts" in priya and "Care queue" in priya and "Self-assessments" in priya
    assert "Organisation settings" not in priya
    jo = text(client_for(coordinator).get(reverse("members:team")))
    assert "Organisation settings" in jo and "Audit log" in jo and "Insights" in jo


def test_the_menu_points_supporters_to_moderation_and_team_tools(
    client_for: ClientFor, member: Member, volunteer: Member
) -> None:
    assert "Team tools" not in text(client_for(member).get(reverse("core:home")))
    page = text(client_for(volunteer).get(reverse("core:home")))
    assert "Team tools" in page and reverse("safety:queue") in page
