"""The one screening path for every word a member writes, and the registry that keeps it the only one.

Every action that stores words a member wrote calls :func:`screen` inside its own
transaction, with the *path* (what kind of writing it is: ``community.post``,
``availability.talk_request``, …) and the stored object's id. The safety app
provides the screener (triage, moderation queue, crisis alert, signposts) and
registers it with :func:`set_screener`; apps below safety call it through here,
so no app has to import safety to be screened, and there is one entry point.

Outcomes are announced, not called: the screener sends :data:`crisis_found`,
:data:`concern_found` and :data:`flagged` (Django signals, in the writer's
transaction). Care puts a concern on the care queue, availability makes a
talk-now request urgent and staff-only, and so on; the lower app never imports
the higher one.

**The registry.** Every text column of every Hearth model is declared here by
the app that owns it, as one of:

- :func:`member_text`: any member may write it; it is screened on the named path;
- :func:`staff_text`: only people in a staff or supporter role write it, in that role;
- :func:`system_text`: not free words (ids, tokens, choices, generated text);
- :func:`exempt_text`: a member writes it, but it is not screened, for the reason given
  (e.g. muted words: a list of what they don't want to see, not something they said).

``hearth/core/tests/test_screening_registry.py`` walks every model's text fields and
fails on one that isn't declared, and on a screened path with no drill (``hearth
drill`` writes a synthetic crisis through each path's real action and checks an
alert was raised). So a new field of member text can't land unscreened. And at run time
the guard (at the bottom) fails a request, websocket message or test that saved a
member-text column without screening it, so a new action can't skip :func:`screen` either.

Recipe — *to add a kind of writing*: ``register_path(Path("app.thing", "thing", drill=...))``
and ``member_text("app.Model", "field", path="app.thing")`` in the app's ``screening.py``
(imported by its ``AppConfig.ready``); call ``screen(author=…, text=…, path="app.thing",
object_id=obj.pk)`` in the action's transaction; act on the returned :class:`Screening`
(the view: :func:`respond_to_screening`).
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from types import FrameType
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models.signals import post_init, post_save
from django.dispatch import Signal

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponseRedirect

    from hearth.core.people import Member


# --- What screening returns --------------------------------------------------------------------------


@dataclass
class Screening:
    """What happened to one piece of writing, and what its writer should see now."""

    risk: str
    flags: tuple[str, ...]
    held: bool = False  # kept from others until a moderator reviews it
    show_crisis_support: bool = False
    signposts: tuple[str, ...] = ()  # "substance", "practical": offered quietly
    contact_warning: list[str] = field(default_factory=list)
    nobody_on_duty: bool = False
    alert_id: int | None = None  # the crisis alert raised or joined, if any

    @property
    def crisis(self) -> bool:
        return self.risk == "crisis"


# --- Outcomes, announced to whoever listens (in the writer's transaction) -----------------------------

# sender: the path key (str); kwargs: author, object_id, alert_id, reasons, now
crisis_found = Signal()
# sender: the path key; kwargs: author, object_id, reasons, now
concern_found = Signal()
# sender: the path key; kwargs: author, object_id, flags, now (hostility, substance, practical, contact…)
flagged = Signal()


# --- Paths: the kinds of member writing ---------------------------------------------------------------


@dataclass(frozen=True)
class Path:
    """One kind of member writing, screened where it is stored.

    ``label`` is how staff read it ("talk-now message"). ``drill(member, text)``
    writes ``text`` as ``member`` through the real action (making whatever it
    needs, e.g. a private group) and returns the stored object; ``hearth drill``
    uses it. Every path has one; a drill that can't run on some database (nothing
    there a member could write through) raises :class:`DrillSkipped` saying why.
    """

    key: str
    label: str
    drill: Callable[[Member, str], Any]


class DrillSkipped(Exception):
    """A path's drill can't run on this database (its message says why); ``hearth drill`` reports it."""


_PATHS: dict[str, Path] = {}

# --- Drills: synthetic writing, marked so the alerts it raises say "Drill" and never reach members --------------

_drilling: ContextVar[bool] = ContextVar("hearth_drilling", default=False)


@contextlib.contextmanager
def drilling() -> Iterator[None]:
    """Everything screened inside is a drill (``hearth drill``): its crisis alerts are marked as drills."""
    token = _drilling.set(True)
    try:
        yield
    finally:
        _drilling.reset(token)


def is_drill() -> bool:
    return _drilling.get()


# After a drill: each app removes what its drills made beyond the synthetic people ("delete my account" erases
# the people and what they wrote; a drill group of one, say, would otherwise stay). Called with their ids.
DrillCleanup = Callable[[list[int]], None]
_drill_cleanups: list[DrillCleanup] = []


def register_drill_cleanup(cleanup: DrillCleanup) -> None:
    if cleanup not in _drill_cleanups:
        _drill_cleanups.append(cleanup)


def drill_cleanups() -> list[DrillCleanup]:
    return list(_drill_cleanups)


def register_path(path: Path) -> None:
    _PATHS[path.key] = path


def paths() -> dict[str, Path]:
    return dict(_PATHS)


def label_of(key: str) -> str:
    return _PATHS[key].label if key in _PATHS else key.rsplit(".", 1)[-1].replace("_", " ")


# --- The field registry -------------------------------------------------------------------------------


class Source(StrEnum):
    MEMBER = "member"
    STAFF = "staff"
    SYSTEM = "system"
    EXEMPT = "exempt"


@dataclass(frozen=True)
class TextField:
    model: str  # "community.Post" (app label and model name, as in ``apps.get_model``)
    name: str
    source: Source
    path: str = ""  # MEMBER: the screening path that stores it
    why: str = ""  # STAFF, EXEMPT: why it isn't screened


_FIELDS: dict[tuple[str, str], TextField] = {}
_member_fields_of: dict[type[models.Model], dict[str, str]] = {}  # model class -> {member-text field: its path}


def _add(model: str, names: tuple[str, ...], source: Source, *, path: str = "", why: str = "") -> None:
    _member_fields_of.clear()
    for name in names:
        key = (model.lower(), name)
        if key in _FIELDS and _FIELDS[key].source != source:
            raise ValueError(f"{model}.{name} is declared twice, as {_FIELDS[key].source} and {source}")
        _FIELDS[key] = TextField(model, name, source, path=path, why=why)


def member_text(model: str, *names: str, path: str) -> None:
    """Fields any member may write: screened on ``path`` by the action that stores them."""
    _add(model, names, Source.MEMBER, path=path)


def staff_text(model: str, *names: str, why: str) -> None:
    """Fields only people in a staff or supporter role write, in that role (``why`` names the permission)."""
    _add(model, names, Source.STAFF, why=why)


def system_text(model: str, *names: str, why: str = "") -> None:
    """Text columns that hold no one's free words: ids, tokens, choices, generated sentences, ciphertext."""
    _add(model, names, Source.SYSTEM, why=why)


