"""The shared cast for Hearth's tests.

- ``member``: Robin, an ordinary member — the person most features are for.
- ``volunteer``: Sam, who hosts things and passes concerns on, but is not staff.
- ``peer_worker``: Priya, staff who calls people and sees contact details when needed.
- ``counsellor``: Dr Okafor, staff.
- ``coordinator``: Jo, who runs the service: roles, settings, the audit log.
- ``outsider``: Kit, another member with no special relationship to anyone — the
  person every "can't see someone else's things" test signs in as.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from pytest_django import DjangoCaptureOnCommitCallbacks, DjangoDbBlocker, Settings

from hearth.members.models import Member, Role, RoleGrant
from hearth.testing import DEMO_NOW, ClientFor, Events, FakeSMTPServer, MakeMember, sign_in

# pytest keeps each test module it has rewritten (for its assert messages) beside the source, unless Python is told
# not to write bytecode, as this environment tells it (PYTHONDONTWRITEBYTECODE): then every process of every run
# rewrites all of them again, three of its five seconds of collecting. The files are ignored by git.
sys.dont_write_bytecode = False


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    _skip_full_fuzz(config, items)
    _long_ones_first(items)


def _skip_full_fuzz(config: pytest.Config, items: list[pytest.Item]) -> None:
    """``fuzz`` tests (every malformed value everywhere, ten minutes) run only when asked for: ``make fuzz``."""
    if "fuzz" in (config.getoption("markexpr") or ""):
        return
    skip = pytest.mark.skip(reason="every-kind fuzz: run with make fuzz (-m fuzz)")
    for item in items:
        if item.get_closest_marker("fuzz"):
            item.add_marker(skip)


def _long_ones_first(items: list[pytest.Item]) -> None:
    """The tests that walk the seeded demo organisation (the fuzz, the reachability walk: seconds each) go first
    among the tests of their kind, after pytest-django has put the kinds in Django's order (one transaction each,
    then the ones that commit, then the ones without a database) and pytest-randomly has shuffled them. xdist hands
    the first tests out one at a time in turn, so the long ones are shared between its workers and none is left
    to the end, where one worker would run it while the other had nothing left (shares of 74 s and 53 s were seen)."""

    def kind(item: pytest.Item) -> int:  # pytest-django's order: its get_order_number, for test functions
        marker = item.get_closest_marker("django_db")
        fixtures = getattr(item, "fixturenames", [])
        transactional = bool(marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")))
        transactional = transactional or "transactional_db" in fixtures or "live_server" in fixtures
        if transactional:
            return 1
        return 0 if marker or "db" in fixtures else 2

    items.sort(key=lambda item: (kind(item), "demo_organisation" not in getattr(item, "fixturenames", [])))


PASSWORD = "a-long-test-password-42"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix: None, django_db_createdb: bool
) -> Iterator[None]:
    """The test databases are copies of one migrated template (``hearth/core/testdb.py``; ``--create-db`` remakes it)."""
    from hearth.core.testdb import setup_from_template

    with setup_from_template(rebuild=django_db_createdb):
        yield


@pytest.fixture(scope="session", autouse=True)
def _fast_hashing() -> Iterator[None]:
    """Passwords hashed with MD5 for the whole session (an Argon2 hash costs a tenth of a second or more), so
    module-wide fixtures such as ``demo_organisation`` make hashes the tests can check."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _screening_guard() -> Iterator[None]:
    """Every test is a unit of work for the screening guard: member text an action (or view, or consumer) stored
    without passing through ``core/screening.py`` fails the test. Test code's own set-up writes aren't checked."""
    from hearth.core import screening

    with screening.watch("this test", strict=True):
        yield


@pytest.fixture
def own_units_of_work() -> Iterator[None]:
    """For tests of the guard itself: each request or ``screening.watch`` in the test is checked on its own."""
    from hearth.core import screening

    token = screening._watch.set(None)
    yield
    screening._watch.reset(token)


