"""``hearth backup``: one encrypted archive of the database, uploaded files and a manifest.

Safe while Hearth runs (SQLite's online backup API, or pg_dump's snapshot). See
:mod:`hearth.core.backup` for what is inside and how it is encrypted.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from hearth.core import backup


class Command(BaseCommand):
    help = "Write an encrypted backup (database, uploaded files, manifest). Needs HEARTH_BACKUP_KEY or _RECIPIENT."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--output", "-o", type=Path, help="file or folder to write (default: data/backups/hearth-<time>.tar.gz.age)"
        )
        parser.add_argument(
            "--new-key", action="store_true", help="print a new backup key and its public half, and stop"
        )

    def handle(self, *args: Any, output: Path | None, new_key: bool, **options: Any) -> None:
        if new_key:
            identity, recipient = backup.new_key()
            self.stdout.write(
                "A new backup key. Keep the secret line somewhere safe and separate from the server and the\n"
                "backups (with HEARTH_FIELD_KEY): without it no backup made with it can be restored.\n\n"
                f"HEARTH_BACKUP_KEY={identity}\n"
                f"HEARTH_BACKUP_RECIPIENT={recipient}\n\n"
                "Give the server only HEARTH_BACKUP_RECIPIENT to make backups it can't read itself; bring\n"
                "HEARTH_BACKUP_KEY back to restore."
            )
            return
        try:
            summary = backup.write_backup(output)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        manifest = summary.manifest
        self.stdout.write(
            f"Backup written: {summary.path} ({summary.bytes / 1_048_576:.1f} MB; {manifest['database']['vendor']} "
            f"database, {summary.media_files} uploaded files; Hearth {manifest['hearth_version']}; "
            f"field key {manifest['field_key_fingerprints'][0]})"
        )
