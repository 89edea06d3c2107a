"""Browser tests: a real uvicorn server with the demo organisation, driven by Debian's Chromium.

Run in their own pytest process (Playwright's sync API and asyncio tests don't
mix): ``DJANGO_ALLOW_ASYNC_UNSAFE=true .venv/bin/pytest e2e``. `make test` does.

Fixtures:
- ``live_server_url``: the base URL of a server of this test's own (uvicorn and the
  task worker, as ``hearth serve`` runs them) on its own copy of the demo organisation, which is
  migrated and seeded once per run (``demo_snapshot``). Tests share nothing, so
  they pass in any order; ``make test`` runs them shuffled. The two processes are forked from one that
  started Hearth once per pytest process (``e2e/zygote.py``), so they start warm in a fraction of a second.
- ``page``: a Playwright page in a fresh browser context (own cookies); console
  errors and failed requests are collected in ``page_errors`` and fail the test.
- ``new_page``: a factory for more pages (a second person in the same test).
- :func:`sign_in` and :func:`assert_accessible` helpers.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from e2e import snapshot

# As in hearth/conftest.py: pytest keeps the test modules it rewrote though PYTHONDONTWRITEBYTECODE is set.
sys.dont_write_bytecode = False

ROOT = Path(__file__).resolve().parent.parent
DEMO_PASSWORD = "hearth-demo-2026"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _make_snapshot() -> Path:
    return snapshot.make(Path(tempfile.mkdtemp(prefix="hearth-e2e-snapshot-")))


_SNAPSHOT_KEY = "hearth_e2e_snapshot"
_snapshot_stash = pytest.StashKey[Path]()


def pytest_configure(config: pytest.Config) -> None:
    """Under xdist the controller makes the snapshot once, before the workers start, instead of each worker."""
    if hasattr(config, "workerinput") or config.getoption("numprocesses", None) in (None, 0):
        return
    if config.getoption("collectonly", False):
        return
    config.stash[_snapshot_stash] = snapshot.made_beforehand() or _make_snapshot()


def pytest_unconfigure(config: pytest.Config) -> None:
    data = config.stash.get(_snapshot_stash, None)
    if data is not None and data != snapshot.made_beforehand():  # a snapshot made beforehand is its maker's
        shutil.rmtree(data, ignore_errors=True)


def pytest_configure_node(node: Any) -> None:  # an xdist hook: what each worker is handed
    node.workerinput[_SNAPSHOT_KEY] = str(node.config.stash[_snapshot_stash])


@pytest.fixture(scope="session")
def demo_snapshot(request: pytest.FixtureRequest) -> Iterator[Path]:
    """A data folder with the migrated demo organisation and collected static files, made once per run.

    Every test copies it and gets a server of its own (``live_server_url``), so no test sees another's
    leftovers and the tests pass in any order (``make test`` runs them shuffled). With xdist the controller
    makes it (see :func:`pytest_configure`) and the workers only copy it.
    """
    shared = getattr(request.config, "workerinput", {}).get(_SNAPSHOT_KEY)
    if shared:
        yield Path(shared)
        return
    made = snapshot.made_beforehand()
    if made is not None:
        yield made
        return
    data = _make_snapshot()
    yield data
    shutil.rmtree(data, ignore_errors=True)


class _Server:
    """uvicorn and the task worker, as ``hearth serve`` runs them, on one copy of the demo organisation."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = dict(env)
        self.data = Path(env["HEARTH_DATA_DIR"])
        self.url = f"http://127.0.0.1:{_free_port()}"
        self.log = open(self.data / "server.log", "a")  # noqa: SIM115 (closed in stop)
        web = [
            *(sys.executable, "-m", "uvicorn", "hearth.asgi:application", "--host", "127.0.0.1"),
            *("--ws", "hearth.core.uvicorn_ws:WebSocketProtocol"),
            *("--port", self.url.rsplit(":", 1)[1]),
            *("--timeout-graceful-shutdown", "2"),  # a page left open must not hold the next test up
        ]
        worker = [sys.executable, "-m", "hearth.cli", "worker", "--no-reload"]
        run_env = {**env, "HEARTH_BASE_URL": self.url}
        self.procs = [
            subprocess.Popen(argv, cwd=ROOT, env=run_env, stdout=self.log, stderr=subprocess.STDOUT)
            for argv in (web, worker)
        ]

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=1):  # noqa: S310 (our own loopback server)
                    return
            except OSError:
                if any(p.poll() is not None for p in self.procs) or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(
                        "the e2e server did not start:\n" + (self.data / "server.log").read_text()
                    ) from None
                time.sleep(0.1)

    def stop(self) -> None:
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        self.log.close()


def _copy_demo(demo_snapshot: Path, data: Path | None = None) -> dict[str, str]:
    """A fresh copy of the demo organisation (database, uploads; static files are shared) in ``data`` (emptied
    first) or a new folder: its server's env."""
    if data is None:
        data = Path(tempfile.mkdtemp(prefix="hearth-e2e-"))
    else:
        for old in [*data.glob("e2e.sqlite3*"), data / "media"]:
            shutil.rmtree(old) if old.is_dir() else old.unlink(missing_ok=True)
    for db in demo_snapshot.glob("e2e.sqlite3*"):
        shutil.copy2(db, data / db.name)
    if (demo_snapshot / "media").is_dir():
        shutil.copytree(demo_snapshot / "media", data / "media")
    if not (data / "static").exists():
        (data / "static").symlink_to(demo_snapshot / "static")
    return snapshot.server_env(data)


