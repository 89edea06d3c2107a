"""A browser test's server, forked from a process that has already started Hearth (``python -m e2e.zygote``).

Starting ``hearth serve``'s two processes from scratch costs about two seconds of CPU per browser test: each
imports Django and Hearth, then compiles every template and loads triage's weights on its first pages. This
process does all of that once, with the environment of one data folder, then for each test forks the two
processes (uvicorn and the task worker) from itself: each test still gets new server processes of its own, on
its own fresh copy of the demo (``conftest.py`` copies it into the folder between tests), but they start warm.

It reads one command a line on stdin and answers one line on stdout:

- ``start``: fork the web server and the worker, wait until the web server answers ``/healthz``; answers
  ``ready`` (or ``failed <reason>``; the log is the folder's ``server.log``);
- ``stop``: stop both as ``hearth serve`` would (SIGTERM, then SIGKILL after ten seconds); answers ``stopped``.

At the end of stdin it stops what it started and exits. Nothing is opened on the database before a fork.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import uvicorn

STOP_WAIT = 10.0


def _warm() -> uvicorn.Config:
    """Import and prepare everything a server and a worker use, so a fork starts ready; the uvicorn config."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hearth.settings")
    import uvicorn
    from django.apps import apps
    from django.db import connections
    from django.template.loader import get_template
    from django.urls import get_resolver

    from hearth.asgi import application
    from hearth.core.management.commands import worker  # noqa: F401 (imported for the worker's fork)
    from hearth.safety import triage

    get_resolver().url_patterns  # noqa: B018 (imports every view)
    for app in apps.get_app_configs():
        if not app.name.startswith("hearth."):
            continue
        folder = Path(app.path) / "templates"
        for path in sorted(folder.rglob("*.html")) if folder.is_dir() else []:
            get_template(str(path.relative_to(folder)))  # compiled once, in the cached loader, for every fork
    triage.classify("warming up")
    port = int(os.environ["HEARTH_BASE_URL"].rsplit(":", 1)[1])
    config = uvicorn.Config(
        application,
        host="127.0.0.1",
        port=port,
        ws="hearth.core.uvicorn_ws:WebSocketProtocol",  # as `hearth serve` runs it
        timeout_graceful_shutdown=2,
    )
    config.load()  # imports uvicorn's protocol implementations now rather than in every fork
    connections.close_all()
    return config


def _fork(log: Path, run: Callable[[], object]) -> int:
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:
        fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        run()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _run_worker() -> None:
    from django.core.management import call_command

    call_command("worker", "--no-reload")


def _stop(pids: list[int]) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_WAIT
    for pid in pids:
        while True:
            done, _ = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                break
            time.sleep(0.02)


def _wait_ready(url: str, pids: list[int]) -> str:
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=1):  # noqa: S310 (our own loopback server)
                return "ready"
        except OSError:
            for pid in pids:
                done, status = os.waitpid(pid, os.WNOHANG)
                if done:
                    pids.remove(pid)
                    return f"failed: process {pid} exited ({status})"
            if time.monotonic() > deadline:
                return "failed: no answer on /healthz in 60 s"
            time.sleep(0.05)


def main() -> None:
    import uvicorn

    config = _warm()
    if threading.active_count() != 1:
        raise RuntimeError("a thread started while Hearth warmed up: nothing may run beside the process that forks")
    log = Path(os.environ["HEARTH_DATA_DIR"]) / "server.log"
    url = os.environ["HEARTH_BASE_URL"]
    pids: list[int] = []
    print("warm", flush=True)
    for line in sys.stdin:
        command = line.strip()
        if command == "start" and not pids:
            pids = [_fork(log, uvicorn.Server(config).run), _fork(log, _run_worker)]
            answer = _wait_ready(url, pids)
            if answer != "ready":
                _stop(pids)
                pids = []
        elif command == "stop":
            _stop(pids)
            pids = []
            answer = "stopped"
        else:
            answer = f"failed: {command!r} is not a command here now"
        print(answer, flush=True)
    _stop(pids)


if __name__ == "__main__":
    main()
