"""One encrypted archive holds everything needed to bring a Hearth back: ``hearth backup`` / ``hearth restore``.

The archive is a gzip'd tar — ``manifest.json``, the database (a SQLite copy made with SQLite's
online backup API, or a plain ``pg_dump``), and the uploaded files (``media/``) — encrypted with
`age <https://age-encryption.org/v1>`_ (through ``pyrage``) to an X25519 key:

- ``HEARTH_BACKUP_KEY`` (or ``_FILE``) is the age identity (``AGE-SECRET-KEY-1…``, made by
  ``hearth backup --new-key`` or ``age-keygen``). ``hearth restore`` needs it.
- ``HEARTH_BACKUP_RECIPIENT`` (optional) is the matching public key (``age1…``). With only that set,
  the server can write backups it cannot read: the identity stays with the organisation (printed,
  in a safe, next to the field key) and is brought back only to restore.

Why age and a key rather than a passphrase: it is a published format with an independent tool
(Debian's ``age``: ``age -d -i key.txt hearth-….tar.gz.age | tar xz``) so a backup can be opened
without Hearth, years later; it streams, so large uploads never sit in memory; an identity is as
easy to write down as a passphrase but can't be a weak one; and the public-key mode means a stolen
server doesn't also open every old backup.

The archive never contains ``HEARTH_FIELD_KEY`` (the key that encrypts what people told us about
their health): backups are often copied to more places than the server, and must be useless without
the key kept separately. The manifest holds the field keys' *fingerprints*, and ``hearth restore``
refuses before touching anything when the configured key can't read the archive's answers, when the
archive was made by a newer Hearth (migrations this code doesn't know) or for another kind of
database, or when the backup key doesn't open it.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import os
import platform
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import django
import pyrage
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from pyrage import x25519

import hearth
from hearth.core.crypto import key_fingerprints
from hearth.core.logs import log_event

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.sql"


class BackupError(Exception):
    """Something the operator must fix; the message says what, in plain words."""


# --- Keys ---------------------------------------------------------------------------------------------


def new_key() -> tuple[str, str]:
    """A fresh age identity and its public recipient."""
    identity = x25519.Identity.generate()
    return str(identity), str(identity.to_public())


def _identity() -> x25519.Identity:
    raw = settings.HEARTH_BACKUP_KEY.strip()
    if not raw:
        raise BackupError(
            "Set HEARTH_BACKUP_KEY (or HEARTH_BACKUP_KEY_FILE) to the backup key, the line that starts "
            "AGE-SECRET-KEY-1. Make one with: hearth backup --new-key"
        )
    try:
        return x25519.Identity.from_str(raw)
    except Exception:
        raise BackupError(
            "HEARTH_BACKUP_KEY is not an age key: it should be one line starting AGE-SECRET-KEY-1."
        ) from None


def _recipients() -> list[x25519.Recipient]:
    raw = [r.strip() for r in settings.HEARTH_BACKUP_RECIPIENT.split(",") if r.strip()]
    if not raw:
        return [_identity().to_public()]
    try:
        return [x25519.Recipient.from_str(r) for r in raw]
    except Exception:
        raise BackupError(
            "HEARTH_BACKUP_RECIPIENT should be age public keys (starting age1), comma-separated."
        ) from None


# --- What's in an archive -------------------------------------------------------------------------------


@dataclass
class Summary:
    path: Path
    bytes: int
    media_files: int
    manifest: dict[str, Any]


def _media_root() -> Path | None:
    location = getattr(default_storage, "location", None)
    return Path(location) if location else None


def _applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def _server_version() -> str:
    if connection.vendor == "sqlite":
        return sqlite3.sqlite_version
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return str(cursor.fetchone()[0])


def _manifest(media_files: int, media_bytes: int) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "organisation": settings.HEARTH_ORG_NAME,
        "hearth_version": hearth.__version__,
        "django_version": django.get_version(),
        "python_version": platform.python_version(),
        "database": {"vendor": connection.vendor, "server_version": _server_version()},
        "migrations": _applied_migrations(),
        "field_key_fingerprints": key_fingerprints(),
        "media": {"files": media_files, "bytes": media_bytes},
    }


# --- PostgreSQL tools ------------------------------------------------------------------------------------


def _pg_tool(name: str) -> str:
    """``pg_dump`` or ``psql``: from HEARTH_PG_BIN, Debian's newest /usr/lib/postgresql/N/bin, or the PATH."""
    if settings.HEARTH_PG_BIN:
        candidate = Path(settings.HEARTH_PG_BIN) / name
        if candidate.exists():
            return str(candidate)
        raise BackupError(f"HEARTH_PG_BIN is {settings.HEARTH_PG_BIN!r}, which has no {name}.")
    debian = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    found = str(debian[-1]) if debian else shutil.which(name)
    if not found:
        raise BackupError(
            f"{name} isn't installed: install the PostgreSQL client (e.g. apt-get install postgresql-client) "
            "or set HEARTH_PG_BIN to the folder that has it."
        )
    return found


