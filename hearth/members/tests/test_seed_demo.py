from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from hearth.members.models import Member, Role


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_demo_organisation_has_every_role_and_a_sign_in_for_each(db):
    seed()
    assert 55 <= Member.objects.count() <= 65
    for role in (Role.VOLUNTEER, Role.PEER_WORKER, Role.COUNSELLOR, Role.COORDINATOR):
        assert Member.objects.filter(role_grants__role=role).exists(), role
    robin = Member.objects.get(email="member@example.org")
    assert robin.check_password("hearth-demo-2026")
    assert Member.objects.filter(invited_by__isnull=False).count() > 30  # word of mouth


def test_demo_is_deterministic(db):
    seed()
    first = list(Member.objects.order_by("pk").values_list("display_name", "pronouns", "age_band"))
    Member.objects.all().delete()
    seed()
    assert list(Member.objects.order_by("pk").values_list("display_name", "pronouns", "age_band")) == first


def test_if_empty_leaves_a_real_database_alone(member):
    assert "leaving it as it is" in seed("--if-empty")
    assert Member.objects.count() == 1
