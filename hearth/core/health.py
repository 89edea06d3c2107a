"""Is Hearth up, and is it keeping its promises? ``/healthz``, ``/readyz`` and ``/metrics``.

- ``/healthz``: the process answers. For a process manager or a load balancer deciding whether to
  send traffic here; it touches nothing else.
- ``/readyz``: every readiness check passes (200) or not (503), as JSON. For monitoring that pages a
  person: the database and channel layer answer, a worker beat recently (without one, crisis alerts
  don't escalate and nothing queued is sent), periodic jobs and queued tasks aren't behind, and no
  crisis alert has waited unacknowledged past its escalation time. Don't use it to take web processes
  out of a load balancer: an unacknowledged alert must not take the site down with it.
- ``/metrics``: the figures an operator watches, in Prometheus' text format, only with
  ``Authorization: Bearer $HEARTH_METRICS_TOKEN`` (404 when no token is configured).

Apps add checks with :func:`readiness_check` and figures with :func:`gauge` (safety adds the crisis
alert check and gauges, availability the talk-now queue), so core never imports them. A check or
gauge reads the clock it is given, so tests move time with ``time_machine``.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import connection
from django.db.models import Max, Min, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

import hearth
from hearth.core.consumers import open_websockets
from hearth.core.fanout import dropped_frames
from hearth.core.layers import full_channel_drops
from hearth.core.models import PeriodicJob, WorkerHeartbeat


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    detail: str


Check = Callable[[datetime], CheckResult]
Reading = float | int | None


@dataclass(frozen=True)
class Gauge:
    name: str
    help: str
    read: Callable[[datetime], Reading]


_CHECKS: dict[str, Check] = {}
_GAUGES: dict[str, Gauge] = {}


def readiness_check(name: str) -> Callable[[Check], Check]:
    """Register ``fn(now) -> CheckResult`` as one of ``/readyz``'s checks."""

    def register(fn: Check) -> Check:
        _CHECKS[name] = fn
        return fn

    return register


def gauge(name: str, help: str) -> Callable[[Callable[[datetime], Reading]], Callable[[datetime], Reading]]:
    """Register ``fn(now) -> number`` as a ``/metrics`` gauge named ``name`` (``hearth_…``)."""

    def register(fn: Callable[[datetime], Reading]) -> Callable[[datetime], Reading]:
        _GAUGES[name] = Gauge(name=name, help=help, read=fn)
        return fn

    return register


def run_checks(now: datetime | None = None) -> dict[str, CheckResult]:
    now = now or timezone.now()
    results = {}
    for name, check in _CHECKS.items():
        try:
            results[name] = check(now)
        except Exception as exc:  # a check that can't run is a failing check, never a 500
            results[name] = CheckResult(False, f"could not check: {type(exc).__name__}")
    return results


# --- The worker's heartbeat -------------------------------------------------------------------------


def beat(worker_id: str, now: datetime | None = None) -> None:
    """Record that this worker is alive; called by ``hearth worker``'s scheduler thread on every tick."""
    now = now or timezone.now()
    if WorkerHeartbeat.objects.filter(worker_id=worker_id).update(beat_at=now):
        return
    WorkerHeartbeat.objects.create(
        worker_id=worker_id[:64], hostname=socket.gethostname()[:255], pid=os.getpid(), started_at=now, beat_at=now
    )
    # A new worker: forget the ones that stopped more than a day ago.
    WorkerHeartbeat.objects.filter(beat_at__lt=now - timedelta(days=1)).delete()


def _seconds(delta: timedelta) -> float:
    return max(0.0, delta.total_seconds())


def heartbeat_age(now: datetime) -> float | None:
    """Seconds since the freshest worker heartbeat; ``None`` if no worker ever started."""
    latest = WorkerHeartbeat.objects.aggregate(latest=Max("beat_at"))["latest"]
    return None if latest is None else _seconds(now - latest)


def scheduler_lag(now: datetime) -> float:
    """How long the most overdue periodic job has been waiting for a worker to claim it (0 if none)."""
    due = PeriodicJob.objects.aggregate(due=Min("due_at"))["due"]
    return 0.0 if due is None else _seconds(now - due)


def _ready_tasks(now: datetime) -> Any:
    from django_tasks_db.models import DBTaskResult, get_date_max

    # django-tasks-db stores "no run_after" as the largest date.
    return DBTaskResult.objects.filter(status="READY").filter(Q(run_after=get_date_max()) | Q(run_after__lte=now))


def task_lag(now: datetime) -> float:
    """How long the oldest task that is due has been waiting for a worker (0 if none)."""
    from django_tasks_db.models import get_date_max

    waiting = _ready_tasks(now).values_list("enqueued_at", "run_after")
    # A task is due from the later of when it was queued and its run_after: the oldest either way.
    firsts = [waiting.order_by("enqueued_at").first(), waiting.order_by("run_after").first()]
    dues = [queued if after == get_date_max() else max(queued, after) for queued, after in filter(None, firsts)]
    return _seconds(now - min(dues)) if dues else 0.0


# --- Core checks and gauges -------------------------------------------------------------------------


@readiness_check("database")
def _database(now: datetime) -> CheckResult:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return CheckResult(True, f"{connection.vendor} answers")


