"""Crisis alerts: raised once, in one place, for a crisis message or an urgent self-assessment.

Who hears: everyone who may handle alerts (``Perm.HANDLE_CRISIS``) live, on every
page they have open, until someone acknowledges; the on-duty peer workers and
counsellors by email too when email is set up. With nobody on duty, the people on
call now (the on-call rota, :mod:`hearth.availability.oncall`: by push, or by email
when they chose it or no device of theirs has push on), the coordinators and the
on-call address by email straight away. An alert nobody acknowledges escalates
after ``HEARTH_ALERT_ESCALATE_MINUTES`` to the coordinators and whoever is on call
at that moment, and goes on reaching them — every few minutes at first, then every
quarter of an hour — until a person acknowledges it. Volunteers are never sent
crisis details. Every message goes through the delivery pipeline
(:mod:`hearth.core.deliveries`): recorded, retried, and shown on the alert page.

The member who wrote is told what is true at that moment (:func:`what_the_member_is_told`): who from the
team has seen it, or that nobody has yet and which lines are open now; live when someone acknowledges.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from hearth.core import audit, banners, deliveries, push, screening
from hearth.core.banners import Banner, BannerSource
from hearth.core.errors import ActionError
from hearth.core.events import member_group, send_event_on_commit
from hearth.core.logs import log_event_on_commit
from hearth.members import policy
from hearth.members.models import Member, Role
from hearth.members.policy import Perm
from hearth.safety.models import CrisisAlert, ModerationItem

audit.register(
    {
        "safety.alert.raised": "A crisis alert was raised about {subject} ({origin})",
        "safety.alert.acknowledged": "{actor} acknowledged the crisis alert about {subject}",
        "safety.alert.viewed": "{actor} read the crisis alert about {subject}",
        "safety.alert.escalated": "The crisis alert about {subject} was not acknowledged in {minutes} minutes and went to the coordinators and anyone on call",
    }
)

FAST_REPEATS = 6  # escalations this many times at the configured pace, then every LATER_EVERY, never stopping
LATER_EVERY = timedelta(minutes=15)


def escalate_after() -> timedelta:
    return timedelta(minutes=settings.HEARTH_ALERT_ESCALATE_MINUTES)


def next_escalation_in(level: int) -> timedelta:
    """How long after escalation step ``level`` the next comes: an alert is never left without one."""
    return escalate_after() if level < FAST_REPEATS else max(escalate_after(), LATER_EVERY)


def on_duty_crisis_staff() -> list[Member]:
    from hearth.availability.actions import on_duty_supporters

    return [m for m in on_duty_supporters() if policy.can(m, Perm.HANDLE_CRISIS)]


def coordinators() -> list[Member]:
    return list(Member.objects.filter(role_grants__role=Role.COORDINATOR, is_active=True).distinct())


def crisis_handlers() -> list[Member]:
    """Everyone who may handle alerts: each sees an open alert on every page until someone acknowledges."""
    roles = policy.roles_with(Perm.HANDLE_CRISIS)
    return list(
        Member.objects.filter(role_grants__role__in=roles, is_active=True).distinct().order_by("display_name", "pk")
    )


def _alert_event(alert: CrisisAlert, *, escalated: bool = False) -> dict[str, object]:
    """What a page needs to show the banner (the same words the server renders; never message text)."""
    return {
        "kind": "safety.alert",
        "alert": alert.pk,
        "origin": alert.origin,
        "escalated": escalated,
        "drill": alert.drill,
        "member": alert.member.display_name if alert.member else "a former member",
        "text": alert.headline(),
        "url": reverse("safety:alert", args=[alert.pk]),
        "ack_url": reverse("safety:acknowledge", args=[alert.pk]),
    }


def _follows(request: HttpRequest) -> bool:
    return policy.can(request.user, Perm.HANDLE_CRISIS)


def _banners(request: HttpRequest) -> list[Banner]:
    return [
        Banner(
            key=f"alert-{alert.pk}",
            text=alert.headline(),
            url=reverse("safety:alert", args=[alert.pk]),
            link_text="Open the alert",
            action_url=reverse("safety:acknowledge", args=[alert.pk]),
            action_text="I've got this",
            drill=alert.drill,
        )
        for alert in open_alerts()
    ]


# Every page of everyone who may handle alerts shows the open ones until someone acknowledges.
banners.register(BannerSource("safety.alerts", follows=_follows, banners=_banners))


def _send_live(alert: CrisisAlert, people: list[Member], *, escalated: bool = False) -> None:
    """To every open page of ``people`` and, with Hearth closed, to each device they turned push on for.

    The push says only that someone needs help now (a lock screen is not private); the alert page says who.
    Quiet hours don't hold it back: these are the people handling crises.
    """
    event = _alert_event(alert, escalated=escalated)
    url = reverse("safety:alert", args=[alert.pk])
    for person in people:
        deliveries.send_live(person, event, kind="safety.alert", about=alert)
        push.send_push(
            person,
            kind="safety.alert",
            title=("Crisis alert drill" if alert.drill else "Crisis alert") + (" (still waiting)" if escalated else ""),
            body="Someone needs help now and nobody has said they've got it yet. Open the alert.",
            url=url,
            tag=f"alert-{alert.pk}",
            urgent=True,
            about=alert,
        )


def _on_call_now(now: datetime) -> tuple[list[Member], list[Member]]:
    """Who is on call at ``now``: (everyone, those to email — they chose email, or no device of theirs has push)."""
    from hearth.availability.models import OnCallSlot
    from hearth.availability.oncall import on_call_at

    everyone: list[Member] = []
    by_email: list[Member] = []
    for slot in on_call_at(now):
        if slot.person in everyone:
            continue
        everyone.append(slot.person)
        if slot.channel == OnCallSlot.Channel.EMAIL or not push.reachable(slot.person):
            by_email.append(slot.person)
    return everyone, by_email


def _email(alert: CrisisAlert, people: list[Member], *, on_call: bool) -> None:
    people = list(dict.fromkeys(people))  # once each, however many reasons they're on the list
    for person in people:
        deliveries.send_email(person, "safety/email/crisis_alert", {"alert": alert}, kind="safety.alert", about=alert)
    emailed = {p.email for p in people}
    if on_call and settings.HEARTH_ON_CALL_EMAIL and settings.HEARTH_ON_CALL_EMAIL not in emailed:
        deliveries.send_email(
            settings.HEARTH_ON_CALL_EMAIL,
            "safety/email/crisis_alert",
            {"alert": alert},
            kind="safety.alert",
            about=alert,
        )


def raise_crisis_alert(
    member: Member, *, origin: str, summary: str, item: ModerationItem | None = None, now: datetime | None = None
) -> CrisisAlert:
    """Raise the live alert; call inside the transaction that recorded the reason for it.

    One open alert per person: while theirs is waiting for someone to acknowledge it, a new reason
    (another crisis message, the self-assessment that came with it) is added to that alert, which is
    already on every handler's screen, rather than raising a second banner about the same person.
    """
    now = now or timezone.now()
    existing = (
        CrisisAlert.objects.select_for_update(of=("self",))
        .filter(member=member, acknowledged_at__isnull=True)
        .order_by("created_at")
        .first()
    )
    if existing is not None:
        if summary not in existing.summary:
            existing.summary = f"{existing.summary}; then: {summary}"[:300]
            existing.save(update_fields=["summary"])
        return existing
    staff = on_duty_crisis_staff()
    alert = CrisisAlert.objects.create(
        member=member,
        origin=origin,
        item=item,
        summary=summary[:300],
        created_at=now,
        escalate_at=now + escalate_after(),
        nobody_on_duty=not staff,
        drill=screening.is_drill(),
    )
    handlers = crisis_handlers()
    _send_live(alert, handlers)  # the people on call are among them: their pages and, with push, their phones
    if not staff:
        _, on_call_by_email = _on_call_now(now)
        _email(alert, coordinators() + on_call_by_email, on_call=True)
    elif settings.EMAIL_HOST:
        # Email is configured: the on-duty staff also get it by email, in case their page isn't open.
        _email(alert, staff, on_call=False)
    audit.log_action("safety.alert.raised", actor=None, subject=member, obj=alert, data={"origin": origin})
    log_event_on_commit(
        "alert.raised",
        alert=alert.pk,
        member=member.pk,
        origin=origin,
        recipients=len(handlers),
        nobody_on_duty=not staff,
    )
    return alert


def do_acknowledge_alert(actor: Member, alert_id: int, now: datetime | None = None) -> CrisisAlert:
    policy.require(actor, Perm.HANDLE_CRISIS)
    now = now or timezone.now()
    with transaction.atomic():
        alert = CrisisAlert.objects.select_for_update(of=("self",)).select_related("member").filter(pk=alert_id).first()
        if alert is None:
            raise ActionError("That alert doesn't exist any more.")
        if alert.acknowledged_at is None:
            alert.acknowledged_at, alert.acknowledged_by, alert.escalate_at = now, actor, None
            alert.save(update_fields=["acknowledged_at", "acknowledged_by", "escalate_at"])
            audit.log_action("safety.alert.acknowledged", actor=actor, subject=alert.member, obj=alert)
            log_event_on_commit(
                "alert.acknowledged",
                alert=alert.pk,
                by=actor.pk,
                seconds=round((now - alert.created_at).total_seconds()),
            )
            # Nothing more to send about it; every open page drops its banner.
            deliveries.cancel(alert, now=now)
            send_event_on_commit(
                [member_group(m.pk) for m in crisis_handlers()],
                {"kind": "safety.alert_acknowledged", "alert": alert.pk, "by": actor.display_name},
            )
            if _told_to_member(alert):
                # The support page they may still be on changes to who has seen it.
                send_event_on_commit(
                    [member_group(alert.member_id)],  # type: ignore[arg-type]
                    {"kind": "safety.alert_seen", "text": what_the_member_is_told(alert).seen},
                )
    return alert


def escalate_due_alerts(now: datetime | None = None) -> list[int]:
    """Escalate unacknowledged alerts past their time to the coordinators and whoever is on call (claimed once per step).

    Each step is claimed with a conditional UPDATE on the level, so two workers never send one step twice; the
    next step is always scheduled (:func:`next_escalation_in`) until a person acknowledges.
    """
    now = now or timezone.now()
    done = []
    for alert in CrisisAlert.objects.filter(acknowledged_at__isnull=True, escalate_at__lte=now).select_related(
        "member"
    ):
        level = alert.escalation_level + 1
        claimed = CrisisAlert.objects.filter(
            pk=alert.pk, acknowledged_at__isnull=True, escalation_level=alert.escalation_level
        ).update(escalation_level=level, escalate_at=now + next_escalation_in(level))
        if not claimed:
            continue
        minutes = int((now - alert.created_at).total_seconds() // 60)
        alert.escalation_level = level
        with transaction.atomic():
            on_call, on_call_by_email = _on_call_now(now)
            people = list(dict.fromkeys(coordinators() + on_call))
            _send_live(alert, people, escalated=True)
            _email(alert, coordinators() + on_call_by_email, on_call=True)
            audit.log_action(
                "safety.alert.escalated", actor=None, subject=alert.member, obj=alert, data={"minutes": minutes}
            )
            log_event_on_commit(
                "alert.escalated",
                level=logging.WARNING,
                alert=alert.pk,
                step=level,
                minutes=minutes,
                recipients=len(people),
            )
        done.append(alert.pk)
    return done


def recently_acknowledged(now: datetime | None = None, days: int = 7) -> list[CrisisAlert]:
    """Alerts someone acknowledged in the last ``days``, newest first: who had it, how fast, what reached whom."""
    now = now or timezone.now()
    return list(
        CrisisAlert.objects.filter(acknowledged_at__gte=now - timedelta(days=days))
        .select_related("member", "acknowledged_by")
        .order_by("-created_at")[:20]
    )


def record_alerts_read(reader: Member, shown: list[CrisisAlert]) -> None:
    """``reader`` was shown these alerts' summaries (which can quote the member): an audited read."""
    for alert in shown:
        if alert.member is not None:
            audit.log_read("safety.alert.viewed", actor=reader, subject=alert.member, obj=alert)


