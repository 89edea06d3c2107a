"""Where the shared triage development set and scorer live.

They sit outside the repository (``../shared/triage`` beside the checkout), because they are shared with
the people who score Hearth. ``HEARTH_TRIAGE_DATA`` points elsewhere. Standard library only, like the rest
of the triage package.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
DEFAULT = REPO_ROOT.parent / "shared" / "triage"


class TriageDataMissing(FileNotFoundError):
    """The shared triage folder, or a file in it, is not where we looked."""


def triage_data_dir() -> Path:
    """The folder named by ``HEARTH_TRIAGE_DATA``, or ``../shared/triage`` beside the repository."""
    raw = os.environ.get("HEARTH_TRIAGE_DATA", "").strip()
    return Path(raw).expanduser() if raw else DEFAULT


def triage_file(name: str) -> Path:
    """A file of the shared triage folder (``score.py``, ``dev.jsonl``); one clear sentence if it is missing."""
    folder = triage_data_dir()
    path = folder / name
    if not path.is_file():
        raise TriageDataMissing(
            f"The triage file {name} is not at {path.resolve()}: put the shared triage folder (score.py, dev.jsonl) "
            "beside the repository as ../shared/triage, or set HEARTH_TRIAGE_DATA to the folder that holds it."
        )
    return path
