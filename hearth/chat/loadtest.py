"""Real servers and real websocket clients, for the crash and two-process tests and ``hearth bench_chat``.

:class:`ServerFarm` prepares a throwaway database (SQLite, or PostgreSQL from
:class:`Services`; migrated, with members in group rooms and a signed-in
session each) and starts uvicorn processes on it — one, or several behind one
address (``uvicorn --workers``, which needs Redis so events reach every
process); :func:`open_socket` connects as one of those members with the
``websockets`` package, exactly as a browser would (session cookie, Origin).
:class:`Services` starts throwaway PostgreSQL and Redis servers (durable
settings: fsync on) and stops them by PID. :func:`process_stats` reads CPU and
RSS from ``/proc``; :func:`message_texts` writes what members write.
"""

from __future__ import annotations

import json
import os
import random
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
HEARTH_WS = "hearth.core.uvicorn_ws:WebSocketProtocol"  # uvicorn's --ws, as hearth serve and the deploy files run it


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
    from django.db import transaction

    from hearth.chat.models import Room, RoomKind
    from hearth.community.models import Group, GroupState, Membership
    from hearth.members.models import Member

    password = make_password(None)
    with transaction.atomic():  # one durable commit, not one per session
        groups = [
            Group.objects.create(name=f"Bench group {i}", purpose="bench", who_for="bench", state=GroupState.ACTIVE)
            for i in range(rooms)
        ]
        room_ids = [Room.objects.create(group=g, kind=RoomKind.GROUP, title=f"{g.name} chat").pk for g in groups]
        Member.objects.bulk_create(
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


def stored_messages() -> dict[str, Any]:
    """What the server stored during a run, by the server's own clock (called in a subprocess).

    ``rate`` is the server-side achieved rate: messages stored per second between the first and the last.
    """
    from django.db.models import Count, Max, Min

    from hearth.chat.models import Message

    row = Message.objects.filter(client_id__startswith="b").aggregate(
        n=Count("pk"), first=Min("created_at"), last=Max("created_at")
    )
    span = (row["last"] - row["first"]).total_seconds() if row["n"] > 1 else 0.0
    return {"stored": row["n"], "span_s": round(span, 3), "rate": round(row["n"] / span, 1) if span else None}


# --- Processes: CPU and memory from /proc -------------------------------------------------------


def children_of(pid: int) -> list[int]:
    """Direct children of ``pid`` (Linux ``/proc/<pid>/task/*/children``)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def _workers(pid: int) -> list[int]:
    """uvicorn's worker processes under its supervisor (not multiprocessing's resource tracker)."""
    found = []
    for child in children_of(pid):
        try:
            command = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        if b"resource_tracker" not in command:
            found.append(child)
    return found


def process_stats(pid: int, *, reaped_children: bool = False) -> dict[str, float]:
    """CPU seconds (user + system) and resident memory (MB) of one process; zeros if it has gone.

    With ``reaped_children`` the CPU of its children that have exited and been waited for is counted too.
    """
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return {"cpu_s": 0.0, "rss_mb": 0.0}
    rss_kb = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
    ticks = int(fields[11]) + int(fields[12])  # utime, stime
    if reaped_children:
        ticks += int(fields[13]) + int(fields[14])  # cutime, cstime
    cpu = ticks / os.sysconf("SC_CLK_TCK")
    return {"cpu_s": cpu, "rss_mb": rss_kb / 1024}


def tree_stats(pid: int) -> dict[str, float]:
    """:func:`process_stats` summed over a process and all its descendants (PostgreSQL's backends).

    CPU includes children that have already exited and been reaped (``cutime``/``cstime``): PostgreSQL's
    backends come and go with connections, and a backend that ended between two readings would otherwise
    take its CPU with it and make the difference negative.
    """
    total = process_stats(pid, reaped_children=True)
    for child in children_of(pid):
        sub = tree_stats(child)
        total = {k: total[k] + sub[k] for k in total}
    return total


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


# --- Throwaway PostgreSQL and Redis -------------------------------------------------------------


@dataclass
class Services:
    """Throwaway PostgreSQL and/or Redis for a benchmark, stopped by PID.

    PostgreSQL runs with its durable defaults (fsync, synchronous_commit): an acknowledged message is on disk,
    as in production. Started as the ``postgres`` user when we are root (initdb refuses root).
    """

    postgres: bool = False
    redis: bool = False
    work: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="hearth-services-")))
    database_url: str = ""
    redis_url: str = ""
    redis_proc: subprocess.Popen[bytes] | None = None
    pg_bin: Path | None = None
    pg_pid: int = 0

    def _as_postgres(self, *cmd: str) -> list[str]:
        return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else list(cmd)

    def start(self) -> Services:
        if self.redis:
            if not shutil.which("redis-server"):
                raise RuntimeError("Redis is needed: apt-get install redis-server (make test installs it).")
            port = free_port()
            self.redis_proc = subprocess.Popen(
                ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],  # noqa: S607
                stdout=subprocess.DEVNULL,
                cwd=self.work,
            )
            self.redis_url = f"redis://127.0.0.1:{port}/0"
            _wait_for_port(port, self.redis_proc)
        if self.postgres:
            bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
            if not bins:
                raise RuntimeError("PostgreSQL is needed: apt-get install postgresql (make test installs it).")
            self.pg_bin = bins[-1]
            port = free_port()
            self.work.chmod(0o755)
            if os.geteuid() == 0:
                shutil.chown(self.work, "postgres")
            pg = self.work / "pg"
            subprocess.run(
                self._as_postgres(
                    str(self.pg_bin / "initdb"), "-D", str(pg), "-A", "trust", "-U", "postgres", "-E", "UTF8"
                ),
                check=True,
                capture_output=True,
            )
            options = f"-c listen_addresses=127.0.0.1 -p {port} -k {self.work} -c max_connections=300"
            subprocess.run(
                self._as_postgres(
                    str(self.pg_bin / "pg_ctl"),
                    "-D",
                    str(pg),
                    "-l",
                    str(self.work / "pg.log"),
                    "-w",
                    "-o",
                    options,
                    "start",
                ),
                check=True,
                capture_output=True,
            )
            self.pg_pid = int((pg / "postmaster.pid").read_text().split()[0])
            subprocess.run(
                self._as_postgres(
                    str(self.pg_bin / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "hearth"
                ),
                check=True,
                capture_output=True,
            )
            self.database_url = f"postgres://postgres@127.0.0.1:{port}/hearth"
        return self

    def pids(self) -> dict[str, int]:
        found = {}
        if self.redis_proc is not None:
            found["redis"] = self.redis_proc.pid
        if self.pg_pid:
            found["postgres"] = self.pg_pid
        return found

    def stop(self) -> None:
        if self.redis_proc is not None and self.redis_proc.poll() is None:
            self.redis_proc.terminate()
            self.redis_proc.wait(timeout=10)
        if self.pg_bin is not None:
            subprocess.run(
                self._as_postgres(str(self.pg_bin / "pg_ctl"), "-D", str(self.work / "pg"), "-m", "immediate", "stop"),
                capture_output=True,
            )
        shutil.rmtree(self.work, ignore_errors=True)


def _wait_for_port(port: int, proc: subprocess.Popen[bytes], seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"nothing is listening on port {port}") from None
            time.sleep(0.05)


# --- The web processes ----------------------------------------------------------------------------


@dataclass
class ServerFarm:
    """A temp data dir and database, and the uvicorn processes serving it."""

    redis_url: str = ""
    database_url: str = ""  # empty: a SQLite file in the data dir
    data: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="hearth-chat-")))
    servers: dict[int, subprocess.Popen[bytes]] = field(default_factory=dict)
    prefix: str = field(default_factory=lambda: f"hearth-{os.getpid()}-{time.monotonic_ns()}")
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def env(self) -> dict[str, str]:
        env = {
            **os.environ,
            "HEARTH_DATA_DIR": str(self.data),
            "DATABASE_URL": self.database_url or f"sqlite:///{self.data}/chat.sqlite3",
            "HEARTH_MODE": "development",
            "DEBUG": "false",
            "LOG_LEVEL": "WARNING",
            "HEARTH_REDIS_PREFIX": self.prefix,
            **self.extra_env,
        }
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        if self.redis_url:
            env["REDIS_URL"] = self.redis_url
        else:
            env.pop("REDIS_URL", None)
        return env

    def _django(self, code: str) -> Any:
        """Run ``code`` (an expression) in a configured Django subprocess; its value comes back as JSON."""
        script = f"import json, django; django.setup(); print(json.dumps({code}))"
        out = subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env={**self.env, "DJANGO_SETTINGS_MODULE": "hearth.settings"},
            check=True,
            capture_output=True,
            text=True,
        )
        return json.loads(out.stdout.strip().splitlines()[-1])

    def prepare(self, users: int, rooms: int) -> list[Seat]:
        from hearth.core.testdb import sqlite_template

        template = None if self.database_url else sqlite_template()
        if template:  # a test run has migrated a SQLite database already: start from a copy of it
            shutil.copyfile(template, self.data / "chat.sqlite3")
        else:
            subprocess.run(
                [sys.executable, "-m", "hearth.cli", "migrate", "--no-input", "-v", "0"],
                cwd=ROOT,
                env=self.env,
                check=True,
                capture_output=True,
            )
        rows = self._django(f"__import__('hearth.chat.loadtest', fromlist=['seed']).seed({int(users)}, {int(rooms)})")
        return [Seat(**row) for row in rows]

    def stored(self) -> dict[str, Any]:
        """:func:`stored_messages`, read from the farm's database."""
        return dict(self._django("__import__('hearth.chat.loadtest', fromlist=['x']).stored_messages()"))

    def start(self, port: int | None = None, ws: str = HEARTH_WS, processes: int = 1) -> int:
        """Start uvicorn on ``port``; ``processes`` > 1 shares the one address between worker processes."""
        if processes > 1 and not self.redis_url:
            raise ValueError("several processes need Redis, so that events reach every process")
        port = port or free_port()
        log = open(self.data / f"server-{port}.log", "ab")  # noqa: SIM115 (the process owns it)
        command = [
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
        ]
        if processes > 1:
            # uvicorn's supervisor restarts a worker that doesn't answer its ping within 5 s by default, which a
            # worker saturated by thousands of connects (or starved on a shared machine) can miss: that drops
            # every socket it holds. A hung worker is still replaced, after 30 s.
            command += ["--workers", str(processes), "--timeout-worker-healthcheck", "30"]
        self.servers[port] = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                    pass
                if processes == 1 or len(_workers(self.servers[port].pid)) >= processes:
                    break
            except OSError:
                pass
            if self.servers[port].poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"uvicorn did not start:\n{self.log(port)}")
            time.sleep(0.1)
        if processes > 1:
            time.sleep(2.0)  # every worker has finished starting (each answers /healthz once it has)
        return port

    def restart(self, port: int, ws: str = HEARTH_WS, processes: int = 1) -> None:
        """Stop the server on ``port`` (SIGTERM, as a deploy does) and start it again on the same port."""
        proc = self.servers.pop(port)
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        self.start(port, ws=ws, processes=processes)

    def log(self, port: int) -> str:
        path = self.data / f"server-{port}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def kill(self, port: int) -> None:
        """``kill -9``: no shutdown handlers, no flushing — what a power cut looks like to the process."""
        os.kill(self.servers[port].pid, signal.SIGKILL)
        self.servers[port].wait(timeout=10)

    def web_pids(self, port: int) -> list[int]:
        """The processes serving ``port``: the one uvicorn, or the workers under its supervisor."""
        pid = self.servers[port].pid
        return _workers(pid) or [pid]

    def cpu_seconds(self, port: int) -> float:
        """User + system CPU of the server processes so far."""
        return sum(
            process_stats(pid)["cpu_s"] for pid in [self.servers[port].pid, *children_of(self.servers[port].pid)]
        )

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
    from websockets.typing import Origin

    query = f"?after={after}" if after is not None else ""
    return await websockets.connect(
        f"ws://127.0.0.1:{port}/ws/chat/rooms/{seat.room_id}/{query}",
        additional_headers={"Cookie": seat.cookie},
        origin=Origin(f"http://127.0.0.1:{port}"),
        max_queue=None,
        ping_interval=None,
        compression=None,
        open_timeout=60,
    )