def open_alerts() -> list[CrisisAlert]:
    return list(
        CrisisAlert.objects.filter(acknowledged_at__isnull=True).select_related("member").order_by("created_at")
    )


# --- What the member is told ---------------------------------------------------------------------

TOLD_FOR = (CrisisAlert.Origin.MESSAGE, CrisisAlert.Origin.INTAKE)  # what they wrote or answered themselves
TOLD_WITHIN = timedelta(hours=24)


def _told_to_member(alert: CrisisAlert) -> bool:
    return alert.member_id is not None and not alert.drill and alert.origin in TOLD_FOR


@dataclass(frozen=True)
class MemberView:
    """The words for the person an alert is about, true at the moment they are read."""

    seen: str  # "" until a person has acknowledged it

    @property
    def waiting(self) -> str:
        return "" if self.seen else "Nobody from the team has seen this yet. We keep trying until someone does."


def what_the_member_is_told(alert: CrisisAlert) -> MemberView:
    """ "Sam from the team has seen your message", or (``seen`` empty) that nobody has seen it yet."""
    if alert.acknowledged_at is None:
        return MemberView(seen="")
    who = alert.acknowledged_by.display_name if alert.acknowledged_by else "Someone"
    what = "your answers" if alert.origin == CrisisAlert.Origin.INTAKE else "your message"
    return MemberView(seen=f"{who} from the team has seen {what}.")


def latest_for_member(member: Member, now: datetime | None = None) -> CrisisAlert | None:
    """Their own most recent alert from the last day (never a drill, never one a peer raised about them)."""
    if not getattr(member, "is_authenticated", False):
        return None
    now = now or timezone.now()
    return (
        CrisisAlert.objects.filter(member=member, drill=False, origin__in=TOLD_FOR, created_at__gte=now - TOLD_WITHIN)
        .select_related("acknowledged_by")
        .order_by("-created_at")
        .first()
    )
