"""``hearth drill``: a synthetic crisis written through every kind of member writing, checked end to end.

For each path in the screening registry (:func:`hearth.core.screening.paths`) the drill

1. makes a synthetic member ("Drill: post", an ``@example.invalid`` address nobody reads) and, inside
   :func:`~hearth.core.screening.drilling`, writes :data:`DRILL_TEXT` as them through the path's real action
   (the path's own ``drill``: a private group of one, their own profile, …), so the alert it raises is marked
   as a drill ("Drill — Crisis alert…" on every banner, push and email) and is never shown to a member;
2. times it: **screened** is the write itself (store, triage, the alert), **on a screen** is until a staff
   page has said it showed the alert — the drill holds one such page open, a websocket to ``/ws/me/``
   through the real ASGI application as a synthetic peer worker, and answers ``received`` as the banner
   script does;
3. sends whatever else is due (email, push) once, as the worker would, and reads what reached whom
   (:func:`hearth.core.deliveries.summary`);
4. acknowledges the alert (as the synthetic peer worker: it stops escalating, banners clear); at the end it
   dismisses the drill's moderation items, runs each app's drill clean-up
   (:func:`~hearth.core.screening.register_drill_cleanup`: community removes its drill groups) and erases the
   synthetic people through "delete my account" (:func:`hearth.members.data_rights.erase_member`). The
   acknowledged drill alerts stay on the alerts page as the record that a drill ran.

Real staff are sent what a real alert sends them (live banners, push, email when nobody is on duty), marked
as a drill. Run it with no other Hearth server on the same database, or with ``REDIS_URL`` set: with the
in-memory channel layer a live delivery another process claims can't reach the drill's page.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import statistics
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from channels.db import database_sync_to_async
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from hearth.core import deliveries, screening
from hearth.core.errors import ActionError
from hearth.members.models import Member, Role, RoleGrant
from hearth.safety.models import CrisisAlert

DRILL_TEXT = "I am going to kill myself tonight. The pills are ready."  # fits every path's shortest field (60)
DRILL_DOMAIN = "example.invalid"  # never delivered: RFC 2606
SCREEN_TIMEOUT = 10.0  # seconds to wait for the drill's page to show an alert


@dataclass
class Row:
    """One path's result."""

    key: str
    label: str
    alerted: bool = False
    screened_ms: float | None = None  # the write: store, triage, alert
    on_screen_ms: float | None = None  # until a staff page said it showed the alert
    channels: list[str] = field(default_factory=list)  # "live: delivered to 1 of 4", …
    skipped: str = ""  # why the path couldn't be drilled here
    error: str = ""
    unscreened: list[str] = field(default_factory=list)  # what the screening guard saw stored unscreened

    @property
    def ok(self) -> bool:
        return (self.alerted and not self.unscreened) or bool(self.skipped)


@dataclass
class Report:
    rows: list[Row]

    @property
    def unalerted(self) -> list[Row]:
        """Every path that failed the drill: no alert, or words the screening guard saw stored unscreened."""
        return [r for r in self.rows if not r.ok]

    @property
    def unscreened(self) -> bool:
        return any(r.unscreened for r in self.rows)

    def percentile(self, values: list[float], q: int) -> float | None:
        if not values:
            return None
        if len(values) == 1:
            return values[0]
        return statistics.quantiles(values, n=100, method="inclusive")[q - 1]

    def lines(self) -> list[str]:
        width = max(len(r.label) for r in self.rows) if self.rows else 10
        out = [f"{'path':<{width}}  {'alerted':<8} {'screened':>9} {'on screen':>10}  channels"]
        for r in self.rows:
            if r.skipped:
                out.append(f"{r.label:<{width}}  {'skipped':<8} {'':>9} {'':>10}  {r.skipped}")
                continue
            alerted = "yes" if r.alerted else "NO"
            screened = f"{r.screened_ms:.0f} ms" if r.screened_ms is not None else "—"
            on_screen = f"{r.on_screen_ms:.0f} ms" if r.on_screen_ms is not None else "none"
            detail = "; ".join(r.unscreened) or "; ".join(r.channels) or r.error or "nothing sent"
            out.append(f"{r.label:<{width}}  {alerted:<8} {screened:>9} {on_screen:>10}  {detail}")
        for name, values in (
            ("screened", [r.screened_ms for r in self.rows if r.screened_ms is not None and r.alerted]),
            ("on a screen", [r.on_screen_ms for r in self.rows if r.on_screen_ms is not None]),
        ):
            p50, p99 = self.percentile(values, 50), self.percentile(values, 99)
            if p50 is not None and p99 is not None:
                out.append(f"time {name}: p50 {p50:.0f} ms, p99 {p99:.0f} ms ({len(values)} paths)")
        drilled = [r for r in self.rows if not r.skipped]
        not_alerted = [r.key for r in drilled if not r.alerted]
        out.append(
            f"{sum(r.alerted for r in drilled)} of {len(drilled)} paths alerted"
            + (f"; {len(self.rows) - len(drilled)} skipped" if len(drilled) < len(self.rows) else "")
            + (f"; NOT ALERTED: {', '.join(not_alerted)}" if not_alerted else "")
            + (f"; UNSCREENED: {', '.join(r.key for r in self.rows if r.unscreened)}" if self.unscreened else "")
        )
        return out