def exempt_text(model: str, *names: str, why: str) -> None:
    """A member writes it, yet it is not screened, for the reason given (reviewed like any exception)."""
    _add(model, names, Source.EXEMPT, why=why)


def text_fields() -> dict[tuple[str, str], TextField]:
    """Everything declared, keyed by (``"app.model"`` lower-cased, field name)."""
    return dict(_FIELDS)


# --- The entry point ----------------------------------------------------------------------------------

Screener = Callable[..., Screening]
_screener: Screener | None = None


def set_screener(screener: Screener) -> None:
    """The safety app registers its screener here at start-up (there is exactly one)."""
    global _screener
    _screener = screener


def screen(
    *,
    author: Member,
    text: str,
    path: str,
    object_id: int,
    content_key: str = "",
    group_id: int | None = None,
    premoderated: bool = False,
    heavy: bool = False,
    reply: bool = False,
    between_members: bool = False,
    about: Member | None = None,
    now: datetime | None = None,
) -> Screening:
    """Screen one piece of member writing, inside the transaction that stores it; act on what comes back.

    ``about`` is for words written *about someone else* (a peer's "I'm worried about them"): a crisis alert is
    then about that person, not the writer; nothing goes to the moderation queue and no outcome signal is sent
    about them (the caller puts the person on the care queue itself). Only words triage reads as the writer's
    own ("…and I feel the same") are treated as the writer's: crisis support for them, or the care queue.

    - crisis: an alert to everyone who may handle it, crisis support for the writer
      (``show_crisis_support``), :data:`crisis_found` announced;
    - concern: :data:`concern_found` (the care queue);
    - hostility: held in pre-moderated groups (``held``), otherwise a review item;
    - substance / practical: ``signposts`` offered quietly to the writer;
    - member-to-member one-to-ones (``between_members``): a gentle ``contact_warning``.

    ``content_key`` is what moderators see it as, when that differs from the path (an edited chat
    message is a ``chat.message``).
    """
    if path not in _PATHS:
        raise ValueError(f"unknown screening path {path!r}: register it with register_path")
    if _screener is None:
        raise ImproperlyConfigured("No screener is registered: hearth.safety must be installed.")
    _mark_screened(path, content_key, object_id)
    return _screener(
        author=author,
        text=text,
        content_key=content_key or path,
        object_id=object_id,
        group_id=group_id,
        premoderated=premoderated,
        heavy=heavy,
        reply=reply,
        between_members=between_members,
        about=about,
        now=now,
    )


