"""``hearth triage``: risk triage of JSON Lines on stdin, the scorer's contract.

Reads ``{"id", "text"}`` lines, writes ``{"id", "risk", "flags"}`` lines (see
``../shared/triage/README.md``). ``hearth/cli.py`` runs the same function
without starting Django, so batch scoring doesn't pay for app start-up.
"""

import sys
from typing import Any

from django.core.management.base import BaseCommand

from hearth.safety.triage import run_jsonl


class Command(BaseCommand):
    help = "Triage JSON Lines messages from stdin: risk level and flags for each, one line out per line in."

    def handle(self, *args: Any, **options: Any) -> None:
        run_jsonl(sys.stdin, sys.stdout)
