"""Small helpers for tests (imported by test modules only)."""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import re
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.test import Client

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse

    from hearth.core.events import _Capture
    from hearth.core.people import Member

# When the tests' shared demo organisation is seeded (the ``demo_organisation`` fixture): a Tuesday early evening
# in December, with drop-ins and gatherings coming up and shifts running.
DEMO_NOW = datetime(2026, 12, 1, 18, 30, tzinfo=ZoneInfo("Europe/London"))

# The types of the root conftest's ``client_for`` and ``make_member`` fixtures, for test functions' annotations.
type ClientFor = Callable[[Member | None], Client]
type MakeMember = Callable[..., Member]
# What the test client's ``get`` and ``post`` return (a class only the type stubs name).
type ClientResponse = _MonkeyPatchedWSGIResponse
# The root conftest's ``events`` fixture: ``with events() as sent:`` gives what was sent (``sent.recipients_of``).
type Events = Callable[[], contextlib.AbstractContextManager[_Capture]]


def text(response: Any) -> str:
    """The page as a person reads it: HTML entities decoded, tags kept (for simple ``in`` checks)."""
    return html.unescape(response.content.decode())


def visible_text(response: Any) -> str:
    """The page's words without tags, whitespace collapsed."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", text(response), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


def run_queued_tasks(task_path: str | None = None) -> int:
    """Run the queued tasks that are due, as ``hearth worker`` would (its signals and logging too).

    Runs inside the test's transaction: it claims and runs each task without the worker's
    loop (which closes database connections between tasks). Returns how many ran.
    """
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = 0
    due = DBTaskResult.objects.ready().order_by("enqueued_at")
    for result in due.filter(task_path=task_path) if task_path else due:
        result.claim(worker.worker_id)
        worker.run_task(result)
        ran += 1
    return ran


def run_deliveries(now: Any = None) -> int:
    """Send every delivery that is due, as the worker would (emails land in ``mail.outbox`` in tests).

    Retries wait for their backoff: move the clock on (``time_machine``) and
    call again to see them.
    """
    from hearth.core.deliveries import run_due

    return run_due(now)


class FakeSMTPServer:
    """A real SMTP server on loopback, in a thread: the outside edge of email, for tests.

    ``FakeSMTPServer()`` accepts mail and keeps each message in ``messages``
    (``(to, data)``). :meth:`refusing` gives a port where nothing listens, so
    connecting is refused the way a mail server that is down refuses it.
    Use as a context manager; ``port`` is where it listens.
    """

    def __init__(self) -> None:
        import socket
        import threading

        self.messages: list[tuple[list[str], str]] = []
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(8)
        self._socket.settimeout(0.02)  # how often it looks for the stop, which the test's teardown waits for
        self.port = int(self._socket.getsockname()[1])
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True, name="fake-smtp")

    @staticmethod
    def refusing() -> int:
        """A loopback port with nothing listening: connections to it are refused."""
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return int(s.getsockname()[1])

    def __enter__(self) -> FakeSMTPServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._socket.close()

    def _serve(self) -> None:

        while not self._stop.is_set():
            try:
                conn, _ = self._socket.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(5)
                self._session(conn.makefile("rb"), conn)

    def _session(self, reader: Any, conn: Any) -> None:
        def say(line: str) -> None:
            conn.sendall((line + "\r\n").encode())

        say("220 fake-smtp ready")
        to: list[str] = []
        while True:
            raw = reader.readline()
            if not raw:
                return
            command = raw.decode(errors="replace").strip()
            verb = command.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                say("250 fake-smtp")
            elif verb == "MAIL":
                to = []
                say("250 OK")
            elif verb == "RCPT":
                to.append(command.split(":", 1)[1].strip().strip("<>"))
                say("250 OK")
            elif verb == "DATA":
                say("354 go ahead")
                lines = []
                while True:
                    line = reader.readline()
                    if not line or line in (b".\r\n", b".\n"):
                        break
                    lines.append(line.decode(errors="replace"))
                self.messages.append((to, "".join(lines)))
                say("250 queued")
            elif verb == "QUIT":
                say("221 bye")
                return
            else:
                say("250 OK")


def sign_in(client: Any, person: Any, *, second_factor: bool | None = None) -> Any:
    """Sign a test client in as ``person`` the way they would sign in, and return the client.

    Staff also enter a code from their authenticator app (a confirmed TOTP device is made for them if they
    have none), as an organisation that requires two-factor sign-in (the default) asks them to. Pass
    ``second_factor=False`` for a session signed in with the password alone.
    """
    client.force_login(person)
    if second_factor is None:
        from hearth.members import policy

        second_factor = policy.is_staff(person)
    if second_factor:
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.filter(user=person, confirmed=True).first() or TOTPDevice.objects.create(
            user=person, name="Authenticator app", confirmed=True
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def session_cookie(person: Any, *, second_factor: bool | None = None) -> bytes:
    """The ``Cookie`` header of a browser signed in as ``person`` (a real session; see :func:`sign_in`)."""
    from django.test import Client

    client = sign_in(Client(), person, second_factor=second_factor)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


class Live:
    """A websocket client in a test, with helpers that skip the events a test isn't about."""

    frames: CommunicatorFrames | None = None  # the connection's frame sink (see sockets)

    def __init__(self, communicator: Any) -> None:
        self.communicator = communicator
        self.seen: list[dict[str, Any]] = []
        self.closed = False

    async def send(self, **content: Any) -> None:
        await self.communicator.send_json_to(content)

    async def next(self, *kinds: str, timeout: float = 3) -> dict[str, Any]:
        """The next event of one of ``kinds`` (others are kept in ``seen``)."""
        while True:
            event: dict[str, Any] = await self.communicator.receive_json_from(timeout=timeout)
            self.seen.append(event)
            if not kinds or event["kind"] in kinds:
                return event

    async def messages(self, count: int, timeout: float = 5) -> list[dict[str, Any]]:
        return [await self.next("chat.message", timeout=timeout) for _ in range(count)]

    async def quiet(self, *kinds: str, timeout: float = 0.3) -> list[dict[str, Any]]:
        """Everything of ``kinds`` that arrives until ``timeout`` passes with nothing new.

        (``receive_nothing`` peeks without cancelling the application, unlike a receive that times out.)
        """
        got = []
        while not await self.communicator.receive_nothing(timeout=timeout):
            event = await self.communicator.receive_json_from()
            self.seen.append(event)
            if not kinds or event["kind"] in kinds:
                got.append(event)
        return got

    async def closed_by_server(self, timeout: float = 3) -> int:
        """Wait for the server to close this socket (events before it are kept in ``seen``); its close code."""
        while True:
            output = await self.communicator.receive_output(timeout=timeout)
            if output["type"] == "websocket.close":
                self.closed = True
                return int(output.get("code", 1000))
            self.seen.append(json.loads(output.get("text") or "{}"))

    async def close(self) -> None:
        if not self.closed:
            self.closed = True
            await self.communicator.disconnect()


