"""The benchmark's own accounting: the CPU it reports for a process tree is what the tree used."""

from __future__ import annotations

import os
import subprocess
import sys

from hearth.chat.loadtest import tree_stats


def test_cpu_of_a_child_that_has_exited_stays_in_its_parents_tree() -> None:
    # PostgreSQL's backends end with their connections; their CPU must not vanish from the server's figure
    # (it used to: a backend that ended between two readings made the difference negative).
    before = tree_stats(os.getpid())["cpu_s"]
    burn = "import time\nwhile time.process_time() < 0.3: pass"
    subprocess.run([sys.executable, "-c", burn], check=True)  # run() waits: the child is reaped
    after = tree_stats(os.getpid())["cpu_s"]
    assert after - before >= 0.25
