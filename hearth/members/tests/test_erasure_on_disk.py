"""Erasure reaches the disk: with Hearth's SQLite settings, an erased person's words are in neither the database
file nor its ``-wal`` once the erasure's checkpoint has run."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from pytest_django import DjangoCaptureOnCommitCallbacks

from hearth.members import data_rights
from hearth.members.models import Member

MARKS = ("Quillon Marsh", "quillon@example.org", "07700 900999", "my brother must not know")


def _open(path: str) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None)
    init = settings.DATABASES["default"].get("OPTIONS", {}).get("init_command", "")
    if "secure_delete" not in init:  # the suite runs on PostgreSQL: the settings are SQLite's only
        pytest.skip("SQLite's settings only")
    db.executescript(init)
    return db


def test_erased_words_are_in_neither_the_database_file_nor_its_wal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = str(tmp_path / "hearth.sqlite3")
    db = _open(path)
    db.execute("CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT, email TEXT, phone TEXT, words TEXT)")
    for n in range(200):  # company on the same pages
        db.execute("INSERT INTO person (name, email, phone, words) VALUES (?, ?, ?, ?)", (f"P{n}", "", "", "x" * 50))
    db.execute("INSERT INTO person (name, email, phone, words) VALUES (?, ?, ?, ?)", MARKS)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the person is in the main file now, as after a while
    db.execute("DELETE FROM person WHERE name = ?", (MARKS[0],))
    assert MARKS[3].encode() in _raw(path)  # the control: deleted, yet still on disk until the checkpoint

    # Hearth's checkpoint after an erasure, on this database.
    monkeypatch.setattr(connection, "vendor", "sqlite")
    monkeypatch.setattr(connection, "cursor", lambda: _Cursor(db))
    data_rights.checkpoint()
    db.close()

    raw = _raw(path)
    for mark in MARKS:
        assert mark.encode() not in raw, f"{mark!r} is still on disk"


def _raw(path: str) -> bytes:
    """The database file and its write-ahead log, as bytes."""
    files = [Path(path), Path(path + "-wal")]
    return b"".join(f.read_bytes() for f in files if f.exists())


class _Cursor:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> _Cursor:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def execute(self, sql: str) -> None:
        self.db.execute(sql)


def test_an_erasure_checkpoints_once_it_is_committed(
    member: Member, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks, monkeypatch: pytest.MonkeyPatch
) -> None:
    ran = []
    monkeypatch.setattr(data_rights, "checkpoint", lambda: ran.append(True))
    with django_capture_on_commit_callbacks(execute=True):
        data_rights.erase_member(member)
    assert ran == [True]