def read_text_frame(frame: bytes) -> str:
    """The text of one server frame, parsed by the ``websockets`` package as a client would parse it."""
    from websockets.frames import Frame, Opcode
    from websockets.streams import StreamReader

    reader = StreamReader()
    reader.feed_data(frame)
    parser = Frame.parse(reader.read_exact, mask=False)
    try:
        next(parser)
    except StopIteration as done:
        parsed: Frame = done.value
    else:
        raise AssertionError("an incomplete frame")
    assert parsed.fin and parsed.opcode is Opcode.TEXT and not parsed.rsv1, parsed
    assert reader.at_eof() or not reader.buffer, "one frame, nothing after it"
    return bytes(parsed.data).decode()


class CommunicatorFrames:
    """The :class:`~hearth.core.frames.FrameSink` Hearth's uvicorn protocol offers, for the tests' communicator:
    each frame written is parsed as a client would and handed to the communicator like any message the
    application sends. ``ready = False`` plays a connection whose buffer is full (frames then wait in the
    socket's outbox and go through ASGI); ``written`` counts frames that came this way."""

    def __init__(self, communicator: Any) -> None:
        self.communicator = communicator
        self.ready = True
        self.written = 0

    def can_write_frame(self) -> bool:
        return self.ready

    def write_frame(self, frame: bytes) -> None:
        self.written += 1
        self.communicator.output_queue.put_nowait({"type": "websocket.send", "text": read_text_frame(frame)})


