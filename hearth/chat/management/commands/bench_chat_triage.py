"""``hearth bench_chat_triage``: how much triage adds to posting a chat message (store + triage + commit).

Runs against the configured database (``make bench`` gives it a throwaway one):
sends N messages through ``do_send_message`` with triage on, then N with the
screening step replaced by a no-op, and prints both latencies and the difference.
"""

from __future__ import annotations

import time
from statistics import mean, median
from typing import Any
from unittest import mock

from django.core.management.base import BaseCommand

from hearth.chat import actions as chat
from hearth.community.models import Group, GroupState, Membership
from hearth.core.screening import Screening
from hearth.members.models import Member

TEXTS = [
    "Evening all, anyone else watching the match?",
    "Had a rough day but this group helps, thank you",
    "I finished the jumper! Photo later",
    "Can't sleep again, just sitting with a cuppa",
]


class Command(BaseCommand):
    help = "Measure the latency triage adds to posting a chat message."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--messages", type=int, default=400)

    def handle(self, *args: Any, messages: int, **options: Any) -> None:
        people = [
            Member.objects.get_or_create(email=f"bench{i}@example.org", defaults={"display_name": f"Bench {i}"})[0]
            for i in range(4)
        ]
        group, _ = Group.objects.get_or_create(
            name="Bench room", defaults={"state": GroupState.ACTIVE, "purpose": "bench", "who_for": "bench"}
        )
        for p in people:
            Membership.objects.get_or_create(group=group, member=p)
        room = chat.do_open_group_room(people[0], group.pk)

        def run(label: str) -> list[float]:
            times = []
            for n in range(messages):
                sender = people[n % len(people)]
                t0 = time.perf_counter()
                chat.do_send_message(sender, room, TEXTS[n % len(TEXTS)], f"{label}-{n}-{time.time_ns()}")
                times.append((time.perf_counter() - t0) * 1000)
            return times

        # The flood limiter is switched off for the measurement: this times the send path, not the limiter.
        with mock.patch("hearth.chat.actions._recent_sends", return_value=False):
            with_triage = run("on")
            no_screen = Screening(risk="none", flags=())
            with (
                mock.patch("hearth.chat.actions.screen_writing", return_value=no_screen),
                mock.patch("hearth.chat.actions.check_can_write", return_value=None),
            ):
                without = run("off")

        def p99(xs: list[float]) -> float:
            return sorted(xs)[int(len(xs) * 0.99) - 1]

        self.stdout.write(
            f"chat send ({messages} messages, SQLite={room._state.db}): with triage median {median(with_triage):.2f} ms "
            f"(mean {mean(with_triage):.2f}, p99 {p99(with_triage):.2f}); without {median(without):.2f} ms "
            f"(mean {mean(without):.2f}, p99 {p99(without):.2f}); triage adds {median(with_triage) - median(without):.2f} ms "
            "at the median"
        )
