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

This module says who hears and how; raising, acknowledging and escalating an alert (the writes) are in
``safety/actions.py``.

The member who wrote is told what is true at that moment (:func:`what_the_member_is_told`): who from the
team has seen it, or that nobody has yet and which lines are open now; live when someone acknowledges.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from hearth.core import audit, banners, deliveries, push
from hearth.core.banners import Banner, BannerSource
from hearth.members import policy
from hearth.members.models import Member, Role
from hearth.members.policy import Perm
from hearth.safety.models import CrisisAlert

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


def send_live(alert: CrisisAlert, people: list[Member], *, escalated: bool = False) -> None:
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


def on_call_now(now: datetime) -> tuple[list[Member], list[Member]]:
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


def email_alert(alert: CrisisAlert, people: list[Member], *, on_call: bool) -> None:
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


def told_to_member(alert: CrisisAlert) -> bool:
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
