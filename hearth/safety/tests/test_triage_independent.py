"""A guard on messages the classifier was never tuned or trained on.

``triage_blind4_final.jsonl`` was written by a fourth author to look like real community traffic (about
45% short everyday messages) and is used only here. Its first score: crisis recall 0.816, crisis precision
0.886, macro-F1 0.898. These floors sit a little below that, so a change that makes the classifier miss
crises it used to catch — or raise false alarms on everyday chat — fails CI. Never train on this file.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from hearth.safety.triage.data import REPO_ROOT, triage_file

DATA = Path(__file__).with_name("triage_blind4_final.jsonl")


def test_unseen_traffic_like_messages_keep_their_scores() -> None:
    cmd = [
        sys.executable,
        str(triage_file("score.py")),
        str(DATA),
        "--json",
        "--min-crisis-recall",
        "0.78",
        "--min-macro-f1",
        "0.85",
        "--",
        sys.executable,
        "-m",
        "hearth.safety.triage",
    ]
    proc = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, timeout=300, check=False)
    summary = json.loads(proc.stdout.splitlines()[0])
    assert proc.returncode == 0, f"scorer thresholds failed: {summary['summary_line']}"
    assert summary["crisis_precision"] >= 0.80, summary["summary_line"]  # false alarms stay rare
