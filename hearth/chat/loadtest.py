"""Real servers and real websocket clients, for the crash and two-process tests and ``hearth bench_chat``.

:class:`ServerFarm` prepares a throwaway SQLite database (migrated, with
members in group rooms and a signed-in session each) and starts uvicorn
processes on it; :func:`open_socket` connects as one of those members with
the ``websockets`` package, exactly as a browser would (session cookie, Origin).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Seat:
    """One seeded member: who they are, their session cookie and their room."""

    member_id: int
    cookie: str
    room_id: int


def seed(users: int, rooms: int) -> list[dict[str, Any]]:
    """Create ``rooms`` groups with a room each and ``users`` members spread evenly; sign each in.

    Runs inside a configured Django (called in a subprocess by :class:`ServerFarm`).
    """
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore

    from hearth.chat.models import Room, RoomKind
    from hearth.community.models import Group, GroupState, Membership
    from hearth.members.models import Member

    password = make_password(None)
    groups = [
        Group.objects.create(name=f"Bench group {i}", purpose="bench", who_for="bench", state=GroupState.ACTIVE)
        for i in range(rooms)
    ]
    room_ids = [Room.objects.create(group=g, kind=RoomKind.GROUP, title=f"{g.name} chat").pk for g in groups]
    people = Member.objects.bulk_create(
        [Member(email=f"bench{i}@example.org", display_name=f"Bench {i}", password=password) for i in range(users)]
    )
    people = list(Member.objects.filter(email__startswith="bench").order_by("pk"))
    Membership.objects.bulk_create(
        [Membership(group=groups[i % rooms], member=person) for i, person in enumerate(people)]
    )
    seats = []
    for i, person in enumerate(people):
        session = SessionStore()
        session["_auth_user_id"] = str(person.pk)
        session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        session["_auth_user_hash"] = person.get_session_auth_hash()
        session.create()
        seats.append(
            {"member_id": person.pk, "cookie": f"sessionid={session.session_key}", "room_id": room_ids[i % rooms]}
        )
    return seats


@dataclass
class ServerFarm:
    """A temp data dir and database, and the uvicorn processes serving it."""

    redis_url: str = ""
    data: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="hearth-chat-")))
    servers: dict[int, subprocess.Popen[bytes]] = field(default_factory=dict)
    prefix: str = field(default_factory=lambda: f"hearth-{os.getpid()}-{time.monotonic_ns()}")

    @property
    def env(self) -> dict[str, str]:
        env = {
            **os.environ,
            "HEARTH_DATA_DIR": str(self.data),
            "DATABASE_URL": f"sqlite:///{self.data}/chat.sqlite3",
            "HEARTH_MODE": "development",
            "DEBUG": "false",
            "LOG_LEVEL": "WARNING",
            "HEARTH_REDIS_PREFIX": self.prefix,
        }
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        if self.redis_url:
            env["REDIS_URL"] = self.redis_url
        else:
            env.pop("REDIS_URL", None)
        return env

    def prepare(self, users: int, rooms: int) -> list[Seat]:
        subprocess.run(
            [sys.executable, "-m", "hearth.cli", "migrate", "--no-input", "-v", "0"],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
        )
        code = (
            "import json, django; django.setup(); from hearth.chat.loadtest import seed; "
            f"print(json.dumps(seed({int(users)}, {int(rooms)})))"
        )
        out = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env={**self.env, "DJANGO_SETTINGS_MODULE": "hearth.settings"},
            check=True,
            capture_output=True,
            text=True,
        )
        return [Seat(**row) for row in json.loads(out.stdout.strip().splitlines()[-1])]

    def start(self, port: int | None = None, ws: str = "websockets") -> int:
        port = port or free_port()
        log = open(self.data / f"server-{port}.log", "ab")  # noqa: SIM115 (the process owns it)
        self.servers[port] = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "hearth.asgi:application",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--ws",
                ws,
                "--log-level",
                "warning",
                "--no-access-log",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                    return port
            except OSError:
                if self.servers[port].poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"uvicorn did not start:\n{self.log(port)}") from None
                time.sleep(0.1)

    def log(self, port: int) -> str:
        path = self.data / f"server-{port}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def kill(self, port: int) -> None:
        """``kill -9``: no shutdown handlers, no flushing — what a power cut looks like to the process."""
        os.kill(self.servers[port].pid, signal.SIGKILL)
        self.servers[port].wait(timeout=10)

    def cpu_seconds(self, port: int) -> float:
        """User + system CPU of one server process so far (from /proc/<pid>/stat)."""
        fields = Path(f"/proc/{self.servers[port].pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        for proc in self.servers.values():
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
        self.servers.clear()
        shutil.rmtree(self.data, ignore_errors=True)


async def open_socket(port: int, seat: Seat, after: int | None = None) -> Any:
    import websockets

    query = f"?after={after}" if after is not None else ""
    return await websockets.connect(
        f"ws://127.0.0.1:{port}/ws/chat/rooms/{seat.room_id}/{query}",
        additional_headers={"Cookie": seat.cookie},
        origin=f"http://127.0.0.1:{port}",  # type: ignore[arg-type]
        max_queue=None,
        ping_interval=None,
        compression=None,
    )
