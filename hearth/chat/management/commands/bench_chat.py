"""``hearth bench_chat``: chat fan-out over real websockets to a real server process.

Starts uvicorn on a throwaway SQLite database with U members spread evenly
over R group rooms, connects every member, then posts M messages a second in
total for T seconds (each carrying its send time and a unique id). Every
receiver records the delivery latency of every (message, receiver) pair.
Prints sent/acknowledged, deliveries expected/delivered/lost/duplicated,
latency percentiles, the achieved rate, server CPU per 1,000 deliveries and the
client's own CPU (client and server share the machine).
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import shutil
import subprocess
import time
from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from hearth.chat.loadtest import ServerFarm, free_port, open_socket


class Command(BaseCommand):
    help = "Benchmark live chat fan-out: U websocket clients in R rooms, M messages/s for T seconds."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--users", type=int, default=200)
        parser.add_argument("--rooms", type=int, default=10)
        parser.add_argument("--rate", type=float, default=20.0, help="messages per second, all senders together")
        parser.add_argument("--seconds", type=float, default=10.0)
        parser.add_argument(
            "--redis", action="store_true", help="use the Redis channel layer (REDIS_URL, or start one)"
        )
        parser.add_argument("--ws", default="websockets", choices=["websockets", "websockets-sansio", "wsproto"])

    def handle(
        self, *args: Any, users: int, rooms: int, rate: float, seconds: float, redis: bool, ws: str, **options: Any
    ) -> None:
        if users < rooms or rooms < 1:
            raise CommandError("Use at least one room and at least as many users as rooms.")
        redis_proc = None
        redis_url = ""
        if redis:
            redis_url = os.environ.get("REDIS_URL", "")
            if not redis_url:
                if not shutil.which("redis-server"):
                    raise CommandError("--redis needs REDIS_URL or redis-server installed.")
                port = free_port()
                redis_proc = subprocess.Popen(
                    ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],  # noqa: S607
                    stdout=subprocess.DEVNULL,
                )
                redis_url = f"redis://127.0.0.1:{port}/0"
                time.sleep(0.3)
        farm = ServerFarm(redis_url=redis_url)
        try:
            self.stdout.write(f"Preparing {users} members in {rooms} rooms…")
            seats = farm.prepare(users, rooms)
            port = farm.start(ws=ws)
            result = asyncio.run(_run(farm, port, seats, rate, seconds))
        finally:
            farm.stop()
            if redis_proc is not None:
                redis_proc.terminate()
                redis_proc.wait(timeout=5)
        layer = "redis" if redis else "in-memory"
        self.stdout.write(f"layer={layer} users={users} rooms={rooms} rate={rate}/s seconds={seconds} ws={ws}")
        for line in result:
            self.stdout.write(line)


def _pct(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1, int(p / 100 * len(sorted_values)))]


async def _run(farm: ServerFarm, port: int, seats: list[Any], rate: float, seconds: float) -> list[str]:
    room_size = Counter(seat.room_id for seat in seats)
    sockets: list[Any] = []
    for start in range(0, len(seats), 50):  # connect in batches, as people arrive
        sockets += await asyncio.gather(*(open_socket(port, seat) for seat in seats[start : start + 50]))
    deliveries: Counter[tuple[str, int]] = Counter()
    latencies: list[float] = []
    acked: set[str] = set()
    refused: Counter[str] = Counter()
    sent_rooms: dict[str, int] = {}

    async def reader(index: int, ws: Any) -> None:
        try:
            async for raw in ws:
                event = json.loads(raw)
                kind = event["kind"]
                if kind == "chat.message":
                    body = json.loads(event["body"])
                    key = (body["u"], index)
                    deliveries[key] += 1
                    if deliveries[key] == 1:
                        latencies.append(time.monotonic() - body["t"])
                elif kind == "ack":
                    acked.add(event["client_id"])
                elif kind == "error":
                    refused[event.get("code", "?")] += 1
        except Exception:  # noqa: S110 (closed at the end)
            pass

    readers = [asyncio.create_task(reader(i, ws)) for i, ws in enumerate(sockets)]
    await asyncio.sleep(1.0)  # presence events from connecting settle
    cpu0 = farm.cpu_seconds(port)
    client0 = resource.getrusage(resource.RUSAGE_SELF)
    total = int(rate * seconds)
    began = time.monotonic()
    for n in range(total):
        due = began + n / rate
        delay = due - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        index = n % len(sockets)
        uid = f"b{n}"
        sent_rooms[uid] = seats[index].room_id
        await sockets[index].send(
            json.dumps({"kind": "send", "client_id": uid, "body": json.dumps({"t": time.monotonic(), "u": uid})})
        )
    send_time = time.monotonic() - began
    expected = sum(room_size[room] for uid, room in sent_rooms.items())
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and (len(deliveries) < expected or len(acked) + sum(refused.values()) < total):
        await asyncio.sleep(0.1)
    cpu = farm.cpu_seconds(port) - cpu0
    client1 = resource.getrusage(resource.RUSAGE_SELF)
    client_cpu = (client1.ru_utime - client0.ru_utime) + (client1.ru_stime - client0.ru_stime)
    for ws in sockets:
        await ws.close()
    for task in readers:
        task.cancel()
    expected_acked = sum(room_size[room] for uid, room in sent_rooms.items() if uid in acked)
    delivered = len(deliveries)
    duplicated = sum(count - 1 for count in deliveries.values() if count > 1)
    latencies.sort()
    ms = [1000 * v for v in latencies]
    wall = time.monotonic() - began
    return [
        f"sent={total} acknowledged={len(acked)} refused={dict(refused)}",
        # "lost" = not delivered by 10 s after the last send (so a saturated run shows its backlog here too).
        f"deliveries expected={expected_acked} delivered={delivered} lost={expected_acked - delivered} duplicated={duplicated}",
        f"latency ms p50={_pct(ms, 50):.1f} p95={_pct(ms, 95):.1f} p99={_pct(ms, 99):.1f} max={(ms[-1] if ms else float('nan')):.1f}",
        f"achieved rate={total / send_time:.1f} msg/s ({delivered / wall:.0f} deliveries/s)",
        f"server CPU={cpu:.2f}s ({1000 * cpu / max(delivered, 1):.3f}s per 1,000 deliveries, {100 * cpu / wall:.0f}% of a core)",
        f"client CPU={client_cpu:.2f}s ({100 * client_cpu / wall:.0f}% of a core)",
    ]
