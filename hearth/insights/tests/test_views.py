"""Who may open each insights page, the CSV downloads, and a dashboard whose query count doesn't grow."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hearth.community.models import Group, GroupState, Membership, Post
from hearth.core.models import AuditEntry
from hearth.insights import registry
from hearth.insights.tests.conftest import at, count_fortnight
from hearth.members.models import Member
from hearth.testing import ClientFor, text

CAST = ["member", "volunteer", "peer_worker", "counsellor", "coordinator", "outsider", None]
COORDINATOR_ONLY = [
    "/insights/",
    "/insights/metrics/active_members.csv",
    "/insights/research/",
    "/insights/settings/",
]


def _person(request: pytest.FixtureRequest, who: str | None) -> Member | None:
    return request.getfixturevalue(who) if who else None


@pytest.mark.parametrize("url", COORDINATOR_ONLY)
@pytest.mark.parametrize("who", CAST)
def test_only_the_coordinator_opens_the_dashboard_export_and_settings(
    request: pytest.FixtureRequest, client_for: ClientFor, url: str, who: str | None
) -> None:
    response = client_for(_person(request, who)).get(url)
    if who == "coordinator":
        assert response.status_code == 200
    elif who is None:
        assert response.status_code == 302 and "/signin/" in response["Location"]
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("who", CAST)
def test_everyone_signed_in_has_their_own_picture(
    request: pytest.FixtureRequest, client_for: ClientFor, who: str | None
) -> None:
    response = client_for(_person(request, who)).get("/me/picture/")
    assert response.status_code == (200 if who else 302)


@pytest.mark.parametrize("who", CAST)
def test_a_members_results_are_refused_without_their_permission(
    request: pytest.FixtureRequest, client_for: ClientFor, member: Member, who: str | None
) -> None:
    response = client_for(_person(request, who)).get(f"/insights/people/{member.pk}/outcomes/")
    if who == "member":
        assert response.status_code == 302  # their own: sent to their picture
    elif who is None:
        assert response.status_code == 302 and "/signin/" in response["Location"]
    else:
        assert response.status_code == 404


def test_the_research_export_is_post_only_for_downloading(client_for: ClientFor, member: Member) -> None:
    assert client_for(member).post("/insights/research/").status_code == 403


def test_every_metric_has_a_chart_with_a_text_alternative_and_a_csv(coordinator: Member, client_for: ClientFor) -> None:
    page = text(client_for(coordinator).get("/insights/?start=2026-03-02&end=2026-03-15"))
    for metric in registry.metrics():
        assert f'id="{metric.key}-h"' in page
        assert f"/insights/metrics/{metric.key}.csv?start=2026-03-02&amp;end=2026-03-15" in page or (
            f"/insights/metrics/{metric.key}.csv?start=2026-03-02&end=2026-03-15" in page
        )
    assert 'role="img"' in page or "nothing to show" in page
    assert "style=" not in page  # the CSP forbids inline styles


def test_csv_download_has_the_table_and_is_audited(
    coordinator: Member, client_for: ClientFor, crowd: Callable[..., list[Member]]
) -> None:
    group = Group.objects.create(name="G", purpose="x", who_for="x", state=GroupState.ACTIVE)
    for p in crowd(3):
        Post.objects.create(group=group, author=p, body="x", created_at=at(3))
    count_fortnight()
    response = client_for(coordinator).get("/insights/metrics/active_members.csv?start=2026-03-02&end=2026-03-15")
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode().splitlines() == [
        "Week starting,Active members",
        "02 Mar 2026,fewer than 5",
        "09 Mar 2026,0",
    ]
    assert AuditEntry.objects.filter(action="insights.metric.downloaded", actor=coordinator).exists()


def test_unknown_metric_is_404(coordinator: Member, client_for: ClientFor) -> None:
    assert client_for(coordinator).get("/insights/metrics/nope.csv").status_code == 404


def _busy(crowd: Callable[..., list[Member]], n: int) -> None:
    group = Group.objects.create(name=f"G{n}", purpose="x", who_for="x", state=GroupState.ACTIVE)
    for p in crowd(n, prefix=f"P{n}"):
        Membership.objects.create(group=group, member=p)
        for day in (3, 10):
            Post.objects.create(group=group, author=p, body="x", created_at=at(day))


def test_the_dashboard_makes_the_same_number_of_queries_however_much_happened(
    coordinator: Member, client_for: ClientFor, crowd: Callable[..., list[Member]]
) -> None:
    client = client_for(coordinator)
    url = "/insights/?start=2026-03-02&end=2026-03-15"
    client.get(url)
    _busy(crowd, 2)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _busy(crowd, 12)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few) == len(many)
    assert len(many) < 60
