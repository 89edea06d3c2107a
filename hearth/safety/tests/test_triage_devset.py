"""Run the shared scorer on the dev set against ``python -m hearth.safety.triage``.

The shared folder sits beside the repository root (``../shared/triage``). The
test fails, rather than skips, when it is missing: a silent skip would let the
thresholds rot unnoticed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
SHARED = REPO_ROOT / ".." / "shared" / "triage"


def test_devset_meets_thresholds():
    scorer, data = SHARED / "score.py", SHARED / "dev.jsonl"
    assert scorer.is_file() and data.is_file(), (
        f"triage dev set or scorer not found under {SHARED.resolve()}; "
        "expected score.py and dev.jsonl in the shared/triage folder beside the repository"
    )
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
