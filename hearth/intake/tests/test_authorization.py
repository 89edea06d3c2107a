"""Every intake page, for everyone in the cast: who gets in, who is refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from hearth.community.models import Group
from hearth.intake import actions
from hearth.intake.access import current_version
from hearth.intake.models import Assessment
from hearth.intake.tests.conftest import GOOD
from hearth.members.models import Member
from hearth.testing import ClientFor

CAST = ["anonymous", "member", "volunteer", "peer_worker", "counsellor", "coordinator", "outsider"]


@pytest.fixture
def robins_assessment(member: Member) -> Assessment:
    return actions.do_submit_assessment(member, version_number=current_version().number, answers=GOOD).assessment


def person(request: pytest.FixtureRequest, who: str) -> Member | None:
    return None if who == "anonymous" else request.getfixturevalue(who)


def status_for(
    request: pytest.FixtureRequest,
    client_for: ClientFor,
    who: str,
    url: str,
    method: str = "get",
    data: dict[str, Any] | None = None,
) -> int | str:
    client = client_for(person(request, who))
    response = client.post(url, data or {}) if method == "post" else client.get(url)
    if response.status_code == 302 and "/signin/" in response["Location"]:
        return "signin"
    return response.status_code


# (url name, args from fixtures, expected per person in CAST order)
PAGES = [
    ("intake:scope", None, [200, 200, 200, 200, 200, 200, 200]),
    ("intake:start", None, ["signin", 200, 200, 200, 200, 200, 200]),
    ("intake:result", "assessment", ["signin", 200, 404, 404, 404, 404, 404]),
    ("intake:requirement", "group", ["signin", 404, 200, 200, 200, 200, 404]),
    ("intake:staff_list", None, ["signin", 404, 404, 200, 200, 200, 404]),
    ("intake:staff_detail", "assessment", ["signin", 404, 404, 200, 200, 200, 404]),
    ("intake:editor", None, ["signin", 403, 403, 403, 403, 200, 403]),
    ("intake:version", "version", ["signin", 404, 404, 200, 200, 200, 404]),
    ("intake:scope_edit", None, ["signin", 403, 403, 403, 403, 200, 403]),
]


@pytest.mark.parametrize(("name", "arg", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_who_may_open_each_intake_page(
    request: pytest.FixtureRequest,
    client_for: ClientFor,
    robins_assessment: Assessment,
    group: Group,
    name: str,
    arg: str | None,
    expected: list[int | str],
) -> None:
    args = {
        None: [],
        "assessment": [robins_assessment.pk],
        "group": [group.pk],
        "version": [robins_assessment.version.number],
    }[arg]
    url = reverse(name, args=args)
    got = [status_for(request, client_for, who, url) for who in CAST]
    assert got == expected


@pytest.mark.parametrize("who", ["member", "volunteer", "peer_worker", "counsellor", "outsider"])
def test_only_the_coordinator_changes_the_scope_and_questions(
    request: pytest.FixtureRequest, db: None, client_for: ClientFor, who: str
) -> None:
    from hearth.intake.models import QuestionnaireVersion, Scope

    before = Scope.load().who_for
    client = client_for(request.getfixturevalue(who))
    client.post(reverse("intake:scope_edit"), {"who_for": "x", "what_we_offer": "y", "not_covered": "z"})
    client.post(reverse("intake:editor"), {"definition": '{"questions": []}'})
    assert Scope.load().who_for == before
    assert QuestionnaireVersion.objects.count() == 1


def test_the_coordinator_describes_the_scope_and_members_see_it(
    client_for: ClientFor, coordinator: Member, member: Member
) -> None:
    response = client_for(coordinator).post(
        reverse("intake:scope_edit"),
        {
            "who_for": "Carers in Leeds",
            "what_we_offer": "Groups and chats",
            "not_covered": "Crisis care: call 111 option 2",
        },
    )
    assert response.status_code == 302
    page = client_for(member).get(reverse("intake:scope")).content.decode()
    assert "Carers in Leeds" in page and "111 option 2" in page
    assert "Carers in Leeds" in client_for(member).get(reverse("intake:start")).content.decode()
