"""``hearth serve``: the web server and the task worker together, for one machine.

Starts uvicorn (ASGI: pages and websockets) and ``hearth worker`` as child
processes, and stops both when either exits or on Ctrl+C / SIGTERM. Larger
deployments run the two separately (see the README).
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the web server and the background worker together."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=settings.HEARTH_PORT, help="default: HEARTH_PORT or 8000")
        parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")

    def handle(self, *args: Any, host: str, port: int, workers: int, **options: Any) -> None:
        python = sys.executable
        children = [
            subprocess.Popen(
                [
                    python,
                    "-m",
                    "uvicorn",
                    "hearth.asgi:application",
                    # uvicorn's websocket protocol, taking frames encoded once per room (hearth/core/frames.py)
                    "--ws",
                    "hearth.core.uvicorn_ws:WebSocketProtocol",
                    "--host",
                    host,
                    "--port",
                    str(port),
                    "--workers",
                    str(workers),
                    # A worker busy with a burst of reconnects may miss the default 5 s ping and be restarted,
                    # dropping every socket it holds; a hung one is still replaced after 30 s.
                    "--timeout-worker-healthcheck",
                    "30",
                    "--proxy-headers",
                    "--log-level",
                    "warning",
                ]
            ),
            subprocess.Popen([python, "-m", "hearth.cli", "worker", "--no-reload"]),
        ]

        def stop(*_: Any) -> None:
            for child in children:
                if child.poll() is None:
                    child.terminate()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
        finally:
            stop()
            for child in children:
                try:
                    child.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    child.kill()