@contextlib.asynccontextmanager
async def sockets(cookie_for: Any = None) -> AsyncIterator[Any]:
    """Open real websockets through the real ASGI application (origin check, session cookie, sign-in), each with
    the frame sink Hearth's uvicorn protocol gives (:class:`CommunicatorFrames`, as ``Live.frames``).

    ``async with sockets() as open_socket: live = await open_socket(person, "/ws/me/")`` gives a
    :class:`Live`; ``expect=4403`` asserts the socket is refused with that close code instead.
    ``cookie_for(person)`` makes the Cookie header (default: :func:`session_cookie`); ``cookie=`` gives it
    for one socket (e.g. one device's session).
    """
    from channels.db import database_sync_to_async
    from channels.testing import WebsocketCommunicator
    from django.db import connections

    from hearth.asgi import application
    from hearth.core.frames import FRAMES

    opened: list[Live] = []

    async def open_socket(person: Any, path: str, *, expect: int | None = None, cookie: bytes | None = None) -> Any:
        headers = [(b"origin", b"http://testserver")]
        if cookie is None and person is not None:
            cookie = await database_sync_to_async(cookie_for or session_cookie)(person)
        if cookie is not None:
            headers.append((b"cookie", cookie))
        communicator = WebsocketCommunicator(application, path, headers=headers)
        frames = CommunicatorFrames(communicator)
        communicator.scope.setdefault("extensions", {})[FRAMES] = frames
        connected, code = await communicator.connect()
        if expect is not None:
            assert not connected and code == expect, f"expected close {expect}, got {connected} {code}"
            return None
        assert connected, f"refused with {code}"
        client = Live(communicator)
        client.frames = frames
        opened.append(client)
        return client

    try:
        yield open_socket
    finally:
        for client in opened:
            with contextlib.suppress(Exception, asyncio.CancelledError):  # the server may have closed it first
                await client.close()
        # Consumers' database work ran in asgiref's sync thread; let the test database be dropped afterwards.
        await database_sync_to_async(connections.close_all)()


class FakePushService:
    """A real push service on loopback (HTTP, in a thread): the outside edge of web push, for tests.

    It plays both ends a real service connects: :meth:`device` makes a browser's
    subscription (its own P-256 key pair and auth secret, as Chromium would),
    and every push it receives is kept in ``received`` with its headers and
    the payload *decrypted* with that device's keys (RFC 8291, aes128gcm), so a
    test reads exactly what the phone would show. ``status`` is what it answers
    (201 by default; 410 to say the device is gone, 500 to fail). Use as a
    context manager; ``url`` is its base address (``http://127.0.0.1:<port>``).
    """

    def __init__(self, status: int = 201) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        service = self
        self.status = status
        self.received: list[dict[str, Any]] = []
        self._devices: dict[str, tuple[Any, bytes]] = {}
        self.arrived = threading.Event()

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                service._receive(self.path, dict(self.headers.items()), body)
                self.send_response(service.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        # Polled every 20 ms for the stop (the default half second was each test's last half second).
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True, name="fake-push"
        )

    def __enter__(self) -> FakePushService:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def device(self, name: str = "phone") -> dict[str, Any]:
        """A new browser subscription on this service: ``{"endpoint", "keys": {"p256dh", "auth"}}``."""
        import base64
        import os

        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import ec

        def b64(raw: bytes) -> str:
            return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

        key = ec.generate_private_key(ec.SECP256R1())
        secret = os.urandom(16)
        path = f"/push/{name}-{len(self._devices) + 1}"
        self._devices[path] = (key, secret)
        public = key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {"endpoint": self.url + path, "keys": {"p256dh": b64(public), "auth": b64(secret)}}

    def _receive(self, path: str, headers: dict[str, str], body: bytes) -> None:
        import json

        import http_ece

        message: Any = None
        if path in self._devices and body:
            key, secret = self._devices[path]
            plain = http_ece.decrypt(body, private_key=key, auth_secret=secret, version="aes128gcm")
            message = json.loads(plain)
        self.received.append({"path": path, "headers": headers, "message": message})
        self.arrived.set()

    def messages(self) -> list[dict[str, Any]]:
        """What each device was sent, decrypted (title, body, url, tag, urgent)."""
        return [r["message"] for r in self.received if r["message"] is not None]