def _pg_env() -> dict[str, str]:
    db = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    for var, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    env["PGDATABASE"] = str(db["NAME"])
    if (db.get("OPTIONS") or {}).get("sslmode"):
        env["PGSSLMODE"] = str(db["OPTIONS"]["sslmode"])
    return env


def _run_pg(args: list[str], what: str) -> None:
    result = subprocess.run(args, env=_pg_env(), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise BackupError(f"{what} failed: {detail[-1] if detail else 'exit code ' + str(result.returncode)}")


# --- Backup ----------------------------------------------------------------------------------------------


def _dump_database(folder: Path) -> str:
    if connection.vendor == "sqlite":
        target = folder / SQLITE_FILE
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)  # SQLite's online backup API: a consistent copy while running
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        finally:
            copy.close()
        return SQLITE_FILE
    if connection.vendor == "postgresql":
        target = folder / PG_FILE
        _run_pg([_pg_tool("pg_dump"), "--format=plain", "--no-owner", "--no-privileges", f"--file={target}"], "pg_dump")
        return PG_FILE
    raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")


def _walk_media() -> Iterator[Path]:
    root = _media_root()
    if root is None or not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path


def default_output() -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.DATA_DIR) / "backups" / f"hearth-{stamp}.tar.gz.age"


def write_backup(output: Path | None = None) -> Summary:
    """Write the encrypted archive to ``output`` (a file, or a folder for a dated name) and return a summary."""
    started = time.perf_counter()
    recipients = _recipients()  # refuse before doing any work when there is no key
    output = output or default_output()
    if output.is_dir():
        output = output / default_output().name
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="hearth-backup-") as tmp:
        folder = Path(tmp)  # mode 0700: the plain copy is never readable by other users
        db_file = _dump_database(folder)
        media = list(_walk_media())
        root = _media_root()
        manifest = _manifest(len(media), sum(p.stat().st_size for p in media))
        manifest["database"]["file"] = db_file
        plain = folder / "archive.tar.gz"
        with tarfile.open(plain, "w:gz", compresslevel=6) as tar:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(time.time()), 0o600
            tar.addfile(info, io.BytesIO(data))
            tar.add(folder / db_file, arcname=db_file)
            for path in media:
                assert root is not None
                tar.add(path, arcname=f"media/{path.relative_to(root).as_posix()}")
        partial = output.with_name(output.name + ".partial")
        with open(plain, "rb") as source, open(partial, "wb") as target:
            os.chmod(partial, 0o600)
            pyrage.encrypt_io(source, target, recipients)
        partial.replace(output)  # a half-written archive never has the final name
    size = output.stat().st_size
    log_event(
        "backup.written",
        bytes=size,
        media_files=len(media),
        database=connection.vendor,
        ms=round((time.perf_counter() - started) * 1000),
    )
    return Summary(path=output, bytes=size, media_files=len(media), manifest=manifest)


