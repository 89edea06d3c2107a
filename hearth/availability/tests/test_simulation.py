from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from hearth.availability.demo import DEMO_ROTA
from hearth.availability.simulation import simulate
from hearth.members.models import Role


def test_simulation_is_deterministic_and_counts_every_request() -> None:
    a = simulate(DEMO_ROTA, members=300, days=14, seed=3).summary()
    assert a == simulate(DEMO_ROTA, members=300, days=14, seed=3).summary()
    assert a["requests"] == a["answered_live"] + a["left_a_message"]
    assert 0 < a["supporter_load"] < 1


def test_a_thin_rota_makes_people_wait_longer_than_a_full_one() -> None:
    thin = simulate([(d, 18, 22, Role.VOLUNTEER) for d in range(7)], members=600, days=14, cap=1, seed=2).summary()
    full = simulate(DEMO_ROTA, members=600, days=14, cap=2, seed=2).summary()
    assert thin["p95_wait_min"] > full["p95_wait_min"]
    assert thin["share_answered_within_5_min"] < full["share_answered_within_5_min"]


def test_nobody_on_means_every_request_becomes_a_message() -> None:
    s = simulate([], members=300, days=7, seed=1).summary()
    assert s["answered_live"] == 0 and s["left_a_message"] == s["requests"] > 0


def test_simulate_command_prints_the_comparison() -> None:
    out = StringIO()
    call_command("simulate", "--days", "7", stdout=out)
    assert "demo rota" in out.getvalue() and "late cover" in out.getvalue()
