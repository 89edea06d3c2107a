"""The research export: consent, de-identification, per-person date shifts, small cells, audit."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.test import Client

from hearth.community.models import Comment, Group, GroupState, Post
from hearth.core.models import AuditEntry
from hearth.insights import research
from hearth.insights.access import ONLY_ME, OUTCOMES, RESEARCH, RESEARCH_YES
from hearth.insights.models import InsightsSettings, OutcomeResponse
from hearth.insights.tests.conftest import at, count_fortnight
from hearth.members.models import Consent, Member
from hearth.testing import ClientFor

SPAN = {"start": "2026-03-02", "end": "2026-03-15"}


@pytest.fixture
def study(crowd: Callable[..., list[Member]]) -> dict[str, list[Member]]:
    """Six members who said yes to research and five who didn't; all posted and answered a PHQ-9."""
    yes, no = crowd(6, "Yes"), crowd(5, "No")
    group = Group.objects.create(name="Secret garden club", purpose="x", who_for="x", state=GroupState.ACTIVE)
    for p in yes + no:
        Consent.objects.create(member=p, kind=OUTCOMES.key, audience=ONLY_ME.key)
        post = Post.objects.create(group=group, author=p, body=f"my secret words {p.display_name}", created_at=at(3))
        Comment.objects.create(post=post, author=p, body="a private reply", created_at=at(4))
        for day in (3, 12):
            OutcomeResponse.objects.create(
                member=p, measure="phq9", answers=[1] * 9, score=9, band="mild", created_at=at(day)
            )
    for p in yes:
        Consent.objects.create(member=p, kind=RESEARCH.key, audience=RESEARCH_YES.key)
    return {"yes": yes, "no": no}


def _export(client: Client) -> dict[str, list[dict[str, str]]]:
    response = client.post("/insights/research/", SPAN)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    return {name: list(csv.DictReader(io.StringIO(archive.read(name).decode()))) for name in archive.namelist()}


def _raw(client: Client) -> str:
    archive = zipfile.ZipFile(io.BytesIO(client.post("/insights/research/", SPAN).content))
    return "\n".join(archive.read(n).decode() for n in archive.namelist())


def test_only_people_who_said_yes_are_in_the_file(
    study: dict[str, list[Member]], coordinator: Member, client_for: ClientFor
) -> None:
    files = _export(client_for(coordinator))
    key = InsightsSettings.load().research_key
    yes = {research.pseudonym(key, p.pk) for p in study["yes"]}
    for name in ("participants.csv", "participation.csv", "outcomes.csv"):
        assert {row["pid"] for row in files[name]} == yes, name
    assert len(files["outcomes.csv"]) == 12


def test_no_names_emails_or_writing_leave(
    study: dict[str, list[Member]], coordinator: Member, client_for: ClientFor
) -> None:
    raw = _raw(client_for(coordinator)).lower()
    for p in study["yes"] + study["no"]:
        assert p.display_name.lower() not in raw
        assert p.email.lower() not in raw
        assert f"member:{p.pk}" not in raw
    for words in ("secret words", "private reply", "secret garden club", "example.org"):
        assert words not in raw


def test_dates_move_by_one_hidden_offset_per_person(
    study: dict[str, list[Member]], coordinator: Member, client_for: ClientFor
) -> None:
    files = _export(client_for(coordinator))
    key = InsightsSettings.load().research_key
    for p in study["yes"]:
        pid, shift = research.pseudonym(key, p.pk), research.shift_days(key, p.pk)
        assert shift != 0 and abs(shift) <= research.MAX_SHIFT_DAYS
        answered = sorted(date.fromisoformat(r["answered_on"]) for r in files["outcomes.csv"] if r["pid"] == pid)
        # Both answers move by the same offset, so the 9 days between them stay true.
        assert answered == [date(2026, 3, 3) + _days(shift), date(2026, 3, 12) + _days(shift)]
        week = [date.fromisoformat(r["week_start"]) for r in files["participation.csv"] if r["pid"] == pid]
        assert week == [date(2026, 3, 2) + _days(shift)]
    shifts = {research.shift_days(key, p.pk) for p in study["yes"]}
    assert len(shifts) > 1  # not one offset for everyone


def _days(n: int) -> timedelta:
    return timedelta(days=n)


def test_pseudonyms_are_stable_across_exports(
    study: dict[str, list[Member]], coordinator: Member, client_for: ClientFor
) -> None:
    client = client_for(coordinator)
    first, second = _export(client), _export(client)
    assert first["participants.csv"] == second["participants.csv"]


def test_aggregates_keep_small_numbers_hidden(
    study: dict[str, list[Member]], coordinator: Member, client_for: ClientFor
) -> None:
    count_fortnight()
    rows = _export(client_for(coordinator))["service_metrics.csv"]
    active = {r["row"]: r["value"] for r in rows if r["metric"] == "active_members"}
    assert active == {"02 Mar 2026": "11", "09 Mar 2026": "0"}
    assert "group_mood" not in {r["metric"] for r in rows}  # group names are members' words
    assert all(r["value"] not in {"1", "2", "3", "4"} for r in rows if r["metric"] != "coverage_gaps")


def test_every_export_is_audited(study: dict[str, list[Member]], coordinator: Member, client_for: ClientFor) -> None:
    _export(client_for(coordinator))
    entry = AuditEntry.objects.get(action="insights.research.exported")
    assert entry.actor == coordinator and entry.data["people"] == 6


def test_fewer_than_five_consenting_people_means_no_export(
    crowd: Callable[..., list[Member]], coordinator: Member, client_for: ClientFor
) -> None:
    for p in crowd(4):
        Consent.objects.create(member=p, kind=RESEARCH.key, audience=RESEARCH_YES.key)
    response = client_for(coordinator).post("/insights/research/", SPAN)
    assert response.status_code == 302
    assert not AuditEntry.objects.filter(action="insights.research.exported").exists()


def test_the_data_dictionary_describes_every_column(
    study: dict[str, list[Member]], coordinator: Member, client_for: ClientFor
) -> None:
    files = _export(client_for(coordinator))
    described = {(r["file"], r["column"]) for r in files["data_dictionary.csv"]}
    for name, rows in files.items():
        if name != "data_dictionary.csv":
            assert {(name, col) for col in rows[0]} <= described, name