# --- Synchronous steps (each runs in a worker thread) ---------------------------------------------------


def _synthetic(label: str, *roles: str) -> Member:
    with screening.not_member_words("a drill's synthetic person, named by Hearth"):
        person = Member.objects.create_user(
            f"drill-{uuid.uuid4().hex[:12]}@{DRILL_DOMAIN}",
            None,
            display_name=f"Drill: {label}"[: Member._meta.get_field("display_name").max_length],
        )
    for role in roles:
        RoleGrant.objects.create(member=person, role=role)
    return person


def _screen_session(person: Member) -> bytes:
    """A signed-in session for the drill's page, with the second factor a staff session needs."""
    from importlib import import_module

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=person, name="Drill", confirmed=True)
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(person.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = person.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}".encode()


@dataclass
class Written:
    alerts: list[int]  # a drill may raise two: words about a friend that read as the writer's own too
    started: float  # time.perf_counter() when the write began
    ms: float
    skipped: str = ""
    unscreened: list[str] = field(default_factory=list)


def _write(path: screening.Path, writer: Member) -> Written:
    """Write the drill text as ``writer`` through the path's own action, as a drill.

    The screening guard watches the write: the drill must have stored words in a column declared as member text
    and screened them (so the registry, the action and the drill agree), otherwise the path fails the drill.
    """
    before = CrisisAlert.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    started = time.perf_counter()
    with screening.watch(f"hearth drill: {path.key}", strict=False) as seen:
        since = len(seen.pending)
        try:
            with screening.drilling(), transaction.atomic():
                path.drill(writer, DRILL_TEXT)
        except screening.DrillSkipped as skipped:
            return Written([], started, 0.0, str(skipped))
        elapsed = (time.perf_counter() - started) * 1000
        stored = seen.pending[since:]
        unscreened = [f"stored unscreened: {w}" for w in stored if not seen.settled(w)]
        if not stored:
            unscreened = ["the guard saw no member text stored: the drill must write through its real action"]
        seen.screened.update((w.path, w.pk) for w in stored)  # reported here, not logged again
    alerts = list(CrisisAlert.objects.filter(pk__gt=before, drill=True).order_by("pk").values_list("pk", flat=True))
    return Written(alerts, started, elapsed, unscreened=unscreened)


def _send(alert_id: int, channels: tuple[str, ...] | None = None) -> int:
    """Try the alert's due deliveries once each, as the worker would (only the alert's: the drill is no worker)."""
    from hearth.core.models import Delivery

    due = Delivery.objects.filter(about_type="safety.crisisalert", about_id=str(alert_id), state=Delivery.State.PENDING)
    if channels is not None:
        due = due.filter(channel__in=channels)
    tried = 0
    # With no EMAIL_HOST, Django's console backend prints each email: keep them out of the table.
    with contextlib.redirect_stdout(io.StringIO()):
        for pk in due.values_list("pk", flat=True):
            tried += deliveries.attempt(pk) is not None
    return tried


def _seen_on_a_screen(alert_id: int) -> bool:
    from hearth.core.models import DeliveryAttempt

    return DeliveryAttempt.objects.filter(
        delivery__about_type="safety.crisisalert",
        delivery__about_id=str(alert_id),
        outcome=DeliveryAttempt.Outcome.SCREEN,
    ).exists()


def _channel_line(summary: deliveries.ChannelSummary) -> str:
    """ "live: 9 attempted, 9 handed over, 1 on a screen" / "email: 3 attempted, 2 delivered, 1 failed: …"."""
    from hearth.core.models import Delivery

    counts = summary.counts()
    attempted = sum(1 for d in summary.deliveries if d.attempts)
    parts = [f"{attempted} attempted"]
    if summary.channel == "live":
        parts.append(f"{counts.get(Delivery.State.SENT, 0) + counts.get(Delivery.State.DELIVERED, 0)} handed over")
        parts.append(f"{len(summary.screens)} on a screen")
    else:
        parts.append(f"{counts.get(Delivery.State.DELIVERED, 0)} delivered")
    if summary.failures:
        last = next((d.last_error for d in reversed(summary.deliveries) if d.last_error), "")
        parts.append(f"{summary.failures} failed" + (f": {last}" if last else ""))
    return f"{summary.channel}: " + ", ".join(parts)