# --- What the writer sees -----------------------------------------------------------------------------


def respond_to_screening(
    request: HttpRequest, screening: Screening | None, next_url: str, done: str
) -> HttpResponseRedirect:
    """Redirect after writing: crisis support first (kindly, not a wall), otherwise back with a quiet note.

    ``done`` is the usual confirmation ("Shared with the group.").
    """
    from django.contrib import messages
    from django.shortcuts import redirect
    from django.urls import reverse
    from django.utils.html import format_html

    if screening is None:
        messages.success(request, done)
        return redirect(next_url)
    if screening.show_crisis_support:
        return redirect(f"{reverse('safety:support')}?{urlencode({'next': next_url})}")
    if screening.held:
        messages.info(
            request, "Thanks for sharing. A moderator will look at it before others see it; that's usually quick."
        )
    else:
        messages.success(request, done)
    for topic in screening.signposts:
        messages.info(
            request,
            format_html(
                'If it would help, here are <a href="{}">places that can help with {}</a>.',
                f"{reverse('safety:signposts')}?topic={topic}",
                "drink and drugs" if topic == "substance" else "money, housing and forms",
            ),
        )
    if screening.contact_warning:
        messages.warning(
            request,
            "A gentle reminder: for everyone's safety, please keep contact details and meet-ups off Hearth "
            "until you've got to know each other through the service.",
        )
    return redirect(next_url)


# --- Core's own text columns --------------------------------------------------------------------------

system_text("core.AuditEntry", "action", "object_type", "object_id", why="dotted action names and ids")
system_text("core.AuditEntry", "data", why="ids and plain facts, never copies of personal data")
system_text("core.PeriodicJob", "name")
system_text("core.WorkerHeartbeat", "worker_id", "hostname")
system_text("core.Delivery", "kind", "channel", "about_type", "about_id", "payload", "last_error")
system_text("core.Delivery", "address", why="an email address set in configuration (the on-call address)")
system_text("core.DeliveryAttempt", "error", "detail")
system_text("core.Notification", "text", "url", why="sentences Hearth writes, never quoting anyone")
system_text("core.Notification", "kind", "about_type", "about_id")
system_text("core.NotificationChoice", "kind")
system_text("core.PushSubscription", "endpoint", "p256dh", "auth", why="a browser's push address and keys")
system_text("core.PushSubscription", "label", why="the device's name from its browser, not the person's words")


# --- Checking the registry against the models (tests and `hearth drill` use this) -----------------


