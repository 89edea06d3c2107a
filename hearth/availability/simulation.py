"""A discrete-event simulation of talk-now at a small service: how long do people wait?

Pure Python, deterministic for a seed. Requests arrive as a Poisson process
whose hourly rate follows an evening peak; each supporter on the rota can hold
``cap`` conversations at once; a conversation lasts a log-normal time; a person
still waiting when the service closes leaves a message (counted as not answered
live). The rota is a list of (weekday, start hour, end hour, role).
"""

from __future__ import annotations

import heapq
import math
import random
from dataclasses import dataclass, field
from statistics import median

# Requests per hour per 100 members, by hour of day: quiet mornings, an evening peak, late-night tail.
HOURLY_RATE_PER_100 = [
    0.05, 0.03, 0.02, 0.02, 0.02, 0.03, 0.05, 0.08, 0.12, 0.15, 0.18, 0.2,
    0.2, 0.2, 0.2, 0.22, 0.25, 0.3, 0.4, 0.55, 0.65, 0.6, 0.45, 0.2,
]  # fmt: skip


@dataclass
class Result:
    requests: int = 0
    answered: int = 0
    waits: list[float] = field(default_factory=list)  # minutes, answered live
    unanswered: int = 0  # arrived outside hours or waited past closing: left a message
    busy_minutes: float = 0.0
    shift_minutes: float = 0.0

    def summary(self) -> dict[str, float]:
        waits = sorted(self.waits)
        p95 = waits[min(len(waits) - 1, math.ceil(0.95 * len(waits)) - 1)] if waits else float("nan")
        within5 = sum(1 for w in waits if w <= 5) / self.requests if self.requests else 0.0
        return {
            "requests": self.requests,
            "answered_live": self.answered,
            "left_a_message": self.unanswered,
            "median_wait_min": round(median(waits), 1) if waits else float("nan"),
            "p95_wait_min": round(p95, 1),
            "share_answered_within_5_min": round(within5, 3),
            "supporter_load": round(self.busy_minutes / self.shift_minutes, 3) if self.shift_minutes else 0.0,
        }


def simulate(
    rota: list[tuple[int, int, int, str]],
    *,
    members: int = 300,
    days: int = 30,
    cap: int = 2,
    median_minutes: float = 25.0,
    seed: int = 1,
) -> Result:
    rng = random.Random(seed)
    result = Result()
    minutes = days * 24 * 60
    # Supporter slots: each rota line is one supporter with `cap` seats.
    seats_free: dict[int, int] = {}
    events: list[tuple[float, int, str, int]] = []  # (time, order, kind, payload)
    order = 0

    def push(t: float, kind: str, payload: int = 0) -> None:
        nonlocal order
        order += 1
        heapq.heappush(events, (t, order, kind, payload))

    for day in range(days):
        for i, (weekday, start, end, _role) in enumerate(rota):
            if day % 7 == weekday:
                base = day * 1440
                push(base + start * 60, "on", i)
                push(base + end * 60, "off", i)
                result.shift_minutes += (end - start) * 60
    # Arrivals: thinned Poisson process by hour.
    t = 0.0
    peak = max(HOURLY_RATE_PER_100) * members / 100 / 60
    while True:
        t += rng.expovariate(peak)
        if t >= minutes:
            break
        rate = HOURLY_RATE_PER_100[int(t // 60) % 24] * members / 100 / 60
        if rng.random() < rate / peak:
            push(t, "arrive")
    queue: list[float] = []  # arrival times, oldest first
    on_shift: set[int] = set()
    sigma = 0.5

    def start_conversations(now: float) -> None:
        while queue:
            free = [s for s in sorted(on_shift) if seats_free.get(s, 0) > 0]
            if not free:
                return
            seat = free[0]
            arrived = queue.pop(0)
            seats_free[seat] -= 1
            result.answered += 1
            result.waits.append(now - arrived)
            length = rng.lognormvariate(math.log(median_minutes), sigma)
            result.busy_minutes += length
            push(now + length, "done", seat)

    while events:
        now, _, kind, payload = heapq.heappop(events)
        if kind == "arrive":
            result.requests += 1
            if not on_shift:
                result.unanswered += 1  # nobody on: leaves a message
                continue
            queue.append(now)
        elif kind == "on":
            on_shift.add(payload)
            seats_free[payload] = cap
        elif kind == "off":
            on_shift.discard(payload)
            if not on_shift and queue:
                result.unanswered += len(queue)  # still waiting at close: their request becomes a message
                queue.clear()
        elif kind == "done":
            seats_free[payload] = seats_free.get(payload, 0) + 1
        start_conversations(now)
    return result
