"""``hearth bench_triage`` times the shared dev set, or says clearly that it isn't there (issue 21)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command


def test_without_the_shared_folder_it_stops_and_says_where_it_looked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A file of the same name elsewhere in the repository must not be used instead.
    monkeypatch.setenv("HEARTH_TRIAGE_DATA", str(tmp_path / "nowhere"))
    with pytest.raises(CommandError) as refused:
        call_command("bench_triage", repeat=1)
    assert "dev.jsonl" in str(refused.value) and str(tmp_path / "nowhere") in str(refused.value)
    assert "HEARTH_TRIAGE_DATA" in str(refused.value)


def test_it_times_the_file_it_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "triage"
    folder.mkdir()
    (folder / "dev.jsonl").write_text(json.dumps({"text": "morning all, kettle's on"}) + "\n")
    monkeypatch.setenv("HEARTH_TRIAGE_DATA", str(folder))
    monkeypatch.setattr("os.sched_setaffinity", lambda *a: None, raising=False)
    call_command("bench_triage", repeat=2)
    assert "2 messages from dev.jsonl" in capsys.readouterr().out
