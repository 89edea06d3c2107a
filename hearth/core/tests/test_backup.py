"""Backup and restore: one encrypted archive, checked before anything is touched.

These run on SQLite in the SQLite suite and on PostgreSQL (pg_dump and psql) in the PostgreSQL suite
(`scripts/test.sh` sets DATABASE_URL). Each backs up a real database, so they use committed data
(``transaction=True``).
"""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path
from typing import Any

import pyrage
import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection
from pyrage import x25519
from pytest_django import Settings

from hearth.core import backup
from hearth.core.crypto import derive_development_key, encrypt_json, key_fingerprints
from hearth.intake.actions import publish_default_version
from hearth.intake.models import Assessment
from hearth.members.models import Member

pytestmark = pytest.mark.django_db(transaction=True)

ANSWERS = {"how_today": ["struggling"], "anything_else": "Money worries and not sleeping"}


@pytest.fixture
def backup_key(settings: Settings) -> str:
    identity, _ = backup.new_key()
    settings.HEARTH_BACKUP_KEY = identity
    settings.HEARTH_BACKUP_RECIPIENT = ""
    return identity


@pytest.fixture
def media(settings: Settings, tmp_path: Path) -> Path:
    root: Path = tmp_path / "media"
    (root / "community" / "photos").mkdir(parents=True)
    (root / "community" / "photos" / "scarf.jpg").write_bytes(b"\xff\xd8 a photo of a half-finished scarf")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": root}},
    }
    settings.DATA_DIR = tmp_path
    return root


@pytest.fixture
def robins_answers(member: Member) -> Assessment:
    return Assessment.objects.create(
        member=member, version=publish_default_version(), answers_encrypted=encrypt_json(ANSWERS), paths="peer"
    )


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def make_backup(tmp_path: Path) -> Path:
    output = tmp_path / "backups" / "hearth.tar.gz.age"
    assert "Backup written:" in run("backup", "--output", str(output))
    return output


def test_backup_wipe_restore_and_the_encrypted_answers_still_decrypt(
    backup_key: str, media: Path, robins_answers: Assessment, tmp_path: Path
) -> None:
    archive = make_backup(tmp_path)
    assert archive.read_bytes().startswith(b"age-encryption.org/v1\n")  # the standard age format
    assert b"Money worries" not in archive.read_bytes() and b"robin@example.org" not in archive.read_bytes()

    call_command("flush", interactive=False, verbosity=0)  # wipe: every table emptied
    (media / "community" / "photos" / "scarf.jpg").unlink()
    assert not Member.objects.exists()

    out = run("restore", str(archive), "--yes")
    assert "Restored the database and 1 uploaded files." in out
    restored = Assessment.objects.get(pk=robins_answers.pk)
    assert restored.member.email == "robin@example.org"
    assert restored.answers() == ANSWERS  # decrypts with the configured field key
    assert (media / "community" / "photos" / "scarf.jpg").read_bytes() == b"\xff\xd8 a photo of a half-finished scarf"


def test_check_only_opens_and_checks_and_changes_nothing(
    backup_key: str, media: Path, robins_answers: Assessment, tmp_path: Path
) -> None:
    archive = make_backup(tmp_path)
    Member.objects.create_user("new@example.org", "a-long-test-password-42", display_name="Newcomer")
    out = run("restore", str(archive), "--check")
    assert "Checked: the backup key opens it" in out
    assert Member.objects.filter(email="new@example.org").exists()


def test_restore_refuses_when_the_field_key_cant_read_the_answers(
    backup_key: str, media: Path, robins_answers: Assessment, tmp_path: Path, settings: Settings
) -> None:
    archive = make_backup(tmp_path)
    made_with = key_fingerprints()[0]
    Member.objects.create_user("new@example.org", "a-long-test-password-42", display_name="Newcomer")
    settings.HEARTH_FIELD_KEY = Fernet.generate_key().decode()
    with pytest.raises(CommandError) as refused:
        run("restore", str(archive), "--yes")
    assert "nothing was changed" in str(refused.value)
    assert f"field key that isn't configured here (fingerprint {made_with}" in str(refused.value)
    assert Member.objects.filter(email="new@example.org").exists()  # untouched
    # With the key in use at the time added back (after the new one), it can be restored.
    settings.HEARTH_FIELD_KEY += "," + derive_development_key(settings.SECRET_KEY)  # tests' key comes from SECRET_KEY
    assert "Checked:" in run("restore", str(archive), "--check")


