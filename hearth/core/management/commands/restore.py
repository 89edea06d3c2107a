"""``hearth restore ARCHIVE``: put a backup back, after checking it can be restored here.

Checks first, touching nothing: the backup key opens it, it is a Hearth backup for this kind of
database, this Hearth is as new as the one that made it, and the configured HEARTH_FIELD_KEY can read
its encrypted answers. Then (after a confirmation, or ``--yes``) it replaces the database and the
uploaded files and runs any newer migrations. Stop the web and worker processes first.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from hearth.core import backup


class Command(BaseCommand):
    help = "Restore a backup made by `hearth backup` (checks the key and versions before changing anything)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument("--yes", action="store_true", help="don't ask for confirmation")
        parser.add_argument("--check", action="store_true", help="only check the archive can be restored here")

    def handle(self, *args: Any, archive: Path, yes: bool, check: bool, **options: Any) -> None:
        try:
            with backup.opened_archive(archive) as opened:
                m = opened.manifest
                self.stdout.write(
                    f"Backup of {m['organisation']} made {m['created_at']} by Hearth {m['hearth_version']}: "
                    f"{m['database']['vendor']} database, {m['media']['files']} uploaded files."
                )
                if opened.problems:
                    raise CommandError(
                        "Can't restore this backup here; nothing was changed.\n- " + "\n- ".join(opened.problems)
                    )
                self.stdout.write("Checked: the backup key opens it, and the field key and versions match.")
                if check:
                    return
                if not yes and not self._confirmed():
                    raise CommandError("Not restored; nothing was changed.")
                files = backup.restore(opened)
                self.stdout.write(f"Restored the database and {files} uploaded files.")
                needs_migrate = opened.needs_migrate
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        if needs_migrate:
            self.stdout.write(f"Bringing the database up to this version ({len(needs_migrate)} migrations).")
            call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Done. Start Hearth again and check /readyz.")

    def _confirmed(self) -> bool:
        if not sys.stdin.isatty():
            raise CommandError("Restoring replaces everything in the database: run again with --yes to confirm.")
        name = connection.settings_dict["NAME"]
        answer = input(f"This replaces everything in {name} and the uploaded files. Type 'restore' to go on: ")
        return answer.strip().lower() == "restore"
