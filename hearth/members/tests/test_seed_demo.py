"""``hearth seed_demo`` on a real database (what the demo holds is tested in test_demo_covers_every_model.py)."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from hearth.members.models import Member


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_if_empty_leaves_a_real_database_alone(member: Member) -> None:
    assert "leaving it as it is" in seed("--if-empty")
    assert Member.objects.count() == 1
