"""`hearth triage` answers the scorer's contract through both entry points."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command

LINES = [
    {"id": "a", "text": "I've taken all my tablets, goodbye everyone"},
    {"id": "b", "text": "Anyone fancy the allotment on Saturday?"},
]


def test_hearth_triage_command_line_keeps_ids_one_line_each() -> None:
    stdin = "".join(json.dumps(x) + "\n" for x in LINES) + "not json at all\n"
    result = subprocess.run(
        [sys.executable, "-m", "hearth.cli", "triage"], input=stdin, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    out = {row["id"]: row for row in map(json.loads, result.stdout.splitlines())}
    assert out["a"]["risk"] == "crisis"
    assert out["b"] == {"id": "b", "risk": "none", "flags": []}


def test_management_command_is_the_same_function(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", StringIO(json.dumps(LINES[0]) + "\n"))
    out = StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    call_command("triage")
    assert json.loads(out.getvalue())["risk"] == "crisis"
