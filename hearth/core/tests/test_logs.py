"""One line per unit of work, readable or JSON, printed once, with nothing private in it.

The crisis-flow test (no member text, email or phone in any line) is in
``hearth/safety/tests/test_logs.py``.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from django.tasks import task
from django.test import Client

from hearth.core.logs import FieldValue, JsonFormatter, TextFormatter, log_event, logging_config
from hearth.core.management.commands.worker import Command as WorkerCommand
from hearth.testing import run_queued_tasks


@task()
def fine_task() -> int:
    return 1


@task()
def broken_task() -> int:
    raise RuntimeError("the outside service said no")


@pytest.fixture
def console() -> Iterator[io.StringIO]:
    """What the configured console handler prints (settings.LOGGING, as `make run` has it)."""
    handler = next(h for h in logging.getLogger().handlers if isinstance(h.formatter, TextFormatter | JsonFormatter))
    assert isinstance(handler, logging.StreamHandler)
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        yield stream
    finally:
        handler.setStream(previous)


def record_for(event: str, **fields: FieldValue) -> logging.LogRecord:
    captured: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            captured.append(record)

    logger = logging.getLogger("hearth." + event.split(".")[0])
    keep = Keep()
    logger.addHandler(keep)
    try:
        log_event(event, level=logging.INFO, exc_info=None, **fields)
    finally:
        logger.removeHandler(keep)
    return captured[0]


def test_text_lines_read_as_event_then_fields() -> None:
    record = record_for("alert.raised", alert=4, member=12, origin="message", nobody_on_duty=True, note="two words")
    line = TextFormatter().format(record)
    assert line.endswith('alert.raised alert=4 member=12 origin=message nobody_on_duty=yes note="two words"')


def test_json_lines_are_one_object_with_the_fields() -> None:
    record = record_for("delivery.attempt", channel="email", outcome="sent", ms=8)
    data = json.loads(JsonFormatter().format(record))
    assert data["event"] == "delivery.attempt" and data["outcome"] == "sent" and data["ms"] == 8
    assert data["level"] == "info" and data["time"].endswith("+00:00")


def test_json_format_is_chosen_by_configuration() -> None:
    config = logging_config(fmt="json", level="INFO", task_level="INFO")
    assert config["handlers"]["console"]["formatter"] == "json"
    assert logging_config(fmt="text", level="INFO", task_level="INFO")["handlers"]["console"]["formatter"] == "text"


def test_a_request_is_one_line_with_its_route_not_its_tokens(client: Client, console: io.StringIO, db: None) -> None:
    client.get("/join/a-secret-invitation-token/?email=robin@example.org")
    lines = console.getvalue().splitlines()
    assert len(lines) == 1, lines
    assert "request method=GET path=/join/<token>/ status=" in lines[0]
    assert "secret" not in lines[0] and "robin" not in lines[0]


def test_the_home_page_is_logged_as_slash(client: Client, console: io.StringIO, db: None) -> None:
    client.get("/")
    assert "request method=GET path=/ status=200" in console.getvalue()


def test_health_probes_stay_out_of_the_console_unless_they_fail(client: Client, console: io.StringIO, db: None) -> None:
    client.get("/healthz")
    assert console.getvalue() == ""


def test_worker_noise_only_on_failure_and_each_line_once(console: io.StringIO, db: None) -> None:
    fine_task.enqueue()
    broken_task.enqueue()
    logging.getLogger("django.security.csrf").warning("a warning from Django")
    WorkerCommand().configure_logging(1)  # db_worker would turn its two lines per task on here; ours doesn't
    assert run_queued_tasks() == 2
    out = console.getvalue()
    assert "fine_task" not in out  # a successful run is quiet on a laptop
    assert out.count("task.run task=hearth.core.tests.test_logs.broken_task") == 1
    assert "status=failed" in out and "RuntimeError: the outside service said no" in out
    assert out.count("a warning from Django") == 1
    assert "Task id=" not in out  # django.tasks' own start/finish lines
