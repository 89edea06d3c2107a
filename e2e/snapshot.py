"""The demo organisation the browser tests start from: migrated, seeded and with static files collected.

``conftest.py`` makes one per run, or uses the one ``HEARTH_E2E_SNAPSHOT`` names when it is already made:
``scripts/test.sh`` makes it with ``python -m e2e.snapshot DIR`` in the background while lint runs, so the
browser step doesn't wait ~15 s for it. Every test copies it (see ``server_env`` in ``conftest.py``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "e2e.sqlite3"
READY = ".ready"  # written last: a folder without it is still being made (or its making failed)


def server_env(data: Path, port: int | None = None) -> dict[str, str]:
    """The environment of a server (or management command) on the data folder ``data``."""
    env = {
        **os.environ,
        "HEARTH_DATA_DIR": str(data),
        "DATABASE_URL": f"sqlite:///{data}/{DATABASE}",
        "HEARTH_MODE": "development",
        "DEBUG": "false",
    }
    if port is not None:
        env["HEARTH_BASE_URL"] = f"http://127.0.0.1:{port}"
    for name in ("REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "PYTEST_XDIST_WORKER", "PYTEST_CURRENT_TEST"):
        env.pop(name, None)
    return env


def make(data: Path) -> Path:
    """Migrate, seed the demo organisation and collect static files into ``data``."""
    env = server_env(data)
    for args in (("migrate", "--no-input"), ("seed_demo",), ("collectstatic", "--no-input", "-v", "0")):
        subprocess.run([sys.executable, "-m", "hearth.cli", *args], cwd=ROOT, env=env, check=True, capture_output=True)
    (data / READY).touch()
    return data


def made_beforehand() -> Path | None:
    """The folder ``HEARTH_E2E_SNAPSHOT`` names, once it is complete; None when unset."""
    named = os.environ.get("HEARTH_E2E_SNAPSHOT")
    if not named:
        return None
    data = Path(named)
    if not (data / READY).is_file():
        raise RuntimeError(
            f"HEARTH_E2E_SNAPSHOT={named} is not a finished snapshot (no {READY} file): make it with "
            "`python -m e2e.snapshot DIR`, or unset HEARTH_E2E_SNAPSHOT to have the browser tests make their own."
        )
    return data


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m e2e.snapshot DIR")
    target = Path(sys.argv[1])
    target.mkdir(parents=True, exist_ok=True)
    make(target)
