"""``python -m hearth.safety.triage``: classify JSON Lines from stdin to stdout."""

from __future__ import annotations

import io
import sys

from . import run_jsonl

if __name__ == "__main__":
    if isinstance(sys.stdin, io.TextIOWrapper):  # typed TextIO, which has no reconfigure; a pipe is a wrapper
        sys.stdin.reconfigure(encoding="utf-8", errors="replace")
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(encoding="utf-8")
    n = run_jsonl(sys.stdin, sys.stdout)
    sys.stderr.write(f"triage: {n} messages classified\n")
