"""Hearth's one way of logging: one line per unit of work, with fields, never with people's words.

Call :func:`log_event` once when a unit of work ends (a request answered, a websocket closed, an
alert raised, a delivery attempted, a task run)::

    log_event("alert.raised", alert=alert.pk, member=member.pk, origin=origin, recipients=len(people))

The event name's first part picks the logger (``hearth.alert``, ``hearth.task``, …), so an operator
can turn one kind up or down in ``LOGGING``. Lines are readable text by default and JSON (one object
per line, for a log shipper) with ``HEARTH_LOG_FORMAT=json``; both formatters are here.

**What may go in a field:** ids, counts, durations, states, codes, route patterns and the names of
things the code defines (task paths, channels, exception classes). **Never** what a member wrote, a
name, an email address, a phone number, a token or a raw URL with a query string: logs are kept
longer and seen by more people than the database. ``hearth/core/tests/test_logs.py`` runs a whole
crisis (a member's crisis post, the alert raised, escalated and acknowledged) and fails if the
member's words, email address or phone number appear in any line.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from hearth.core.hybrid import HybridMiddleware

if TYPE_CHECKING:  # settings.py imports this module: nothing from Django at import time
    from django.http import HttpRequest, HttpResponseBase

FieldValue = str | int | float | bool | None

# The attribute on a LogRecord that carries the event's fields.
_FIELDS = "hearth_fields"
_EVENT = "hearth_event"


def log_event(event: str, *, level: int = logging.INFO, exc_info: Any = None, **fields: FieldValue) -> None:
    """Write one line for one unit of work: ``event`` (dotted, e.g. ``"task.run"``) and its fields."""
    logger = logging.getLogger("hearth." + event.split(".", 1)[0])
    if not logger.isEnabledFor(level):
        return
    logger.log(level, "%s", event, exc_info=exc_info, extra={_EVENT: event, _FIELDS: fields})


def log_event_on_commit(event: str, *, level: int = logging.INFO, **fields: FieldValue) -> None:
    """:func:`log_event` once the current transaction commits (nothing is logged if it rolls back)."""
    from django.db import transaction

    transaction.on_commit(lambda: log_event(event, level=level, **fields))


def _text_value(value: FieldValue) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 1000 else f"{value:.0f}"
    text = str(value)
    return json.dumps(text) if (not text or any(c in text for c in ' ="')) else text


class TextFormatter(logging.Formatter):
    """``17:44:58 request GET /groups/3/ status=200 ms=12 member=5``: short enough to read as it scrolls."""

    def format(self, record: logging.LogRecord) -> str:
        stamp = time.strftime("%H:%M:%S", time.localtime(record.created))
        level = "" if record.levelno == logging.INFO else f" {record.levelname}"
        event = getattr(record, _EVENT, None)
        if event is None:
            line = f"{stamp}{level} {record.name}: {record.getMessage()}"
        else:
            fields = getattr(record, _FIELDS, {})
            parts = [f"{key}={_text_value(value)}" for key, value in fields.items()]
            line = " ".join([f"{stamp}{level} {event}", *parts])
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ``time``, ``level``, ``event`` (or ``logger`` and ``message``), the fields."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
        }
        event = getattr(record, _EVENT, None)
        if event is None:
            data["logger"] = record.name
            data["message"] = record.getMessage()
        else:
            data["event"] = event
            for key, value in getattr(record, _FIELDS, {}).items():
                data.setdefault(key, value)
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, default=str, ensure_ascii=False)


def logging_config(*, fmt: str, level: str, task_level: str) -> dict[str, Any]:
    """The ``LOGGING`` dict settings.py uses: one handler, so no line is ever printed twice."""
    formatter = "json" if fmt == "json" else "text"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "text": {"()": "hearth.core.logs.TextFormatter"},
            "json": {"()": "hearth.core.logs.JsonFormatter"},
        },
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": formatter, "stream": sys.stderr}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's default config gives "django" its own console handler as well as the root's:
            # that is where doubled lines came from. One handler (the root's) for everything.
            "django": {"handlers": [], "level": level, "propagate": True},
            "django.db.backends": {"level": "WARNING"},
            # Our request line replaces Django's "Not Found: /x" warnings; 500s still log with a traceback.
            "django.request": {"level": "ERROR"},
            "django.security": {"level": "WARNING"},
            # django.tasks and django-tasks-db print two lines per task run; hearth.task prints one.
            "django.tasks": {"level": "CRITICAL"},
            # Its "starting worker" and "shutting down" lines: useful in production, noise on a laptop.
            "django_tasks_db": {"level": "INFO" if task_level in {"DEBUG", "INFO"} else "ERROR"},
            "hearth.task": {"level": task_level},
        },
    }


# --- Requests -------------------------------------------------------------------------------------

_ROUTE_PART = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
_QUIET_PATHS = ("/static/", "/healthz", "/readyz", "/metrics", "/favicon.ico")


def route_of(request: HttpRequest) -> str:
    """The path as a route: ids kept, anything else a URL carries (tokens, slugs) left as ``<name>``."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "<unmatched>"
    if match.route.startswith("^"):  # a regex route (admin): its name says enough
        return f"<{match.view_name}>"
    kwargs = match.kwargs

    def fill(part: re.Match[str]) -> str:
        value = kwargs.get(part["name"])
        return str(value) if isinstance(value, int) else f"<{part['name']}>"

    return "/" + _ROUTE_PART.sub(fill, match.route)


