"""``hearth bench_chat``: chat fan-out over real websockets to real server processes, counted honestly.

Starts uvicorn (one process on SQLite by default; ``--processes N`` starts N behind one address with PostgreSQL
and Redis, which this command starts and stops itself) with U members spread evenly over R group rooms,
connects every member (timed), waits until presence traffic has stopped, then sends M messages a second in
total for T seconds, open loop (a message is due at its time whether or not earlier ones were answered), with
text like members write (mixed lengths, ~5% that triage flags, one in a thousand a crisis).

Every client connects like the browser (a failed handshake is tried again after a jittered wait, counted) and
every receiver behaves like the browser: it keeps the highest seq up to which it has seen everything, and
when a seq jumps (or the server says it skipped something) it fetches the gap at once with ``resume_after``.
A refused send (``slow_down`` or ``error``) is counted as refused — the sender was told — and not retried.

What it counts, per (message, receiver):

- expected = every message sent and not refused, times the people in its room (the sender included), whether
  or not the sender got an acknowledgement;
- lost = expected - delivered, counted when the run has settled (everything arrived, or nothing more arrived
  for 10 s), before any socket is closed — nothing that arrives during teardown counts;
- latency = arrival - the moment the client sent it (backlog fills included);
- the achieved rate is the server's: messages stored per second by the server's clock (``created_at``);
- CPU and resident memory of every process (web, Redis, PostgreSQL with its backends, this client) over the
  sending window, the connect time, and memory per socket.

``--storm`` then restarts the server(s) under the connected clients and measures the reconnect storm: every
client comes back as the page does (a random wait up to a ceiling that starts at 1 s and doubles after each
failed try, to 30 s), resuming from its last seq; reported are the time until all are back, failed tries and
the busiest second of connects.

Results are printed and appended to ``.bench/chat.jsonl`` with the load average before and after: on a shared
machine a figure means little without it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import resource
import subprocess
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from hearth.chat.loadtest import (
    HEARTH_WS,
    ROOT,
    Seat,
    ServerFarm,
    Services,
    load_average,
    message_texts,
    open_socket,
    process_stats,
    tree_stats,
)

SETTLE_QUIET = 1.0  # seconds without presence events before sending starts
DRAIN_QUIET = 10.0  # seconds without progress after sending before the run is counted
DRAIN_MAX = 120.0
CONNECT_TRIES = 8  # per socket, with jittered waits between, before the run gives up
REORDER_S = 0.25  # as room.js: how long a jump in seqs waits before the gap is fetched


class Command(BaseCommand):
    help = "Benchmark live chat: U websocket clients in R rooms, M messages/s for T seconds, counted honestly."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--users", type=int, default=200)
        parser.add_argument("--rooms", type=int, default=10)
        parser.add_argument("--rate", type=float, default=20.0, help="messages per second, all senders together")
        parser.add_argument("--seconds", type=float, default=10.0)
        parser.add_argument(
            "--processes", type=int, default=1, help="web processes behind one address (>1: PostgreSQL + Redis)"
        )
        parser.add_argument("--postgres", action="store_true", help="PostgreSQL (started here) instead of SQLite")
        parser.add_argument("--redis", action="store_true", help="the Redis channel layer (started here)")
        parser.add_argument(
            "--ws",
            default="hearth",
            choices=["hearth", "websockets", "websockets-sansio", "wsproto"],
            help="uvicorn's websocket protocol (hearth: hearth.core.uvicorn_ws, as deployed)",
        )
        parser.add_argument("--label", default="", help="a name for this run in .bench/chat.jsonl")
        parser.add_argument("--storm", action="store_true", help="then restart the server and time the reconnects")

    def handle(self, *args: Any, **options: Any) -> None:
        users, rooms, processes = options["users"], options["rooms"], options["processes"]
        if users < rooms or rooms < 1:
            raise CommandError("Use at least one room and at least as many users as rooms.")
        if processes < 1:
            raise CommandError("--processes must be at least 1.")
        postgres = options["postgres"] or processes > 1
        redis = options["redis"] or processes > 1
        load_before = load_average()
        services = Services(postgres=postgres, redis=redis)
        farm: ServerFarm | None = None
        try:
            services.start()
            farm = ServerFarm(redis_url=services.redis_url, database_url=services.database_url)
            self.stdout.write(f"Preparing {users} members in {rooms} rooms…")
            seats = farm.prepare(users, rooms)
            ws = HEARTH_WS if options["ws"] == "hearth" else options["ws"]
            port = farm.start(ws=ws, processes=processes)
            run = Run(farm, port, seats, services, options["rate"], options["seconds"])
            run.storm = (ws, processes) if options["storm"] else None
            asyncio.run(run.go())
            stored = farm.stored()
        except (RuntimeError, subprocess.CalledProcessError) as error:
            raise CommandError(f"The benchmark could not run: {error}") from None
        finally:
            if farm is not None:
                farm.stop()
            services.stop()
        record = run.record(stored) | {
            "label": options["label"],
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
            "commit": _commit(),
            "load_before": load_before,
            "load_after": load_average(),
            "config": {
                "users": users,
                "rooms": rooms,
                "rate": options["rate"],
                "seconds": options["seconds"],
                "processes": processes,
                "database": "postgresql" if postgres else "sqlite",
                "layer": "redis" if redis else "in-memory",
                "ws": options["ws"],
            },
        }
        for line in report(record):
            self.stdout.write(line)
        out = ROOT / ".bench"
        out.mkdir(exist_ok=True)
        with (out / "chat.jsonl").open("a") as f:
            f.write(json.dumps(record) + "\n")


def _commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def _pct(sorted_values: list[float], p: float) -> float | None:
    if not sorted_values:
        return None
    return round(sorted_values[min(len(sorted_values) - 1, int(p / 100 * len(sorted_values)))], 1)


@dataclass
class Receiver:
    """One connected member, doing what the browser does with seqs."""

    index: int
    seat: Seat
    ws: Any
    contiguous: int = 0  # every seq up to here has been seen
    ahead: set[int] = field(default_factory=set)
    resuming: bool = False
    reorder_wait: asyncio.Task[None] | None = None  # a seq jump waiting REORDER_S before it is filled

    def see(self, seq: int) -> None:
        if seq <= self.contiguous:
            return
        self.ahead.add(seq)
        while self.contiguous + 1 in self.ahead:
            self.ahead.discard(self.contiguous + 1)
            self.contiguous += 1


class Run:
    def __init__(
        self, farm: ServerFarm, port: int, seats: list[Seat], services: Services, rate: float, seconds: float
    ) -> None:
        self.farm, self.port, self.seats, self.services = farm, port, seats, services
        self.rate, self.total = rate, int(rate * seconds)
        self.texts = message_texts(self.total)
        self.room_size = Counter(seat.room_id for seat in seats)
        self.receivers: list[Receiver] = []
        self.sent_at: list[float] = []
        self.delivered: set[int] = set()  # n * users + receiver
        self.duplicated = 0
        self.latencies: list[float] = []
        self.ack_latencies: list[float] = []
        self.acked: set[int] = set()
        self.refused: dict[int, str] = {}
        self.retry_after: list[int] = []
        self.gap_fills = 0
        self.gap_frames = 0
        self.presence_events = 0
        self.last_presence = 0.0
        self.figures: dict[str, Any] = {}
        self.storm: tuple[str, int] | None = None
        self.connect_failures = 0

    # --- reading -----------------------------------------------------------------------------------

    async def read(self, r: Receiver) -> None:
        users = len(self.seats)
        try:
            async for raw in r.ws:
                now = time.monotonic()
                event = json.loads(raw)
                kind = event.get("kind")
                if kind == "chat.message":
                    seq = event["seq"]
                    if seq > r.contiguous + 1 and not r.resuming and seq not in r.ahead:
                        self.gap_seen(r)
                    r.see(seq)
                    cid = event.get("client_id") or ""
                    if cid.startswith("b"):
                        n = int(cid[1:])
                        key = n * users + r.index
                        if key in self.delivered:
                            self.duplicated += 1
                        else:
                            self.delivered.add(key)
                            if n < len(self.sent_at):
                                self.latencies.append(now - self.sent_at[n])
                elif kind == "ack":
                    n = int(event["client_id"][1:])
                    self.acked.add(n)
                    self.ack_latencies.append(now - self.sent_at[n])
                    if event.get("seq"):
                        r.see(event["seq"])
                elif kind in ("error", "slow_down"):
                    cid = event.get("client_id") or ""
                    if cid.startswith("b"):
                        self.refused[int(cid[1:])] = event.get("code", kind)
                    if kind == "slow_down":
                        self.retry_after.append(int(event.get("retry_after_ms", 0)))
                elif kind.startswith("chat.presence"):
                    self.presence_events += 1
                    self.last_presence = now
                elif kind == "gap":  # the server skipped something for this socket: fetch it now
                    self.gap_frames += 1
                    if not r.resuming:
                        await self.fill_gap(r)
                elif kind == "resumed":
                    r.resuming = False
                    if event.get("seq"):
                        r.contiguous = max(r.contiguous, int(event["seq"]))
                        r.ahead = {s for s in r.ahead if s > r.contiguous}
                    if r.ahead:
                        await self.fill_gap(r)
        except Exception:  # noqa: S110 (closed at the end, or by the server)
            pass

    def gap_seen(self, r: Receiver) -> None:
        """As room.js: a seq jump waits a moment (another process's message may still be on its way) before
        it is filled, so two processes' interleaving doesn't fetch a message twice."""
        if r.reorder_wait is None or r.reorder_wait.done():
            r.reorder_wait = asyncio.create_task(self._fill_if_still_missing(r))

    async def _fill_if_still_missing(self, r: Receiver) -> None:
        await asyncio.sleep(REORDER_S)
        if r.ahead and not r.resuming:
            with contextlib.suppress(Exception):  # the socket closed meanwhile: the run is ending
                await self.fill_gap(r)

    async def fill_gap(self, r: Receiver) -> None:
        r.resuming = True
        self.gap_fills += 1
        await r.ws.send(json.dumps({"resume_after": r.contiguous, "have": sorted(r.ahead)[:2000]}))

    # --- the run -------------------------------------------------------------------------------------

    def stats(self) -> dict[str, dict[str, float]]:
        found = {f"web{i + 1}": process_stats(pid) for i, pid in enumerate(self.farm.web_pids(self.port))}
        for name, pid in self.services.pids().items():
            found[name] = tree_stats(pid)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        found["client"] = {"cpu_s": usage.ru_utime + usage.ru_stime, "rss_mb": process_stats(os.getpid())["rss_mb"]}
        return found

    async def go(self) -> None:
        users = len(self.seats)
        idle = self.stats()
        # Connect everyone, as many at once as a busy evening might (100 in flight).
        gate = asyncio.Semaphore(100)

        connect_failures = 0

        async def connect(seat: Seat) -> Any:
            # As the page does: a refused or timed-out handshake is tried again after a random wait up to a
            # ceiling that doubles (full jitter); the failed tries are counted.
            nonlocal connect_failures
            ceiling = 1.0
            for _ in range(CONNECT_TRIES):
                async with gate:
                    try:
                        return await open_socket(self.port, seat)
                    except Exception:
                        connect_failures += 1
                await asyncio.sleep(random.random() * ceiling)
                ceiling = min(ceiling * 2, 30.0)
            return await open_socket(self.port, seat)

        began = time.monotonic()
        try:
            sockets = await asyncio.gather(*(connect(seat) for seat in self.seats))
        except Exception as error:
            raise RuntimeError(f"connecting failed: {error!r}\n{self.farm.log(self.port)[-2000:]}") from None
        connect_s = time.monotonic() - began
        self.connect_failures = connect_failures
        self.receivers = [Receiver(i, seat, ws) for i, (seat, ws) in enumerate(zip(self.seats, sockets, strict=True))]
        readers = [asyncio.create_task(self.read(r)) for r in self.receivers]
        # Settle: until presence traffic has stopped.
        self.last_presence = time.monotonic()
        while time.monotonic() - self.last_presence < SETTLE_QUIET and time.monotonic() - began < 300:
            await asyncio.sleep(0.1)
        settle_s = time.monotonic() - began - connect_s
        connected = self.stats()
        # Send, open loop.
        start = time.monotonic()
        self.sent_at = [0.0] * self.total
        for n in range(self.total):
            delay = start + n / self.rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            r = self.receivers[n % users]
            self.sent_at[n] = time.monotonic()
            await r.ws.send(json.dumps({"kind": "send", "client_id": f"b{n}", "body": self.texts[n]}))
        send_s = time.monotonic() - start
        # Drain: until everything expected arrived and every send was answered, or nothing moved for a while.
        last_progress, progress = time.monotonic(), (-1, -1)
        while True:
            expected = self.expected()
            now_progress = (len(self.delivered), len(self.acked) + len(self.refused))
            if now_progress != progress:
                progress, last_progress = now_progress, time.monotonic()
            if (now_progress[0] >= expected and now_progress[1] >= self.total) or (
                time.monotonic() - last_progress > DRAIN_QUIET or time.monotonic() - start > send_s + DRAIN_MAX
            ):
                break
            await asyncio.sleep(0.05)
        drain_s = time.monotonic() - start - send_s
        done = self.stats()
        # The figures are taken now: nothing that arrives while closing counts.
        self.figures = {
            "delivered": len(self.delivered),
            "expected": self.expected(),
            "latencies": sorted(1000 * v for v in self.latencies),
            "acks": sorted(1000 * v for v in self.ack_latencies),
            "acked": len(self.acked),
            "refused": Counter(self.refused.values()),
            "duplicated": self.duplicated,
            "connect_s": connect_s,
            "settle_s": settle_s,
            "send_s": send_s,
            "drain_s": drain_s,
            "idle": idle,
            "connected": connected,
            "done": done,
            "window_s": send_s + drain_s,
        }
        if self.storm is not None:
            await self.reconnect_storm(readers)
            readers = [asyncio.create_task(self.read(r)) for r in self.receivers]
        for r in self.receivers:
            await r.ws.close()
        for task in readers:
            task.cancel()
        await asyncio.gather(*readers, return_exceptions=True)

    async def reconnect_storm(self, readers: list[asyncio.Task[None]]) -> None:
        """Restart the server under every connected client; each comes back as room.js does (full jitter)."""
        ws, processes = self.storm or (HEARTH_WS, 1)
        killed = time.monotonic()
        await asyncio.to_thread(self.farm.restart, self.port, ws, processes)
        up = time.monotonic()
        await asyncio.gather(*readers, return_exceptions=True)  # every socket has seen its close
        failures = 0
        connected_at: list[float] = []

        async def come_back(r: Receiver) -> None:
            nonlocal failures
            ceiling = 1.0
            while True:
                await asyncio.sleep(0.25 + random.random() * ceiling)
                try:
                    r.ws = await open_socket(self.port, r.seat, after=r.contiguous)
                    connected_at.append(time.monotonic())
                    return
                except Exception:
                    failures += 1
                    ceiling = min(ceiling * 2, 30.0)

        await asyncio.gather(*(come_back(r) for r in self.receivers))
        per_second = Counter(int(t - up) for t in connected_at)
        self.figures["storm"] = {
            "restart_s": round(up - killed, 2),
            "all_back_s": round(max(connected_at) - up, 2),
            "failed_tries": failures,
            "busiest_second_connects": max(per_second.values()),
        }

    def expected(self) -> int:
        rooms = self.room_size
        users = len(self.seats)
        return sum(rooms[self.seats[n % users].room_id] for n in range(self.total) if n not in self.refused)

    def record(self, stored: dict[str, Any]) -> dict[str, Any]:
        f = self.figures
        users = len(self.seats)
        ms, acks = f["latencies"], f["acks"]
        window = f["window_s"]
        processes = {}
        for name, end in f["done"].items():
            before = f["connected"].get(name, {"cpu_s": 0.0})
            idle = f["idle"].get(name, {"rss_mb": 0.0})
            cpu = end["cpu_s"] - before["cpu_s"]
            processes[name] = {
                "cpu_s": round(cpu, 2),
                "core_pct": round(100 * cpu / window, 0) if window else 0.0,
                "rss_mb": round(end["rss_mb"], 1),
                "rss_idle_mb": round(idle["rss_mb"], 1),
            }
        web = [name for name in processes if name.startswith("web")]
        socket_kb = sum(f["connected"][name]["rss_mb"] - f["idle"].get(name, {"rss_mb": 0.0})["rss_mb"] for name in web)
        # The web processes' CPU from before the first connect until presence traffic stopped, per socket: the
        # handshake and the arrivals it tells the room (less sensitive to a shared machine than the time taken).
        connect_cpu = sum(f["connected"][name]["cpu_s"] - f["idle"].get(name, {"cpu_s": 0.0})["cpu_s"] for name in web)
        server_cpu = sum(processes[name]["cpu_s"] for name in processes if name != "client")
        return {
            "sent": self.total,
            "acknowledged": f["acked"],
            "refused": dict(f["refused"]),
            "unanswered": self.total - f["acked"] - sum(f["refused"].values()),
            "expected": f["expected"],
            "delivered": f["delivered"],
            "lost": f["expected"] - f["delivered"],
            "duplicated": f["duplicated"],
            "gap_fills": self.gap_fills,
            "gap_frames": self.gap_frames,
            "retry_after_ms_p50": _pct(sorted(self.retry_after), 50),
            "latency_ms": {p: _pct(ms, float(p[1:])) for p in ("p50", "p95", "p99")} | {"max": _pct(ms, 100)},
            "ack_ms": {p: _pct(acks, float(p[1:])) for p in ("p50", "p99")},
            "client_rate": round(self.total / f["send_s"], 1),
            "server": stored,
            "connect_s": round(f["connect_s"], 2),
            "connect_failed_tries": self.connect_failures,
            "settle_s": round(f["settle_s"], 2),
            "presence_events": self.presence_events,
            "drain_s": round(f["drain_s"], 2),
            "socket_kb": round(1024 * socket_kb / users, 1),
            "connect_cpu_ms_per_socket": round(1000 * connect_cpu / users, 2),
            "connect_client_cpu_ms_per_socket": round(
                1000 * (f["connected"]["client"]["cpu_s"] - f["idle"]["client"]["cpu_s"]) / users, 2
            ),
            "server_cpu_ms_per_delivery": round(1000 * server_cpu / max(f["delivered"], 1), 3),
            "processes": processes,
            "storm": f.get("storm"),
        }


def report(r: dict[str, Any]) -> list[str]:
    c = r["config"]
    lat, ack = r["latency_ms"], r["ack_ms"]
    procs = ", ".join(
        f"{name} {p['cpu_s']} s ({p['core_pct']:.0f}% of a core) {p['rss_mb']} MB" for name, p in r["processes"].items()
    )
    server = r["server"]
    return [
        f"chat: users={c['users']} rooms={c['rooms']} rate={c['rate']}/s seconds={c['seconds']} "
        f"processes={c['processes']} database={c['database']} layer={c['layer']} ({r['commit']})",
        f"  load average before {r['load_before']}, after {r['load_after']}",
        f"  connect {c['users']} sockets {r['connect_s']} s ({r.get('connect_failed_tries', 0)} failed tries); settled {r['settle_s']} s later "
        f"({r['presence_events']} presence events); {r['socket_kb']} KB per socket; "
        f"web CPU per connect {r['connect_cpu_ms_per_socket']} ms (the client's {r['connect_client_cpu_ms_per_socket']} ms)",
        f"  sent={r['sent']} acknowledged={r['acknowledged']} refused={r['refused']} unanswered={r['unanswered']}",
        f"  deliveries expected={r['expected']} delivered={r['delivered']} lost={r['lost']} "
        f"duplicated={r['duplicated']} (gap fills {r['gap_fills']}, gap frames {r['gap_frames']})",
        f"  latency ms p50={lat['p50']} p95={lat['p95']} p99={lat['p99']} max={lat['max']}; "
        f"ack p50={ack['p50']} p99={ack['p99']}",
        f"  achieved (server) {server['rate']} msg/s ({server['stored']} stored in {server['span_s']} s); "
        f"client sent {r['client_rate']}/s; drained {r['drain_s']} s after the last send",
        f"  CPU over {r['config']['seconds']} s + drain: {procs}",
        f"  server CPU per delivery {r['server_cpu_ms_per_delivery']} ms",
    ] + (
        [
            f"  reconnect storm: server restarted in {r['storm']['restart_s']} s; all {c['users']} back "
            f"{r['storm']['all_back_s']} s after it was up; {r['storm']['failed_tries']} failed tries; busiest "
            f"second {r['storm']['busiest_second_connects']} connects"
        ]
        if r.get("storm")
        else []
    )
