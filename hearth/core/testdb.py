"""The test database: migrated once into a template, then copied (used by ``hearth/conftest.py``).

Running every migration costs ~9 s of CPU (Django renders each migration's model state, not the SQL), and
each pytest-xdist worker of each run used to pay it. Instead one process migrates a *template* and every test
database is a copy of it:

- SQLite: the template is a file in the temporary directory named by a fingerprint of every migration (and of
  the project modules the data migrations import), so later runs — and CI's year-ahead run — reuse it. A
  worker copies it into its in-memory database with SQLite's backup API, in milliseconds.
- PostgreSQL: the template is a database on the server, ``<test name>_template_<fingerprint>``; each worker's
  database is made from it with ``CREATE DATABASE … TEMPLATE``.

A lock (a file lock for SQLite, an advisory lock for PostgreSQL) makes one process migrate while the others
wait. ``pytest --create-db`` rebuilds the template. The schema is still built by the migrations themselves, so
the tests keep checking them; only the repetition goes.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import django
from django.apps import apps
from django.db import connections

_PROJECT_IMPORT = re.compile(r"^\s*(?:from|import)\s+(hearth(?:\.\w+)+)", re.MULTILINE)


def fingerprint() -> str:
    """A hash of everything that decides the migrated schema and rows: every installed app's migrations, the
    project modules they import (data migrations read defaults from them), Django's and SQLite's versions."""
    digest = hashlib.sha256(f"{django.__version__} {sqlite3.sqlite_version}".encode())
    root = Path(apps.get_app_config("core").path).parent.parent
    for config in sorted(apps.get_app_configs(), key=lambda c: c.label):
        folder = Path(config.path) / "migrations"
        for path in sorted(folder.glob("*.py")) if folder.is_dir() else []:
            source = path.read_bytes()
            digest.update(config.label.encode() + path.name.encode() + source)
            for module in sorted(set(_PROJECT_IMPORT.findall(source.decode()))):
                imported = root / (module.replace(".", "/") + ".py")
                if imported.is_file():
                    digest.update(imported.read_bytes())
    return digest.hexdigest()[:16]


@contextlib.contextmanager
def setup_from_template(rebuild: bool = False) -> Iterator[None]:
    """While active, Django's ``setup_databases`` (as pytest-django calls it) copies the template instead of
    migrating; the first process to get here makes the template. ``rebuild`` makes it again."""
    from django.core import management
    from django.test import utils

    real_setup_databases, real_call_command = utils.setup_databases, management.call_command

    def call_command(name: Any, *args: Any, **options: Any) -> Any:
        if name != "migrate":
            return real_call_command(name, *args, **options)
        connection = connections[options.get("database", "default")]
        copy = _sqlite_template if connection.vendor == "sqlite" else _postgresql_template
        return copy(connection, lambda: real_call_command(name, *args, **options), rebuild)

    def setup_databases(*args: Any, **kwargs: Any) -> Any:
        with mock.patch.object(management, "call_command", call_command):
            return real_setup_databases(*args, **kwargs)

    with mock.patch.object(utils, "setup_databases", setup_databases):
        yield


def _sqlite_template_path() -> Path:
    return Path(tempfile.gettempdir()) / f"hearth-test-templates-{os.getuid()}" / f"{fingerprint()}.sqlite3"


def sqlite_template() -> Path | None:
    """The migrated SQLite template for today's migrations, once a test run has made it: a file to copy instead
    of running ``migrate`` (the chat tests' real server processes start from a copy)."""
    path = _sqlite_template_path()
    return path if path.is_file() else None


def _sqlite_template(connection: Any, migrate: Callable[[], Any], rebuild: bool) -> None:
    template = _sqlite_template_path()
    folder = template.parent
    folder.mkdir(exist_ok=True)
    with open(folder / f"{template.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        connection.ensure_connection()
        if template.exists() and not rebuild:
            with sqlite3.connect(template) as source:
                source.backup(connection.connection)
            return
        migrate()
        partial = template.with_suffix(f".{os.getpid()}.partial")
        with sqlite3.connect(partial) as copy:
            connection.connection.backup(copy)
        copy.close()
        partial.replace(template)


def _postgresql_template(connection: Any, migrate: Callable[[], Any], rebuild: bool) -> None:
    name = connection.settings_dict["NAME"]
    without_worker_suffix = re.sub(r"_gw\d+$", "", name)
    template = f"{without_worker_suffix}_template_{fingerprint()}"
    quote = connection.ops.quote_name
    with connection.creation._nodb_cursor() as lock:
        lock.execute("SELECT pg_advisory_lock(hashtext(%s))", [template])
        lock.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template])
        exists = lock.fetchone() is not None
        if exists and rebuild:
            lock.execute(f"DROP DATABASE {quote(template)}")
            exists = False
        connection.close()
        connection.close_pool()
        if exists:
            lock.execute(f"DROP DATABASE {quote(name)}")
            lock.execute(f"CREATE DATABASE {quote(name)} TEMPLATE {quote(template)}")
        else:
            migrate()
            connection.close()
            connection.close_pool()
            lock.execute(f"CREATE DATABASE {quote(template)} TEMPLATE {quote(name)}")
        lock.execute("SELECT pg_advisory_unlock(hashtext(%s))", [template])


def make_template() -> None:
    """Make the template for the database ``DATABASE_URL`` names, if today's migrations have none yet, and leave
    nothing else behind: ``make test`` runs ``python -m hearth.core.testdb`` beside lint, so neither suite's
    workers wait for one of them to migrate (about ten seconds, while the others wait)."""
    from django.test import utils

    with setup_from_template():
        databases = utils.setup_databases(verbosity=0, interactive=False, serialized_aliases=[])
    utils.teardown_databases(databases, verbosity=0)


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hearth.settings")
    django.setup()
    make_template()
