from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from hearth.core.models import OrganisationSettings
from hearth.members.management.commands.seed_demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from hearth.members.models import Member


class Command(BaseCommand):
    help = "Print the address and the demo sign-in accounts, one per role."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", help="the address `hearth serve --host` listens on")
        parser.add_argument("--port", type=int, help="the port `hearth serve --port` listens on (default: HEARTH_PORT)")

    def handle(self, *args: Any, host: str | None = None, port: int | None = None, **options: Any) -> None:
        # The address actually served: what `hearth serve` was given, else HEARTH_BASE_URL (which follows HEARTH_PORT).
        url = settings.HEARTH_BASE_URL
        if host or port:
            url = f"http://{host or '127.0.0.1'}:{port or settings.HEARTH_PORT}"
        self.stdout.write(f"\n  {settings.HEARTH_ORG_NAME} is at {url}\n")
        present = set(Member.objects.filter(email__in=[a[0] for a in DEMO_ACCOUNTS]).values_list("email", flat=True))
        if not present:
            self.stdout.write("  (No demo accounts in this database.)\n")
            return
        self.stdout.write(f"  Demo sign-in accounts (password for all: {DEMO_PASSWORD}):")
        for email, name, _, role in DEMO_ACCOUNTS:
            if email in present:
                self.stdout.write(f"    {role:<12} {email:<26} ({name})")
        if not OrganisationSettings.load().require_staff_two_factor:
            self.stdout.write(
                "  Two-factor sign-in for staff is off in this demo, so the password is enough for every role.\n"
                "  A new organisation starts with it on (coordinators: Team tools, then Organisation settings)."
            )
        self.stdout.write("")