@pytest.fixture(autouse=True)
def _own_cache(settings: Settings, request: pytest.FixtureRequest) -> None:
    """Each test its own cache, even when the suite runs with Redis (sign-in throttling counts live there)."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": request.node.nodeid},
        # Throttle counts in the test database's table, as in production without Redis: each test's own.
        "throttle": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "hearth_throttle"},
    }


@pytest.fixture
def smtp(settings: Settings) -> Iterator[FakeSMTPServer]:
    """Email set up, with a real SMTP server on loopback that accepts everything (``smtp.messages``)."""
    with FakeSMTPServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", server.port, False
        settings.EMAIL_TIMEOUT = 5
        yield server


@pytest.fixture
def smtp_down(settings: Settings) -> None:
    """Email set up, but the mail server refuses connections (nothing listens on its loopback port)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", FakeSMTPServer.refusing(), False
    settings.EMAIL_TIMEOUT = 5


@pytest.fixture
def make_member(db: None) -> MakeMember:
    def make(display_name: str, *roles: str, email: str | None = None, **fields: Any) -> Member:
        email = email or f"{display_name.lower().replace(' ', '.')}@example.org"
        person = Member.objects.create_user(email, PASSWORD, display_name=display_name, **fields)
        for role in roles:
            RoleGrant.objects.create(member=person, role=role)
        return person

    return make


@pytest.fixture
def member(make_member: MakeMember) -> Member:
    return make_member("Robin", phone="07700 900123", pronouns="she/her")


@pytest.fixture
def volunteer(make_member: MakeMember) -> Member:
    return make_member("Sam", Role.VOLUNTEER)


@pytest.fixture
def peer_worker(make_member: MakeMember) -> Member:
    return make_member("Priya", Role.PEER_WORKER, Role.VOLUNTEER)


@pytest.fixture
def counsellor(make_member: MakeMember) -> Member:
    return make_member("Dr Okafor", Role.COUNSELLOR)


@pytest.fixture
def coordinator(make_member: MakeMember) -> Member:
    return make_member("Jo", Role.COORDINATOR)


@pytest.fixture
def outsider(make_member: MakeMember) -> Member:
    return make_member("Kit")


@pytest.fixture
def client_for() -> ClientFor:
    """A test client signed in as that person (or anonymous for None); staff also entered a code."""

    def make(person: Member | None) -> Client:
        client = Client()
        if person is not None:
            sign_in(client, person)  # staff with their second factor, as a new organisation requires
        return client

    return make


@pytest.fixture
def events(django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks) -> Events:
    """``with events() as sent:`` — every live event sent while the block runs, after-commit callbacks run.

    ``sent.recipients_of(kind)`` and ``sent.events_for(group)`` say who heard what.
    """
    from hearth.core.events import _Capture, capture_events

    @contextlib.contextmanager
    def capture() -> Iterator[_Capture]:
        with capture_events() as sent, django_capture_on_commit_callbacks(execute=True):
            yield sent

    return capture


@pytest.fixture(scope="module")
def demo_organisation(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    """The demo organisation (``hearth seed_demo`` with the clock at ``DEMO_NOW``), seeded once for a module.

    Seeding costs seconds, so a module's tests share one: it is seeded inside a transaction that the module's
    end rolls back, and each test (asking for ``db`` as usual) runs in a savepoint of it, so no test sees
    another's changes. Use it for a whole module (``pytestmark = pytest.mark.usefixtures("demo_organisation")``,
    or a module's ``demo`` fixture asking for ``db`` and it when some tests don't use the database: pytest-django
    runs those last, which would seed it again): once it is seeded every test of the module sees it. Not with
    ``transaction=True`` tests (they would empty it). Tests set their own clock.
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        with time_machine.travel(DEMO_NOW, tick=False):
            call_command("seed_demo", stdout=StringIO())
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