# --- Restore ---------------------------------------------------------------------------------------------


@dataclass
class Opened:
    """A decrypted, checked archive in a private temporary folder (see :func:`opened_archive`)."""

    folder: Path
    manifest: dict[str, Any]
    problems: list[str]
    needs_migrate: list[str]


def _decrypt(archive: Path, target: Path) -> None:
    identity = _identity()
    if not archive.is_file():
        raise BackupError(f"There is no file at {archive}.")
    try:
        with open(archive, "rb") as source, open(target, "wb") as out:
            pyrage.decrypt_io(source, out, [identity])
    except OSError as error:  # pyrage reports a bad chunk (a cut-off or altered file) as an OSError
        if "decrypt" not in str(error).lower():
            raise BackupError(f"Couldn't decrypt {archive.name} into a temporary folder: {error}") from None
        raise BackupError(
            f"{archive.name} is damaged or incomplete: part of it doesn't decrypt. Nothing was changed."
        ) from None
    except pyrage.DecryptError:
        raise BackupError(
            f"{archive.name} can't be opened with HEARTH_BACKUP_KEY: it was made for another backup key, "
            "or the file is damaged or incomplete. Nothing was changed."
        ) from None


def _read_manifest(plain: Path) -> dict[str, Any]:
    try:
        with tarfile.open(plain, "r:gz") as tar:
            member = tar.extractfile(MANIFEST)
            if member is None:
                raise KeyError(MANIFEST)
            return dict(json.load(member))
    except (tarfile.TarError, KeyError, gzip.BadGzipFile, json.JSONDecodeError, EOFError):
        raise BackupError("This file opened with the backup key but isn't a Hearth backup (no manifest).") from None


def _version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", version)[:3])


def check_manifest(manifest: dict[str, Any]) -> tuple[list[str], list[str]]:
    """What stops a restore (problems), and which migrations will run after it (``app.name``)."""
    problems: list[str] = []
    if manifest.get("format") != FORMAT:
        problems.append(
            f"This backup is in format {manifest.get('format')!r}; this Hearth ({hearth.__version__}) reads format {FORMAT}."
        )
        return problems, []
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        problems.append(
            f"This backup is of a {vendor} database, but this Hearth is configured for {connection.vendor} "
            "(DATABASE_URL). Restore it into a Hearth with the same kind of database."
        )
    missing_keys = [f for f in manifest["field_key_fingerprints"] if f not in key_fingerprints()]
    if missing_keys:
        problems.append(
            "The answers in this backup were encrypted with a field key that isn't configured here "
            f"(fingerprint {', '.join(missing_keys)}; configured: {', '.join(key_fingerprints())}). "
            "Set HEARTH_FIELD_KEY to the key that was in use when the backup was made (add it after a comma "
            "to keep the current one): without it every encrypted answer and care note would be unreadable."
        )
    on_disk = set(MigrationLoader(connection, ignore_no_migrations=True).disk_migrations)
    archived = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    unknown = sorted(archived - on_disk)
    if unknown:
        problems.append(
            f"This backup was made by Hearth {manifest['hearth_version']}, with database changes this Hearth "
            f"({hearth.__version__}) doesn't have ({', '.join(f'{a}.{n}' for a, n in unknown[:5])}"
            f"{' …' if len(unknown) > 5 else ''}). Install Hearth {manifest['hearth_version']} or newer, then restore."
        )
    elif _version_tuple(manifest["hearth_version"]) > _version_tuple(hearth.__version__):
        problems.append(
            f"This backup was made by Hearth {manifest['hearth_version']}, newer than this one "
            f"({hearth.__version__}). Install that version or newer, then restore."
        )
    needs = sorted(f"{a}.{n}" for a, n in on_disk - archived)
    return problems, needs


