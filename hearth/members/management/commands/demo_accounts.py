from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from hearth.members.management.commands.seed_demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from hearth.members.models import Member


class Command(BaseCommand):
    help = "Print the address and the demo sign-in accounts, one per role."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"\n  {settings.HEARTH_ORG_NAME} is at {settings.HEARTH_BASE_URL}\n")
        present = set(Member.objects.filter(email__in=[a[0] for a in DEMO_ACCOUNTS]).values_list("email", flat=True))
        if not present:
            self.stdout.write("  (No demo accounts in this database.)\n")
            return
        self.stdout.write(f"  Demo sign-in accounts (password for all: {DEMO_PASSWORD}):")
        for email, name, _, role in DEMO_ACCOUNTS:
            if email in present:
                self.stdout.write(f"    {role:<12} {email:<26} ({name})")
        self.stdout.write("")