def text_columns(models: Any = None) -> list[tuple[str, str]]:
    """``(app.Model, field)`` for every column of Hearth's models that can hold words.

    Character and text columns without fixed choices, and JSON columns. ``models`` defaults to every
    installed model whose code is in ``hearth``.
    """
    from django.apps import apps
    from django.db.models import CharField, JSONField, TextField

    chosen = models if models is not None else [m for m in apps.get_models() if m.__module__.startswith("hearth.")]
    found = []
    for model in chosen:
        for f in model._meta.concrete_fields:
            if (isinstance(f, (CharField, TextField)) and not f.choices) or isinstance(f, JSONField):
                found.append((f"{model._meta.app_label}.{model.__name__}", f.name))
    return found


def undeclared(models: Any = None) -> list[str]:
    """Text columns nobody has declared (see the module docstring): each must be screened or explained."""
    return [f"{m}.{f}" for m, f in text_columns(models) if (m.lower(), f) not in _FIELDS]


# --- The guard: member text is never stored without passing through screen() ---------------------------
#
# The registry says which columns hold members' words; the guard checks every save of one. When a model saves a
# member-text column whose value changed (or a new row with words in it), the write is noted as pending in the
# current unit of work — a request (``ScreeningGuardMiddleware``), a websocket frame (``EventConsumer``), a test
# (``hearth/conftest.py``), a worker task (``hearth worker``; logged, never raised), a drilled path — and
# :func:`screen` on that column's path for that object id settles it. Whatever is still pending when the unit
# of work ends is an unscreened write: in tests and with DEBUG it raises
# :class:`UnscreenedWrite` (naming the column and the line that saved it); in production the member's words are
# kept (a write is never blocked) and the gap is logged at error level (``screening.unscreened_write``).
#
# Not checked: saves from test code (fixtures and factories set up a world, they aren't a path), saves inside
# :func:`not_member_words` (demo rows, drill scaffolding, prompts and staff notes in a member-text column), work
# outside a unit (management commands, none of which stores members' words; ``hearth drill`` watches each path
# itself), and bulk writes that bypass ``save()`` (``update``/``bulk_create``/``bulk_update``:
# ``test_member_text_is_never_written_by_a_bulk_query`` reads every one and allows only a fixed placeholder).
# A limit: a save whose savepoint is rolled back by an error the code then catches (a unit that goes on) still
# counts as pending; actions validate before they store and screen straight after, so none does so today.


class UnscreenedWrite(RuntimeError):
    """Member text was stored without :func:`screen` (tests and DEBUG; production logs it instead)."""


@dataclass
class _Pending:
    model: str
    pk: Any
    fields: tuple[str, ...]
    path: str
    where: str

    def __str__(self) -> str:
        return (
            f"{self.model}.{'/'.join(self.fields)} (id {self.pk}) was saved at {self.where} "
            f"without screening on path {self.path!r}"
        )


@dataclass
class _Watch:
    where: str
    pending: list[_Pending] = field(default_factory=list)
    screened: set[tuple[str, Any]] = field(default_factory=set)

    def settled(self, write: _Pending) -> bool:
        return (write.path, write.pk) in self.screened

    def unscreened(self) -> list[_Pending]:
        return [p for p in self.pending if not self.settled(p)]


_watch: ContextVar[_Watch | None] = ContextVar("hearth_screening_watch", default=None)
_not_member_words: ContextVar[str] = ContextVar("hearth_not_member_words", default="")
_logger = logging.getLogger("hearth.screening")


def _mark_screened(path: str, content_key: str, object_id: Any) -> None:
    watch = _watch.get()
    if watch is not None:
        watch.screened.add((path, object_id))
        if content_key:
            watch.screened.add((content_key, object_id))


def screened_later(path: str, object_id: Any) -> None:
    """This write's screening runs just after its commit, off the delivery path, with a safety net behind it.

    Only for chat messages sent in a batch (``chat.actions.do_send_messages``: the room hears the message, then
    ``do_triage_messages`` screens it, and the worker's ``triage_missed_messages`` catches any the process lost).
    """
    _mark_screened(path, "", object_id)


def nothing_written(path: str, object_id: Any) -> None:
    """The member chose options but wrote no words this time, in a column that holds both (a self-assessment)."""
    _mark_screened(path, "", object_id)