async def _channel_round_trip(timeout: float) -> bool:
    layer = get_channel_layer()
    if layer is None:
        return False
    channel = await layer.new_channel()
    await layer.send(channel, {"type": "hearth.readyz"})
    try:
        await asyncio.wait_for(layer.receive(channel), timeout=timeout)
        return True
    except TimeoutError:
        return False
    finally:
        # The pub/sub layer keeps a channel subscribed until a receive on it is cancelled.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(layer.receive(channel), timeout=0.001)


@readiness_check("channel_layer")
def _channel_layer(now: datetime) -> CheckResult:
    if async_to_sync(_channel_round_trip)(2.0):
        return CheckResult(True, "a message went through the channel layer and came back")
    return CheckResult(False, "a message sent through the channel layer did not come back within 2 s")


@readiness_check("worker")
def _worker(now: datetime) -> CheckResult:
    age = heartbeat_age(now)
    limit = settings.HEARTH_WORKER_STALE_SECONDS
    if age is None:
        return CheckResult(False, "no worker has ever started: run `hearth worker` (or `hearth serve`)")
    if age > limit:
        return CheckResult(
            False,
            f"no worker heartbeat for {age:.0f} s (limit {limit} s): crisis alerts won't escalate until "
            "`hearth worker` runs again",
        )
    return CheckResult(True, f"last worker heartbeat {age:.0f} s ago")


@readiness_check("scheduler")
def _scheduler(now: datetime) -> CheckResult:
    lag, limit = scheduler_lag(now), settings.HEARTH_TASK_LAG_SECONDS
    if lag > limit:
        return CheckResult(False, f"a periodic job has been due for {lag:.0f} s (limit {limit} s)")
    return CheckResult(True, f"periodic jobs on time (most overdue: {lag:.0f} s)")


@readiness_check("tasks")
def _tasks(now: datetime) -> CheckResult:
    lag, limit = task_lag(now), settings.HEARTH_TASK_LAG_SECONDS
    if lag > limit:
        return CheckResult(False, f"the oldest queued task has waited {lag:.0f} s (limit {limit} s)")
    return CheckResult(True, f"queued tasks on time (oldest: {lag:.0f} s)")


gauge("hearth_worker_heartbeat_age_seconds", "Seconds since the freshest worker heartbeat.")(heartbeat_age)
gauge("hearth_scheduler_lag_seconds", "Seconds the most overdue periodic job has waited.")(scheduler_lag)
gauge("hearth_task_lag_seconds", "Seconds the oldest due task has waited for a worker.")(task_lag)


@gauge("hearth_task_queue_depth", "Tasks due and waiting for a worker.")
def _queue_depth(now: datetime) -> int:
    depth: int = _ready_tasks(now).count()
    return depth


@gauge("hearth_websocket_connections", "Websockets open in the process that answered this scrape.")
def _websockets(now: datetime) -> int:
    return open_websockets()


@gauge(
    "hearth_live_frames_dropped_total",
    "Live frames dropped because a socket's queue was full, in the process that answered (each is recovered by "
    "the page from its seq; see core/fanout.py).",
)
def _frames_dropped(now: datetime) -> int:
    return dropped_frames() + full_channel_drops()


# --- Views --------------------------------------------------------------------------------------------


def _has_token(request: HttpRequest) -> bool:
    token = settings.HEARTH_METRICS_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    return bool(token) and hmac.compare_digest(given.encode(), token.encode())


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """The process is up. Nothing else is touched, so this answers even when the database doesn't."""
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    """Every check's name and result; what each found (counts, ages) only with the metrics token."""
    results = run_checks()
    detailed = _has_token(request)
    ready = all(r.ok for r in results.values())
    body: dict[str, Any] = {
        "status": "ok" if ready else "unhealthy",
        "checks": {name: {"ok": r.ok, **({"detail": r.detail} if detailed else {})} for name, r in results.items()},
    }
    if detailed:
        body["version"] = hearth.__version__
    response = JsonResponse(body, status=200 if ready else 503)
    # Our request line already says 503; Django would add an ERROR line for every failing probe.
    response._has_been_logged = True  # type: ignore[attr-defined]  # Django's own flag, not in django-stubs
    return response


def _number(value: Reading) -> str:
    if value is None:
        return "NaN"
    return str(int(value)) if float(value).is_integer() else f"{value:.3f}"


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    if not settings.HEARTH_METRICS_TOKEN:
        return HttpResponse("Metrics are off: set HEARTH_METRICS_TOKEN.", status=404, content_type="text/plain")
    if not _has_token(request):
        response = HttpResponse("A metrics token is needed.", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    now = timezone.now()
    lines = [
        "# HELP hearth_info The running version.",
        "# TYPE hearth_info gauge",
        f'hearth_info{{version="{hearth.__version__}"}} 1',
        "# HELP hearth_ready Whether each readiness check passes (1) or not (0).",
        "# TYPE hearth_ready gauge",
    ]
    lines += [f'hearth_ready{{check="{name}"}} {int(r.ok)}' for name, r in run_checks(now).items()]
    for g in sorted(_GAUGES.values(), key=lambda g: g.name):
        try:
            value = g.read(now)
        except Exception:  # one figure that can't be read must not hide the others
            value = None
        lines += [f"# HELP {g.name} {g.help}", f"# TYPE {g.name} gauge", f"{g.name} {_number(value)}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; version=0.0.4; charset=utf-8")
