"""The demo's registries, and core's own demo data.

``hearth seed_demo`` (the members app's command) makes the people, then runs :data:`DEMO_SEEDERS` in order; each
app adds its seeders from its ``AppConfig.ready`` (or its demo module, which ``ready`` imports), lowest app first,
so the shared random source gives the same demo every time. :data:`DEMO_SCALE_SEEDERS` is the same for
``--scale``.

Core's own: the organisation's settings (staff two-factor off, said aloud), notification choices (a few people
who chose quiet hours and fewer emails), and :func:`delivered`, which the other apps' demos use to show what
reached whom for the history they write."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.db import models

from hearth.core.models import (
    Delivery,
    DeliveryAttempt,
    NotificationChoice,
    NotificationSettings,
    OrganisationSettings,
)

if TYPE_CHECKING:
    from hearth.core.people import Member

# Each takes the random source and the demo's people (see the module's docstring).
DEMO_SEEDERS: list[Callable[[random.Random, list[Member]], Any]] = []
# For benchmarks (``--scale MEMBERS:POSTS``): each takes the random source, the members and the number of posts
# asked for, and bulk-creates in batches.
DEMO_SCALE_SEEDERS: list[Callable[[random.Random, list[Member], int], Any]] = []


def seed(rng: random.Random, people: list[Member]) -> None:
    # A new organisation requires two-factor sign-in for staff. The demo turns it off so each role can be tried
    # with the printed password; `hearth demo_accounts` and the settings page say so.
    OrganisationSettings.objects.update_or_create(pk=1, defaults={"require_staff_two_factor": False})
    if NotificationSettings.objects.exists() or len(people) < 3:
        return
    first, second, third = people[0], people[1], people[2]
    # Someone who sleeps early and likes their news with breakfast, not by email for announcements.
    NotificationSettings.objects.create(
        member=first, quiet_from=time(21, 30), quiet_until=time(8, 0), digest_at=time(9)
    )
    NotificationChoice.objects.create(member=first, kind="community.announcement", channel="email", on=False)
    # Someone who only wants email for what's urgent, and nothing pushed about replies.
    NotificationSettings.objects.create(member=second, digest_at=time(19, 30))
    NotificationChoice.objects.create(member=second, kind="community.reply", channel="push", on=False)
    NotificationChoice.objects.create(member=third, kind="chat.gathering", channel="email", on=False)


def delivered(about: models.Model, at: datetime, *, screens: int = 0) -> int:
    """The deliveries seeding made about ``about`` went out at ``at``, as the worker sends them (demo history).

    Email was accepted by the mail server and push by the push service within seconds; live deliveries reached
    the open pages, and ``screens`` of them (the first ones) showed it. Returns how many were settled.
    """
    rows = list(
        Delivery.objects.filter(
            about_type=about._meta.label_lower, about_id=str(about.pk), state=Delivery.State.PENDING
        ).order_by("pk")
    )
    attempts = []
    for i, delivery in enumerate(rows):
        sent = at + timedelta(seconds=1 + i % 3)
        if delivery.channel == "live":
            shown = i < screens
            delivery.state = Delivery.State.DELIVERED if shown else Delivery.State.SENT
            attempts.append(
                DeliveryAttempt(delivery=delivery, at=sent, outcome="sent", detail="to the pages they have open")
            )
            if shown:
                attempts.append(
                    DeliveryAttempt(delivery=delivery, at=sent + timedelta(seconds=1), outcome="screen", detail="demo")
                )
        else:
            delivery.state = Delivery.State.DELIVERED
            detail = "accepted by the mail server" if delivery.channel == "email" else "accepted by the push service"
            attempts.append(DeliveryAttempt(delivery=delivery, at=sent, outcome="delivered", detail=detail))
        delivery.created_at, delivery.finished_at, delivery.attempts = at, sent, 1
        delivery.due_at = None
        if delivery.state != Delivery.State.SENT:
            delivery.payload = {}  # as a finished delivery's is
    Delivery.objects.bulk_update(rows, ["state", "created_at", "finished_at", "attempts", "due_at", "payload"])
    DeliveryAttempt.objects.bulk_create(attempts)
    return len(rows)