def _finish(alert_ids: list[int], screen: Member) -> list[str]:
    """What reached whom for the first alert; then every alert the write raised is acknowledged (banners clear)."""
    from hearth.safety.actions import do_acknowledge_alert

    channels = [_channel_line(s) for s in deliveries.summary(CrisisAlert.objects.get(pk=alert_ids[0]))]
    for alert_id in alert_ids:
        do_acknowledge_alert(screen, alert_id)
    return channels


def _clear_up(people: list[int], screen: Member, since: datetime) -> None:
    """Leave the service as it was: the drill's queue items closed, its groups gone, its people erased."""
    from hearth.members.data_rights import erase_member
    from hearth.safety.actions import do_moderate
    from hearth.safety.models import ModerationItem

    # A drill that makes someone else (a friend the writer is worried about) gives them a drill address too.
    people = sorted(
        set(people)
        | set(
            Member.objects.filter(email__endswith=f"@{DRILL_DOMAIN}", date_joined__gte=since).values_list(
                "pk", flat=True
            )
        )
    )
    for item in ModerationItem.objects.filter(subject__in=people, state=ModerationItem.State.OPEN):
        do_moderate(screen, item.pk, "dismiss", "A drill (hearth drill): synthetic writing, nobody was at risk.")
    for cleanup in screening.drill_cleanups():
        cleanup(people)
    for person in Member.objects.filter(pk__in=people):
        erase_member(person)


# --- The run --------------------------------------------------------------------------------------------


async def _drill_one(path: screening.Path, screen: Member, page: Any, people: list[int]) -> Row:
    row = Row(path.key, path.label)
    writer = await database_sync_to_async(_synthetic)(path.label)
    people.append(writer.pk)
    try:
        written = await database_sync_to_async(_write)(path, writer)
    except ActionError as exc:
        row.error = f"the action refused: {exc}"
        return row
    row.screened_ms, row.skipped, started = written.ms, written.skipped, written.started
    row.unscreened = written.unscreened
    if row.skipped or not written.alerts:
        return row
    alert_id = written.alerts[0]
    row.alerted = True
    deadline = time.monotonic() + SCREEN_TIMEOUT
    while time.monotonic() < deadline:
        await database_sync_to_async(_send)(alert_id, ("live",))
        while not await page.receive_nothing(timeout=0.02):
            event = await page.receive_json_from()
            if event.get("kind") == "safety.alert" and event.get("delivery"):
                await page.send_json_to({"kind": "received", "delivery": event["delivery"]})
        if await database_sync_to_async(_seen_on_a_screen)(alert_id):
            row.on_screen_ms = (time.perf_counter() - started) * 1000
            break
    await database_sync_to_async(_send)(alert_id)
    for extra in written.alerts[1:]:
        await database_sync_to_async(_send)(extra)
    row.channels = await database_sync_to_async(_finish)(written.alerts, screen)
    return row


async def run(keys: list[str] | None = None, progress: Callable[[Row], None] | None = None) -> Report:
    """Drill every registered path (or ``keys``) and return the report; synthetic people are erased after."""
    from channels.testing import WebsocketCommunicator

    from hearth.asgi import application

    since = timezone.now()
    chosen = [p for k, p in sorted(screening.paths().items()) if keys is None or k in keys]
    screen = await database_sync_to_async(_synthetic)("staff screen", Role.PEER_WORKER)
    people = [screen.pk]
    cookie = await database_sync_to_async(_screen_session)(screen)
    origin = urlsplit(settings.HEARTH_BASE_URL)  # a host the origin check allows, as a browser's page would send
    page = WebsocketCommunicator(
        application,
        "/ws/me/",
        headers=[(b"origin", f"{origin.scheme}://{origin.netloc}".encode()), (b"cookie", cookie)],
    )
    connected, code = await page.connect()
    rows: list[Row] = []
    try:
        if not connected:
            raise RuntimeError(f"the drill's staff page was refused (close code {code})")
        for path in chosen:
            row = await _drill_one(path, screen, page, people)
            rows.append(row)
            if progress is not None:
                progress(row)
    finally:
        if connected:
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await page.disconnect()
        await database_sync_to_async(_clear_up)(people, screen, since)
    return Report(rows)