def test_restore_refuses_an_archive_whose_database_is_empty(
    backup_key: str, media: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, member: Member
) -> None:
    def empty(folder: Path) -> str:
        if connection.vendor == "sqlite":
            sqlite3.connect(folder / backup.SQLITE_FILE).close()
            return backup.SQLITE_FILE
        (folder / backup.PG_FILE).write_text("")
        return backup.PG_FILE

    monkeypatch.setattr(backup, "_dump_database", empty)
    archive = make_backup(tmp_path)
    with pytest.raises(CommandError, match="damaged or empty"):
        run("restore", str(archive), "--yes")
    assert Member.objects.filter(pk=member.pk).exists()


def test_restore_refuses_a_backup_from_a_newer_hearth(
    backup_key: str, media: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, member: Member
) -> None:
    applied = backup._applied_migrations
    monkeypatch.setattr(backup, "_applied_migrations", lambda: {**applied(), "core": ["0999_from_the_future"]})
    archive = make_backup(tmp_path)
    with pytest.raises(CommandError, match=r"doesn't have \(core.0999_from_the_future\).*Install Hearth"):
        run("restore", str(archive), "--yes")
    assert Member.objects.filter(pk=member.pk).exists()


def test_restore_refuses_a_backup_of_another_kind_of_database(
    backup_key: str, media: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, member: Member
) -> None:
    real = backup._manifest

    def other_vendor(*args: int) -> dict[str, Any]:
        manifest = real(*args)
        manifest["database"]["vendor"] = "oracle"
        return manifest

    monkeypatch.setattr(backup, "_manifest", other_vendor)
    archive = make_backup(tmp_path)
    with pytest.raises(CommandError, match="This backup is of a oracle database"):
        run("restore", str(archive), "--yes")


def test_restore_refuses_with_the_wrong_backup_key_or_a_damaged_file(
    backup_key: str, media: Path, tmp_path: Path, settings: Settings
) -> None:
    archive = make_backup(tmp_path)
    settings.HEARTH_BACKUP_KEY, _ = backup.new_key()
    with pytest.raises(CommandError, match="can't be opened with HEARTH_BACKUP_KEY"):
        run("restore", str(archive), "--check")
    settings.HEARTH_BACKUP_KEY = backup_key
    damaged = tmp_path / "damaged.age"
    damaged.write_bytes(archive.read_bytes()[:-100])
    with pytest.raises(CommandError, match="damaged or incomplete"):
        run("restore", str(damaged), "--check")


def test_the_server_can_write_backups_it_cannot_read(media: Path, tmp_path: Path, settings: Settings) -> None:
    identity = x25519.Identity.generate()
    settings.HEARTH_BACKUP_KEY = ""
    settings.HEARTH_BACKUP_RECIPIENT = str(identity.to_public())
    archive = make_backup(tmp_path)
    with pytest.raises(CommandError, match="Set HEARTH_BACKUP_KEY"):
        run("restore", str(archive), "--check")
    assert pyrage.decrypt(archive.read_bytes(), [identity])[:2] == b"\x1f\x8b"  # opens with the kept key: a gzip'd tar


def test_no_key_no_backup(settings: Settings, tmp_path: Path) -> None:
    settings.HEARTH_BACKUP_KEY = settings.HEARTH_BACKUP_RECIPIENT = ""
    with pytest.raises(CommandError, match="hearth backup --new-key"):
        run("backup", "--output", str(tmp_path))
    assert "HEARTH_BACKUP_KEY=AGE-SECRET-KEY-1" in run("backup", "--new-key")