class _Zygote:
    """``e2e/zygote.py`` for one pytest process: Hearth started once, on one data folder and port, forking a new
    uvicorn and worker for each test after the folder gets a fresh copy of the demo (see that module)."""

    def __init__(self, demo_snapshot: Path) -> None:
        self.demo = demo_snapshot
        self.data = Path(tempfile.mkdtemp(prefix="hearth-e2e-"))
        self.url = f"http://127.0.0.1:{_free_port()}"
        self.env = {**_copy_demo(demo_snapshot, self.data), "HEARTH_BASE_URL": self.url}
        self.log = open(self.data / "zygote.log", "a")  # noqa: SIM115 (closed in close)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "e2e.zygote"],
            cwd=ROOT,
            env=self.env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
        )
        self.fresh = True  # the folder holds an untouched copy of the demo
        self._ask(None, "warm")

    def _ask(self, command: str | None, expect: str) -> None:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        if command is not None:
            self.proc.stdin.write(command + "\n")
            self.proc.stdin.flush()
        answer = self.proc.stdout.readline().strip()
        if answer != expect:
            logs = [(self.data / name) for name in ("zygote.log", "server.log")]
            text = "\n".join(path.read_text() for path in logs if path.is_file())
            raise RuntimeError(f"the e2e server answered {answer!r} to {command!r}:\n{text}")

    def env_for_test(self) -> dict[str, str]:
        """The folder with a fresh copy of the demo, for the next test."""
        if not self.fresh:
            _copy_demo(self.demo, self.data)
            (self.data / "server.log").unlink(missing_ok=True)
        self.fresh = False
        return dict(self.env)

    def start(self) -> None:
        self._ask("start", "ready")

    def stop(self) -> None:
        self._ask("stop", "stopped")

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()
        shutil.rmtree(self.data, ignore_errors=True)


@pytest.fixture(scope="session")
def _zygote(demo_snapshot: Path) -> Iterator[_Zygote]:
    zygote = _Zygote(demo_snapshot)
    yield zygote
    zygote.close()


@pytest.fixture
def server_env(_zygote: _Zygote) -> dict[str, str]:
    """This test's own copy of the demo organisation; a test may change its server's settings here (its server
    starts in ``live_server_url``, with whatever this dict holds then)."""
    return _zygote.env_for_test()


@pytest.fixture
def live_server_url(server_env: dict[str, str], _zygote: _Zygote) -> Iterator[str]:
    """A real server for this test alone, as ``hearth serve`` runs it: uvicorn and the task worker, forked from
    the warm ``_zygote``, or started from scratch when the test asked for other settings."""
    if server_env == _zygote.env:
        _zygote.start()
        try:
            yield _zygote.url
        finally:
            _zygote.stop()
        return
    server = _Server(server_env)
    try:
        server.wait_ready()
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page_errors() -> list[str]:
    return []


@pytest.fixture
def new_page(browser: Browser, page_errors: list[str]) -> Iterator[Callable[..., Page]]:
    contexts = []

    def make(**context_options: Any) -> Page:
        context = browser.new_context(**context_options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on(
            "console",
            lambda msg: page_errors.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None,
        )
        page.on("pageerror", lambda exc: page_errors.append(f"page error: {exc}"))
        # ERR_ABORTED is the browser cancelling a request because the test moved on to another page.
        page.on(
            "requestfailed",
            lambda req: (
                None
                if "ERR_ABORTED" in (req.failure or "")
                else page_errors.append(f"request failed: {req.url} {req.failure}")
            ),
        )
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Page], page_errors: list[str]) -> Iterator[Page]:
    yield new_page()
    assert page_errors == [], "the browser reported errors"


def sign_in(page: Page, base_url: str, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{base_url}/signin/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base_url}/")


def on_duty(server_env: dict[str, str]) -> list[str]:
    """The emails of the supporters checked in on this test's copy of the demo (it has a peer worker on duty)."""
    import sqlite3

    with sqlite3.connect(Path(server_env["HEARTH_DATA_DIR"]) / "e2e.sqlite3") as db:
        rows = db.execute(
            "SELECT m.email FROM members_member m JOIN availability_dutysession d ON d.supporter_id = m.id "
            "WHERE d.ended_at IS NULL ORDER BY m.email"
        ).fetchall()
    return [email for (email,) in rows]


def check_out_everyone(page: Page, base_url: str, server_env: dict[str, str]) -> None:
    """Each supporter the demo has on duty signs in and checks out, so nobody is on duty."""
    for email in on_duty(server_env):
        page.context.clear_cookies()
        sign_in(page, base_url, email)
        page.goto(f"{base_url}/duty/")
        page.get_by_role("button", name="Check out").click()
        page.get_by_role("button", name="Check in").wait_for()
    page.context.clear_cookies()


def assert_accessible(page: Page) -> None:
    """axe-core (bundled with axe-playwright-python, nothing downloaded): no serious or critical violations."""
    from axe_playwright_python.sync_playwright import Axe

    # A link's click returns once navigation has started; axe must read the page it led to, not one half-replaced.
    page.wait_for_load_state("load")
    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    summary = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}" for v in bad
    )
    assert not bad, f"accessibility violations on {page.url}:\n{summary}"
