"""The directory members browse and staff edit; the quiet signposts after triage come from it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hearth.members.models import Member
from hearth.signposting.models import Referral, Resource
from hearth.testing import ClientFor, text, visible_text

CAST = ["anonymous", "member", "volunteer", "peer_worker", "counsellor", "coordinator", "outsider"]


def person(request: pytest.FixtureRequest, who: str) -> Member | None:
    return None if who == "anonymous" else request.getfixturevalue(who)


def status_for(request: pytest.FixtureRequest, client_for: ClientFor, who: str, url: str) -> int | str:
    response = client_for(person(request, who)).get(url)
    if response.status_code == 302 and "/signin/" in response["Location"]:
        return "signin"
    return response.status_code


@pytest.fixture
def robins_referral(member: Member, peer_worker: Member) -> Referral:
    from hearth.signposting.actions import do_create_referral

    return do_create_referral(peer_worker, member, Resource.objects.get(name="Shelter"))


PAGES = [
    ("signposting:directory", None, ["signin", 200, 200, 200, 200, 200, 200]),
    ("signposting:resource", "resource", ["signin", 200, 200, 200, 200, 200, 200]),
    ("signposting:my_referrals", None, ["signin", 200, 200, 200, 200, 200, 200]),
    ("signposting:my_referral", "referral", ["signin", 200, 404, 302, 302, 302, 404]),
    ("signposting:resource_new", None, ["signin", 403, 403, 200, 200, 200, 403]),
    ("signposting:resource_edit", "resource", ["signin", 403, 403, 200, 200, 200, 403]),
    ("signposting:staff_referrals", None, ["signin", 403, 403, 200, 200, 200, 403]),
    ("signposting:staff_referral_new", None, ["signin", 403, 403, 200, 200, 200, 403]),
    ("signposting:staff_referral", "referral", ["signin", 403, 403, 200, 200, 200, 403]),
    ("safety:signposts", None, [200, 200, 200, 200, 200, 200, 200]),
]


@pytest.mark.parametrize(("name", "arg", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_who_may_open_each_signposting_page(
    request: pytest.FixtureRequest,
    client_for: ClientFor,
    robins_referral: Referral,
    name: str,
    arg: str | None,
    expected: list[int | str],
) -> None:
    args = {None: [], "resource": [robins_referral.resource.pk], "referral": [robins_referral.pk]}[arg]
    got = [status_for(request, client_for, who, reverse(name, args=args)) for who in CAST]
    assert got == expected


def test_the_uk_directory_is_there_from_the_start(client_for: ClientFor, member: Member) -> None:
    page = visible_text(client_for(member).get(reverse("signposting:directory")))
    for name in ("One-to-one peer support", "Money advice team", "Citizens Advice", "FRANK", "Shelter"):
        assert name in page


def test_members_filter_by_topic(client_for: ClientFor, member: Member) -> None:
    page = visible_text(client_for(member).get(reverse("signposting:directory") + "?topic=housing"))
    assert "Shelter" in page and "FRANK" not in page


def test_triage_signposts_come_from_the_directory_and_follow_staff_edits(
    client_for: ClientFor, member: Member, peer_worker: Member
) -> None:
    url = reverse("safety:signposts") + "?topic=practical"
    assert "Citizens Advice" in text(client_for(member).get(url))
    shelter = Resource.objects.get(name="Shelter")
    response = client_for(peer_worker).post(
        reverse("signposting:resource_edit", args=[shelter.pk]),
        {
            "name": "Shelter",
            "kind": "external",
            "description": "Housing help",
            "topics": ["housing"],
            "contact": "0808 800 4444",
            "self_referral": "on",
            "active": "",
        },
    )
    assert response.status_code == 302
    assert "Shelter" not in text(client_for(member).get(url))  # hidden from the directory now
    assert "Drinkline" in text(client_for(None).get(reverse("safety:signposts") + "?topic=substance"))


def test_hidden_resources_are_not_found_for_members(client_for: ClientFor, member: Member) -> None:
    frank = Resource.objects.get(name="FRANK")
    Resource.objects.filter(pk=frank.pk).update(active=False)
    assert client_for(member).get(reverse("signposting:resource", args=[frank.pk])).status_code == 404


def test_a_resource_needs_a_way_in(client_for: ClientFor, peer_worker: Member) -> None:
    response = client_for(peer_worker).post(
        reverse("signposting:resource_new"),
        {"name": "Somewhere", "kind": "external", "description": "x", "referral_needed": "", "self_referral": ""},
    )
    assert "Say how people get there" in text(response)
    assert not Resource.objects.filter(name="Somewhere").exists()


def test_outsiders_cannot_change_someone_elses_referral(
    client_for: ClientFor, outsider: Member, robins_referral: Referral
) -> None:
    client_for(outsider).post(reverse("signposting:my_referral", args=[robins_referral.pk]), {"status": "closed"})
    client_for(outsider).post(reverse("signposting:staff_referral", args=[robins_referral.pk]), {"status": "closed"})
    assert Referral.objects.get(pk=robins_referral.pk).status == "suggested"
