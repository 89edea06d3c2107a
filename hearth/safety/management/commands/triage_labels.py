"""``hearth triage_labels``: moderators' labels as JSON Lines, for retraining on this server (audited)."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand

from hearth.safety.actions import export_labels, label_figures


class Command(BaseCommand):
    help = (
        "Write moderators' triage labels (decrypted) as JSON Lines to stdout, in the labelled sets' format. "
        "The words are members' own: keep the file on this server, and delete it when done."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--count", action="store_true", help="only say how many labels there are")

    def handle(self, *args: Any, count: bool, **options: Any) -> None:
        if count:
            from datetime import datetime

            figures = label_figures(datetime.fromtimestamp(0).astimezone())
            self.stdout.write(f"{figures['labels']} labels")
            return
        for row in export_labels(None):
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
