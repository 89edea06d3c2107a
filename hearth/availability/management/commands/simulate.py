"""``hearth simulate``: a month of talk-now at a demo-sized service, and which rota change helps most."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from hearth.availability.demo import DEMO_ROTA
from hearth.availability.simulation import simulate
from hearth.members.models import Role

VARIANTS: dict[str, list[tuple[int, int, int, str]]] = {
    "demo rota": DEMO_ROTA,
    "+ a second evening volunteer, Thu-Sat 19-22": DEMO_ROTA + [(d, 19, 22, Role.VOLUNTEER) for d in (3, 4, 5)],
    "+ an evening peer worker every day 18-22": DEMO_ROTA + [(d, 18, 22, Role.PEER_WORKER) for d in range(7)],
    "+ Sunday morning peer worker 10-14": [*DEMO_ROTA, (6, 10, 14, Role.PEER_WORKER)],
    "+ late cover 22-24 every day": DEMO_ROTA + [(d, 22, 24, Role.VOLUNTEER) for d in range(7)],
}


class Command(BaseCommand):
    help = "Simulate a month of talk-now requests against the demo rota and a few variants."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--members", type=int, default=300)
        parser.add_argument("--days", type=int, default=30)
        parser.add_argument("--cap", type=int, default=2, help="conversations a supporter holds at once")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args: Any, members: int, days: int, cap: int, seed: int, **options: Any) -> None:
        self.stdout.write(f"Talk-now simulation: {members} members, {days} days, cap {cap}, seed {seed}")
        header = f"{'rota':<48}{'requests':>9}{'median':>8}{'p95':>7}{'<=5min':>8}{'message':>8}{'load':>6}"
        self.stdout.write(header)
        for name, rota in VARIANTS.items():
            s = simulate(rota, members=members, days=days, cap=cap, seed=seed).summary()
            self.stdout.write(
                f"{name:<48}{s['requests']:>9}{s['median_wait_min']:>8}{s['p95_wait_min']:>7}"
                f"{s['share_answered_within_5_min']:>8}{s['left_a_message']:>8}{s['supporter_load']:>6}"
            )
