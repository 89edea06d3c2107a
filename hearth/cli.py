"""The ``hearth`` command: the project's manage.py (``hearth migrate``, ``hearth seed_demo``, …)."""

import os
import sys


def main() -> None:
    if sys.argv[1:2] == ["triage"] and len(sys.argv) == 2:
        # The triage classifier is pure Python: skip Django's start-up (about half a
        # second) so scoring a batch is as fast as the classifier. Same function as
        # the `triage` management command.
        from hearth.safety.triage import run_jsonl

        run_jsonl(sys.stdin, sys.stdout)
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hearth.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
