"""``hearth push_keys``: make the VAPID key pair web push needs (print it; nothing is stored)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from hearth.core import push


class Command(BaseCommand):
    help = "Print a new web push (VAPID) key for HEARTH_VAPID_PRIVATE_KEY, and its public half."

    def handle(self, *args: Any, **options: Any) -> None:
        private, public = push.new_key_pair()
        self.stdout.write(
            "A new web push key. Put the first line in the server's environment (or a file named by\n"
            "HEARTH_VAPID_PRIVATE_KEY_FILE) and keep it: with a new key, every device has to turn push on again.\n\n"
            f"HEARTH_VAPID_PRIVATE_KEY={private}\n\n"
            f"Its public half, which browsers are given (worked out from the key; nothing to set): {public}"
        )