# --- What members write ---------------------------------------------------------------------------

_EVERYDAY = [
    "Same here.",
    "Thanks, that really helps to hear.",
    "Morning all.",
    "How is everyone doing today?",
    "I managed to get out for a walk before the rain came in.",
    "Did anyone try the breathing thing from last week? It helped me a bit at night.",
    "Welcome, it's good to have you here.",
    "I had a rough couple of days but today feels a bit lighter.",
    "My sister came round and we watched a film, first time in ages I laughed properly.",
    "Work has been a lot this week and I keep forgetting to eat lunch.",
    "I'm going to try the Thursday group if I can get the bus in time.",
    "Sending you a hug if you want one.",
    "That sounds really hard, I'm glad you told us.",
    "Does anyone know if the drop-in is on over the holidays?",
    "I slept six hours last night which is a record lately.",
    "The allotment was beautiful this morning, the beans are finally up.",
    "I keep thinking about what Sam said about small steps.",
    "Honestly I don't know what to say but I'm reading and I'm here.",
    "I've started writing a few lines every evening and it's calmer.",
    "Haha yes, the cat knocked everything off the table again.",
]
_FLAGGED = [
    "I drank way too much again last night and I hate that I did it.",  # substance
    "I can't pay the rent this month and the landlord keeps calling.",  # practical
    "Oh shut up, you stupid idiot, nobody asked you.",  # hostility
    "I've been feeling really hopeless lately, like nothing will ever change.",  # concern
]
_CRISIS = "I want to end it all tonight, I have the pills ready."


def message_texts(count: int, seed: int = 21) -> list[str]:
    """``count`` messages like members write: mostly short, some long, ~5% that triage flags (substance,
    money worries, hostility, low mood) and one in a thousand a crisis. Deterministic for a seed."""
    rng = random.Random(seed)
    texts = []
    for n in range(count):
        roll = rng.random()
        if n % 1000 == 999:
            texts.append(_CRISIS)
        elif roll < 0.05:
            texts.append(rng.choice(_FLAGGED))
        elif roll < 0.45:
            texts.append(rng.choice(_EVERYDAY[:4] + _EVERYDAY[11:12]))
        elif roll < 0.85:
            texts.append(" ".join(rng.sample(_EVERYDAY, 2)))
        else:
            texts.append(" ".join(rng.sample(_EVERYDAY, rng.randint(4, 8))))
    return texts