@contextlib.contextmanager
def not_member_words(why: str) -> Iterator[None]:
    """Saves inside write text no member wrote just now (demo rows, drill scaffolding, a placeholder): unchecked."""
    token = _not_member_words.set(why)
    try:
        yield
    finally:
        _not_member_words.reset(token)


@contextlib.contextmanager
def watch(where: str, *, strict: bool) -> Iterator[_Watch]:
    """One unit of work (a request, a websocket frame, a test): on the way out, every member-text write was screened.

    ``strict`` raises :class:`UnscreenedWrite` (tests, DEBUG); otherwise each gap is logged at error level and the
    words stay stored. Nested watches join the outermost one. If the work raised, nothing is checked (its
    transaction rolled back, and the error is the news).
    """
    outer = _watch.get()
    if outer is not None:
        yield outer
        return
    current = _Watch(where)
    token = _watch.set(current)
    try:
        yield current
    finally:
        _watch.reset(token)
    gaps = current.unscreened()
    if not gaps:
        return
    if strict:
        raise UnscreenedWrite(
            f"In {where}: " + "; ".join(str(g) for g in gaps) + ". Every action that stores words a member wrote "
            "calls hearth.core.screening.screen(path=..., object_id=...) in the same unit of work (see "
            "docs/architecture.md, Screening); text no member wrote goes inside screening.not_member_words(why)."
        )
    from hearth.core.logs import log_event

    for gap in gaps:
        log_event(
            "screening.unscreened_write",
            level=logging.ERROR,
            unit=where,
            model=gap.model,
            fields=",".join(gap.fields),
            object_id=str(gap.pk),
            path=gap.path,
            at=gap.where,
        )


_SEEN = "_hearth_screening_seen"


def _member_fields(model: type[models.Model]) -> dict[str, str]:
    found = _member_fields_of.get(model)
    if found is None:
        label = f"{model._meta.app_label}.{model.__name__}".lower()
        found = {name: f.path for (m, name), f in _FIELDS.items() if m == label and f.source == Source.MEMBER}
        _member_fields_of[model] = found
    return found


def _remember(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
    """What a loaded row's member-text columns held, so a save can tell whether they changed."""
    fields = _member_fields(sender)
    if fields:
        values = instance.__dict__
        instance.__dict__[_SEEN] = {name: values.get(name) for name in fields}


def _is_test_code(module: str) -> bool:
    return ".tests." in module or module.endswith((".conftest", ".testing")) or module.startswith(("test_", "e2e"))


def _writer() -> str | None:
    """Where the save came from: the innermost Hearth code outside models (and this module); None for test code."""
    frame: FrameType | None = sys._getframe(2)
    while frame is not None:
        module = frame.f_globals.get("__name__", "")
        if _is_test_code(module) or module == "conftest":
            return None
        if module.startswith("hearth.") and not module.endswith(".models") and module != __name__:
            return f"{module}:{frame.f_lineno} ({frame.f_code.co_name})"
        frame = frame.f_back
    return None


def _check_save(
    sender: type[models.Model], instance: Any, created: bool, raw: bool, update_fields: Any, **kwargs: Any
) -> None:
    fields = _member_fields(sender)
    if not fields or raw:
        return
    values = instance.__dict__
    seen = values.get(_SEEN) or {}
    changed = tuple(
        name
        for name in fields
        if (update_fields is None or name in update_fields)
        and values.get(name)
        and (created or name not in seen or seen[name] != values.get(name))
    )
    values[_SEEN] = {name: values.get(name) for name in fields}
    watch = _watch.get()
    if not changed or watch is None or _not_member_words.get():
        return
    where = _writer()
    if where is None:
        return
    label = f"{instance._meta.app_label}.{type(instance).__name__}"
    for path in sorted({fields[name] for name in changed}):
        watch.pending.append(_Pending(label, instance.pk, tuple(n for n in changed if fields[n] == path), path, where))


def connect_guard() -> None:
    """Core's ``ready()``: every save of a registered model is checked (the receivers filter by the registry)."""
    post_init.connect(_remember, dispatch_uid="hearth.screening.remember")
    post_save.connect(_check_save, dispatch_uid="hearth.screening.check")