def _unpack_database(plain: Path, folder: Path, manifest: dict[str, Any]) -> list[str]:
    """Take the database out of the archive and check it is whole; the problems found, if any."""
    name = str(manifest.get("database", {}).get("file", ""))
    if name not in {SQLITE_FILE, PG_FILE}:
        return ["The backup's manifest doesn't name its database file."]
    try:
        with tarfile.open(plain, "r:gz") as tar:
            tar.extract(name, folder, filter="data")
    except (KeyError, tarfile.TarError, EOFError):
        return [f"The backup has no {name}: it is incomplete."]
    path = folder / name
    if name == SQLITE_FILE:
        copy = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            whole = copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            has_tables = copy.execute("SELECT count(*) FROM sqlite_master WHERE name='django_migrations'").fetchone()[0]
        except sqlite3.DatabaseError:
            whole = has_tables = False
        finally:
            copy.close()
        if not (whole and has_tables):
            return ["The database in this backup is damaged or empty."]
    else:
        with open(path, encoding="utf-8", errors="replace") as dump:
            head = dump.read(4096)
        if "PostgreSQL database dump" not in head or path.stat().st_size < 1024:
            return ["The database in this backup is damaged or empty."]
    return []


@contextlib.contextmanager
def opened_archive(archive: Path) -> Iterator[Opened]:
    """Decrypt ``archive`` into a private temporary folder and check it; nothing else is touched."""
    with tempfile.TemporaryDirectory(prefix="hearth-restore-") as tmp:
        folder = Path(tmp)
        plain = folder / "archive.tar.gz"
        _decrypt(archive, plain)
        manifest = _read_manifest(plain)
        problems, needs = check_manifest(manifest)
        if not problems:
            problems = _unpack_database(plain, folder, manifest)
        yield Opened(folder=folder, manifest=manifest, problems=problems, needs_migrate=needs)


def _restore_database(folder: Path, manifest: dict[str, Any]) -> None:
    db_file = folder / manifest["database"]["file"]  # unpacked and checked by opened_archive
    if not db_file.is_file():
        raise BackupError("The backup's database wasn't unpacked; nothing was changed.")
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(db_file)
        try:
            source.backup(connection.connection)  # page by page into the live file, in one transaction
        finally:
            source.close()
        connection.close()
        return
    connections.close_all()  # no session of ours holds a lock on the tables being replaced
    _run_pg(
        [
            _pg_tool("psql"),
            "-X",
            "-q",
            "--set=ON_ERROR_STOP=1",
            "--single-transaction",  # everything below commits together, or nothing changes
            "-c",
            "DROP SCHEMA IF EXISTS public CASCADE",
            "-c",
            "CREATE SCHEMA public",
            f"--file={db_file}",
        ],
        "psql (restoring the database)",
    )


def _restore_media(folder: Path) -> int:
    root = _media_root()
    if root is None:
        return 0
    staged = folder / "staged"
    with tarfile.open(folder / "archive.tar.gz", "r:gz") as tar:
        members = [m for m in tar.getmembers() if m.name.startswith("media/") and m.isfile()]
        tar.extractall(staged, members=members, filter="data")  # refuses absolute paths and ../ tricks
    incoming = staged / "media"
    incoming.mkdir(parents=True, exist_ok=True)
    root.parent.mkdir(parents=True, exist_ok=True)
    aside = root.with_name(f"{root.name}.before-restore-{timezone.now().strftime('%Y%m%d%H%M%S')}")
    if root.exists():
        root.rename(aside)
    shutil.move(str(incoming), str(root))
    shutil.rmtree(aside, ignore_errors=True)
    return len(members)


def restore(opened: Opened) -> int:
    """Replace the database and uploaded files with the archive's; returns the number of files restored."""
    if opened.problems:
        raise BackupError(" ".join(opened.problems))
    started = time.perf_counter()
    _restore_database(opened.folder, opened.manifest)
    files = _restore_media(opened.folder)
    log_event(
        "backup.restored",
        database=connection.vendor,
        media_files=files,
        made_by=opened.manifest["hearth_version"],
        ms=round((time.perf_counter() - started) * 1000),
    )
    return files
