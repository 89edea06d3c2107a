"""The notifications centre: everything that concerns a person, told the way they chose.

An action that concerns someone (a reply, a check-in, a gathering announced, a
report's outcome) calls :func:`notify` inside its own transaction with a
registered :class:`Kind`. For each recipient, by their choices for that kind:

- **in the app**: a :class:`~hearth.core.models.Notification` row (the
  Notifications page and the header's count) and a live notice under the
  header; kinds that already have their own place (one-to-one messages live in
  Messages) make no row;
- **email**: urgent kinds at once (a reminder, a hand-off offer); the others in
  one daily digest at the time the person chose (:func:`send_digests`);
- **web push**: to each device the person turned it on for
  (:mod:`hearth.core.push`), only when a push transport is registered.

Email and push are deliveries (:mod:`hearth.core.deliveries`): recorded,
sent by the worker with retries, one channel never holding up another.

What the person said always wins:

- **quiet hours**: email and push made then wait until they end;
- **a break** ("take a break", community's settings): nothing but the quiet
  row in the app, no live notice, no email, no push (the rows are waiting
  when they're back);
- **quiet mode** (low energy): non-urgent kinds are not pushed, and their
  email waits for the digest like always;
- never a streak, a count of likes or a nudge to post: there is no kind for
  those, and a kind is something that happened *to* the person.

Apps below the one that knows about breaks and energy (community) learn about
them through :func:`register_pause` and :func:`register_quiet`, so this module
imports no app above it.

To add a kind: ``notifications.register(Kind("app.thing", "Plain words for the
preferences page", section=...))`` at import time of the app's ``actions.py``,
then ``notify([person], "app.thing", "What happened, for them", url)`` in the
action. The preferences page lists it with no further change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils import timezone

from hearth.core import deliveries
from hearth.core.events import member_group, send_event_on_commit
from hearth.core.logs import log_event
from hearth.core.models import Notification, NotificationChoice, NotificationSettings

if TYPE_CHECKING:
    from hearth.core.people import Member

APP: str = NotificationChoice.Channel.APP.value
EMAIL: str = NotificationChoice.Channel.EMAIL.value
PUSH: str = NotificationChoice.Channel.PUSH.value
CHANNELS: tuple[str, ...] = (APP, EMAIL, PUSH)
DEFAULT_DIGEST_AT = time(18, 0)
EMAIL_TEMPLATE = "core/email/notification"
DIGEST_TEMPLATE = "core/email/digest"

# Headings of the preferences page, in the order shown.
SECTIONS = (
    "Messages and one-to-ones",
    "Your groups",
    "Gatherings and drop-ins",
    "Reports and decisions",
    "For hosts and the team",
)


def _everyone(member: Member) -> bool:
    return True


@dataclass(frozen=True)
class Kind:
    """One kind of thing a person can be told about.

    ``urgent`` kinds are emailed at once (after quiet hours) and still pushed in
    quiet mode; the others are emailed in the daily digest. ``channels`` are the
    ones a person may choose from, ``defaults`` those on until they choose.
    ``elsewhere`` names the place the app already shows it ("Messages"), so no
    row is made and "in the app" is not a choice. ``required`` channels can't be
    turned off (a decision about the person's own account). ``email_after``
    holds the email back (a message emails only if still unread ten minutes later:
    the caller cancels it on reading). ``applies`` says whom the preferences page
    shows it to.
    """

    key: str
    label: str
    section: str
    urgent: bool = False
    channels: tuple[str, ...] = CHANNELS
    defaults: frozenset[str] = frozenset(CHANNELS)
    elsewhere: str = ""
    required: frozenset[str] = frozenset()
    email_after: timedelta = timedelta(0)
    applies: Callable[[Member], bool] = field(default=_everyone, compare=False)

    def offered(self) -> tuple[str, ...]:
        return tuple(c for c in self.channels if not (c == APP and self.elsewhere))

    @property
    def delivery_kind(self) -> str:
        return f"notify.{self.key}"


_KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    if kind.section not in SECTIONS:
        raise ValueError(f"section must be one of {SECTIONS} (got {kind.section!r})")
    _KINDS[kind.key] = kind
    return kind


def kind_for(key: str) -> Kind:
    try:
        return _KINDS[key]
    except KeyError:
        raise ValueError(f"no notification kind registered as {key!r}") from None


def kinds() -> list[Kind]:
    order = {s: i for i, s in enumerate(SECTIONS)}
    return sorted(_KINDS.values(), key=lambda k: (order[k.section], k.label))


def kinds_for(member: Member) -> list[Kind]:
    """The kinds the preferences page shows this person."""
    return [k for k in kinds() if k.applies(member)]


# --- What the person said: breaks, quiet mode, quiet hours --------------------------------------------

_PAUSE: list[Callable[[list[int], datetime], dict[int, datetime]]] = []
_QUIET: list[Callable[[list[int]], set[int]]] = []


def register_pause(hook: Callable[[list[int], datetime], dict[int, datetime]]) -> None:
    """``hook(member_ids, now)`` → {member id: paused until} for those taking a break now."""
    _PAUSE.append(hook)


def register_quiet(hook: Callable[[list[int]], set[int]]) -> None:
    """``hook(member_ids)`` → the ids of those in quiet mode (low energy) now."""
    _QUIET.append(hook)


def paused(member_ids: list[int], now: datetime) -> dict[int, datetime]:
    out: dict[int, datetime] = {}
    for hook in _PAUSE:
        out.update(hook(member_ids, now))
    return out


def quiet(member_ids: list[int]) -> set[int]:
    out: set[int] = set()
    for hook in _QUIET:
        out |= hook(member_ids)
    return out


def settings_for(member: Member) -> NotificationSettings:
    """The person's row, or an unsaved one with the defaults."""
    row = NotificationSettings.objects.filter(member=member).first()
    return row or NotificationSettings(member=member, digest_at=DEFAULT_DIGEST_AT)


def _at(day: Any, wall: time) -> datetime:
    """``wall`` o'clock on ``day`` in the organisation's zone (on a daylight-saving change, the zone's reading)."""
    return timezone.make_aware(datetime.combine(day, wall))


def quiet_until(row: NotificationSettings, now: datetime) -> datetime | None:
    """When the quiet hours ``now`` falls in end; None outside them (or with none set).

    Quiet hours may cross midnight: 22:00-07:00 covers 23:30 and 06:00.
    """
    start, end = row.quiet_from, row.quiet_until
    if start is None or end is None or start == end:
        return None
    local = timezone.localtime(now)
    clock, today = local.time(), local.date()
    if start < end:
        return _at(today, end) if start <= clock < end else None
    if clock >= start:
        return _at(today + timedelta(days=1), end)
    if clock < end:
        return _at(today, end)
    return None


def next_digest(row: NotificationSettings, now: datetime) -> datetime:
    """The next daily digest time after ``now``, moved past quiet hours if it falls in them."""
    local = timezone.localtime(now)
    due = _at(local.date(), row.digest_at)
    if due <= now:
        due = _at(local.date() + timedelta(days=1), row.digest_at)
    return quiet_until(row, due) or due


def choices_for(member_ids: Iterable[int], key: str) -> dict[tuple[int, str], bool]:
    rows = NotificationChoice.objects.filter(member_id__in=list(member_ids), kind=key)
    return {(r.member_id, r.channel): r.on for r in rows}


def wants(kind: Kind, channel: str, chosen: dict[tuple[int, str], bool], member_id: int) -> bool:
    if channel not in kind.channels:
        return False
    if channel in kind.required:
        return True
    return chosen.get((member_id, channel), channel in kind.defaults)


# --- Telling people -------------------------------------------------------------------------------------


def notify(
    recipients: Iterable[Member],
    key: str,
    text: str,
    url: str = "",
    *,
    actor: Member | None = None,
    about: models.Model | None = None,
    email_template: str = "",
    email_context: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> list[Notification]:
    """Tell each of ``recipients`` about one thing, on the channels they chose for ``key``.

    Call inside the action's transaction: rows and deliveries exist exactly when
    the change does. ``text`` is for the recipient and never quotes anyone's
    words. ``email_template`` (with ``email_context``; model instances are
    fetched again when it is sent) replaces the plain notification email for
    urgent kinds. Returns the rows made in the app.
    """
    kind = kind_for(key)
    people = {m.pk: m for m in recipients if m is not None and m.is_active}
    if actor is not None:
        people.pop(actor.pk, None)  # nobody is told about what they did themselves
    if not people:
        return []
    now = now or timezone.now()
    ids = list(people)
    chosen = choices_for(ids, key)
    resting = paused(ids, now)
    low = quiet(ids)
    rows_by_member = {r.member_id: r for r in NotificationSettings.objects.filter(member_id__in=ids)}
    about_type, about_id = (about._meta.label_lower, str(about.pk)) if about is not None else ("", "")
    made: dict[int, Notification] = {}
    for pk, person in people.items():
        if not kind.elsewhere and wants(kind, APP, chosen, pk):
            made[pk] = Notification(
                member=person,
                actor=actor,
                kind=key,
                text=text[:300],
                url=url[:200],
                about_type=about_type,
                about_id=about_id,
                created_at=now,
            )
    with transaction.atomic():
        for pk, person in people.items():
            note = made.get(pk)
            if pk in resting:
                continue  # kept quietly in the app for when the break ends: no notice, email or push
            row = rows_by_member.get(pk) or NotificationSettings(member=person, digest_at=DEFAULT_DIGEST_AT)
            emailed = bool(person.email and person.email_notifications)
            if note is not None and emailed and wants(kind, EMAIL, chosen, pk) and not kind.urgent:
                note.email_due_at = next_digest(row, now)
        Notification.objects.bulk_create(made.values())
        for pk, person in people.items():
            if pk in resting:
                continue
            note = made.get(pk)
            if note is not None:
                send_event_on_commit([member_group(pk)], {"kind": "notification.new", "text": note.text, "url": url})
            row = rows_by_member.get(pk) or NotificationSettings(member=person, digest_at=DEFAULT_DIGEST_AT)
            held = quiet_until(row, now)
            emailed = bool(person.email and person.email_notifications)
            if emailed and wants(kind, EMAIL, chosen, pk) and (kind.urgent or note is None):
                _email_now(kind, person, note, text, url, about, email_template, email_context, now, held)
            if wants(kind, PUSH, chosen, pk) and (kind.urgent or pk not in low):
                _push(kind, person, text, url, about, held)
    log_event("notify.sent", kind=key, recipients=len(people), in_app=len(made))
    return list(made.values())


def _email_now(
    kind: Kind,
    person: Member,
    note: Notification | None,
    text: str,
    url: str,
    about: models.Model | None,
    template: str,
    context: dict[str, Any] | None,
    now: datetime,
    held: datetime | None,
) -> None:
    not_before = held
    if kind.email_after:
        later = now + kind.email_after
        not_before = max(later, held) if held else later
        # One waiting email per person and thing is enough ("you have new messages").
        if about is not None and _waiting(kind, person, about):
            return
    if template:
        deliveries.send_email(
            person, template, context or {}, kind=kind.delivery_kind, about=about, not_before=not_before
        )
    else:
        # The row when there is one (fetched again when sent); plain words only for kinds shown elsewhere.
        context = {"notification": note} if note is not None else {"text": text, "url": url}
        deliveries.send_email(
            person,
            EMAIL_TEMPLATE,
            context,
            kind=kind.delivery_kind,
            about=about,
            not_before=not_before,
        )


def _waiting(kind: Kind, person: Member, about: models.Model) -> bool:
    from hearth.core.models import Delivery

    return Delivery.objects.filter(
        recipient=person,
        kind=kind.delivery_kind,
        about_type=about._meta.label_lower,
        about_id=str(about.pk),
        state=Delivery.State.PENDING,
    ).exists()


def _push(
    kind: Kind,
    person: Member,
    text: str,
    url: str,
    about: models.Model | None,
    held: datetime | None,
) -> None:
    from hearth.core import push

    # One notification per thing on a device: a newer one about the same conversation replaces the last.
    tag = f"{kind.key}:{about._meta.label_lower}:{about.pk}" if about is not None else kind.key
    push.send_push(
        person, kind=kind.delivery_kind, body=text, url=url, tag=tag, urgent=kind.urgent, about=about, not_before=held
    )


def cancel_email(member: Member, key: str, about: models.Model) -> int:
    """A held-back email about ``about`` is no longer needed (they read it in the app)."""
    return deliveries.cancel(about, kinds=[kind_for(key).delivery_kind], recipient=member)


# --- The daily digest ---------------------------------------------------------------------------------


def send_digests(now: datetime | None = None, limit: int = 500) -> int:
    """Email each person whose digest is due the notifications waiting for it, in one email.

    Claimed with a conditional UPDATE on ``emailed_at``, so two workers never
    send the same notification twice. Someone on a break keeps theirs until the
    break ends (then the next digest has them). Returns how many emails were made.
    """
    now = now or timezone.now()
    due = Notification.objects.filter(email_due_at__lte=now, emailed_at__isnull=True)
    member_ids = list(due.values_list("member_id", flat=True).distinct()[:limit])
    resting = paused(member_ids, now)
    sent = 0
    for member in get_user_model().objects.filter(
        pk__in=[pk for pk in member_ids if pk not in resting], is_active=True
    ):
        with transaction.atomic():
            ids = list(
                Notification.objects.filter(member=member, email_due_at__lte=now, emailed_at__isnull=True)
                .order_by("created_at", "pk")
                .values_list("pk", flat=True)
            )
            claimed = Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).update(emailed_at=now)
            if not claimed or not member.email or not member.email_notifications:
                continue
            notes = list(Notification.objects.filter(pk__in=ids).order_by("created_at", "pk"))
            deliveries.send_email(
                member,
                DIGEST_TEMPLATE,
                {"notifications": notes},  # references, fetched again when the email is written
                kind="notify.digest",
            )
            sent += 1
    if sent:
        log_event("notify.digest", emails=sent)
    return sent


# --- Reading ------------------------------------------------------------------------------------------


def unread_count_expression() -> Any:
    """Unread notifications of the member ``OuterRef("pk")``, for the header's count."""
    from django.db.models import F, Func, OuterRef, Subquery

    return Subquery(
        Notification.objects.filter(member=OuterRef("pk"), read_at__isnull=True)
        .order_by()  # no model ordering inside a COUNT: PostgreSQL refuses it (GROUP BY)
        .annotate(n=Func(F("pk"), function="COUNT"))
        .values("n")[:1]
    )


def mark_read(member: Member, now: datetime | None = None) -> int:
    with transaction.atomic():
        changed = Notification.objects.filter(member=member, read_at__isnull=True).update(read_at=now or timezone.now())
        if changed:
            send_event_on_commit([member_group(member.pk)], {"kind": "notification.read"})
    return changed


def org_name() -> str:
    return str(settings.HEARTH_ORG_NAME)