def _member_id(request: HttpRequest) -> int | None:
    user = getattr(request, "user", None)
    # Only if the session was already read for this request: logging never costs a query.
    if user is None or getattr(user, "_wrapped", None) is None:
        return None
    wrapped = user._wrapped
    return wrapped.pk if getattr(wrapped, "is_authenticated", False) else None


def _log_request(request: HttpRequest, response: HttpResponseBase, started: float) -> None:
    status = response.status_code
    quiet = request.path.startswith(_QUIET_PATHS) and status < 400
    log_event(
        "request",
        level=logging.DEBUG if quiet else (logging.WARNING if status >= 500 else logging.INFO),
        method=request.method,
        path=request.path if request.path.startswith("/static/") else route_of(request),
        status=status,
        ms=round((time.perf_counter() - started) * 1000),
        member=_member_id(request),
    )


class RequestLogMiddleware(HybridMiddleware):
    """One line per request: method, route, status, milliseconds, member id. First in ``MIDDLEWARE``.

    Static files and health probes log at DEBUG (they would drown everything else); anything that
    fails logs at INFO or above whatever the path.
    """

    def __call__(self, request: HttpRequest) -> Any:
        if self.is_async:
            return self.__acall__(request)
        started = time.perf_counter()
        response = self.get_response(request)
        _log_request(request, response, started)
        return response

    async def __acall__(self, request: HttpRequest) -> Any:
        started = time.perf_counter()
        response = await self.get_response(request)
        _log_request(request, response, started)
        return response


# --- Task runs ------------------------------------------------------------------------------------

_task_started: dict[str, float] = {}


def _on_task_started(sender: Any, task_result: Any, **kwargs: Any) -> None:
    _task_started[str(task_result.id)] = time.perf_counter()


def _on_task_finished(sender: Any, task_result: Any, **kwargs: Any) -> None:
    started = _task_started.pop(str(task_result.id), None)
    failed = task_result.status == "FAILED"
    error = sys.exc_info()
    log_event(
        "task.run",
        level=logging.ERROR if failed else logging.INFO,
        exc_info=error if failed and error[0] is not None else None,
        task=task_result.task.module_path,
        id=str(task_result.id),
        status="failed" if failed else "done",
        ms=None if started is None else round((time.perf_counter() - started) * 1000),
    )


def connect_task_signals() -> None:
    """Called from ``CoreConfig.ready``: one ``task.run`` line per task the worker runs."""
    from django.tasks.signals import task_finished, task_started

    task_started.connect(_on_task_started, dispatch_uid="hearth.logs.task_started")
    task_finished.connect(_on_task_finished, dispatch_uid="hearth.logs.task_finished")
