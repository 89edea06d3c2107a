"""Run the shared scorer on the dev set against ``python -m hearth.safety.triage``.

The shared folder sits beside the repository root (``../shared/triage``), or where
``HEARTH_TRIAGE_DATA`` says. The test fails, rather than skips, when it is missing
(with one sentence saying where it looked): a silent skip would let the
thresholds rot unnoticed.
"""

from __future__ import annotations

import json
import subprocess
import sys

from hearth.safety.triage.data import REPO_ROOT, triage_file


def test_devset_meets_thresholds() -> None:
    scorer, data = triage_file("score.py"), triage_file("dev.jsonl")
    cmd = [
        sys.executable,
        str(scorer),
        str(data),
        "--json",
        "--min-crisis-recall",
        "0.95",
        "--min-macro-f1",
        "0.80",
        "--",
        sys.executable,
        "-m",
        "hearth.safety.triage",
    ]
    proc = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, timeout=300, check=False)
    summary = json.loads(proc.stdout.splitlines()[0])
    assert proc.returncode == 0, f"scorer thresholds failed: {summary['summary_line']}\n{proc.stderr}"
    assert summary["bad_outputs"] == 0, summary["summary_line"]
    assert summary["crisis_precision"] >= 0.75, summary["summary_line"]
