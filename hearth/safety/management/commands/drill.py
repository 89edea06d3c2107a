"""``hearth drill``: a synthetic crisis through every kind of member writing; exits 1 if any went unalerted
or stored words the screening guard saw go unscreened."""

from __future__ import annotations

import asyncio
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from hearth.core import screening
from hearth.safety import drill


class Command(BaseCommand):
    help = (
        "Write a synthetic crisis (marked as a drill, never shown to members) through every screened path and "
        "report, per path: alerted or not, time to screen, time until a staff page showed it, and what each "
        "channel did. Exits 1 if any path went unalerted or stored member text unscreened. Real staff get a drill "
        "alert per path."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--path", action="append", dest="paths", metavar="KEY", help="only this path (repeat)")

    def handle(self, *args: Any, paths: list[str] | None = None, **options: Any) -> None:
        known = screening.paths()
        unknown = sorted(set(paths or []) - set(known))
        if unknown:
            raise CommandError(f"No such path: {', '.join(unknown)}. Paths: {', '.join(sorted(known))}.")
        report = asyncio.run(drill.run(paths))
        for line in report.lines():
            self.stdout.write(line)
        if report.unalerted:
            raise CommandError(
                f"{len(report.unalerted)} path(s) raised no crisis alert or stored words unscreened.", returncode=1
            )
