"""The demo organisation's notification choices: a few people who chose quiet hours and fewer emails."""

from __future__ import annotations

import random
from datetime import time

from hearth.core.models import NotificationChoice, NotificationSettings
from hearth.members.models import Member


def seed(rng: random.Random, people: list[Member]) -> None:
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
