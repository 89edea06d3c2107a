"""``python -m hearth.safety.triage``: classify JSON Lines from stdin to stdout."""

from __future__ import annotations

import sys

from . import run_jsonl

if __name__ == "__main__":
    sys.stdin.reconfigure(encoding="utf-8", errors="replace")  # type: ignore[union-attr]
    sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
    n = run_jsonl(sys.stdin, sys.stdout)
    sys.stderr.write(f"triage: {n} messages classified\n")
