"""Presence by heartbeat (issue 15): a server killed mid-visit leaves no one "here now" for long, a drop-in's
host whose own visit was left by a crash still hears who arrives, and an open page keeps its person here."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any

import pytest
import time_machine
from channels.db import database_sync_to_async
from django.core import mail
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks, Settings

from hearth.chat import actions
from hearth.chat.access import HEARTBEAT, PRESENCE_EXPIRY, present, room_channel
from hearth.chat.heartbeat import heartbeat
from hearth.chat.models import Room, RoomVisit
from hearth.community.models import Group
from hearth.core.events import capture_events
from hearth.members.models import Member
from hearth.testing import run_deliveries

EVENING = datetime(2026, 12, 1, 19, 15, tzinfo=timezone.get_current_timezone())  # a Tuesday


@pytest.mark.django_db
def test_a_visit_no_server_keeps_is_gone_within_the_expiry_and_the_room_is_told(
    room: Room, member: Member, volunteer: Member, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with time_machine.travel(EVENING, tick=False):
        crashed = actions.do_enter_room(member, room, "on-a-server-that-was-killed")
        alive = actions.do_enter_room(volunteer, room, "on-a-server-still-running")
    for beat in range(1, 5):  # Sam's server keeps beating; Robin's is gone
        actions.keep_visits({alive.pk}, now=EVENING + beat * HEARTBEAT)
    later = EVENING + 4 * HEARTBEAT
    assert [p.display_name for p in present(room, now=EVENING + PRESENCE_EXPIRY)] == ["Robin", "Sam"]
    assert [p.display_name for p in present(room, now=later)] == ["Sam"]  # not a ghost for twelve hours

    with capture_events() as events, django_capture_on_commit_callbacks(execute=True):
        assert actions.close_stale_visits(now=later) == 1
    crashed.refresh_from_db()
    assert crashed.left_at == EVENING  # left when last seen: attendance stays true
    assert [(g, e["kind"], e["member"]) for g, e in events.sent] == [
        ((room_channel(room.pk),), "chat.presence.left", member.pk)
    ]  # open pages on every other server drop Robin too
    assert RoomVisit.objects.get(pk=alive.pk).left_at is None
    assert actions.close_stale_visits(now=later) == 0


@pytest.mark.django_db
def test_a_host_whose_visit_a_crash_left_open_still_hears_who_arrives(
    group: Group,
    volunteer: Member,
    member: Member,
    settings: Settings,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    settings.EMAIL_HOST = "smtp.example.org"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    drop_in = actions.do_create_drop_in(
        volunteer, group.pk, title="Tuesday drop-in", weekday=1, opens_at=time(19), closes_at=time(20)
    )
    with time_machine.travel(EVENING - timedelta(minutes=10), tick=False):
        actions.do_enter_room(volunteer, drop_in.room, "host-on-a-killed-server")  # never heard from again
    with time_machine.travel(EVENING, tick=False), django_capture_on_commit_callbacks(execute=True):
        actions.do_enter_room(member, drop_in.room, "robin")
        run_deliveries()
    assert len(mail.outbox) == 1 and "Robin has arrived" in mail.outbox[0].subject


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_an_open_page_is_kept_here_by_its_servers_heartbeat(
    live: Callable[..., Any], room: Room, member: Member
) -> None:
    robin = await live(member, room.pk)
    await robin.next("chat.presence")
    visit = await database_sync_to_async(RoomVisit.objects.get)(room=room, member=member)
    assert visit.pk in heartbeat().visits
    long_ago = timezone.now() - timedelta(hours=1)
    await database_sync_to_async(RoomVisit.objects.filter(pk=visit.pk).update)(seen_at=long_ago)
    assert not await database_sync_to_async(present)(room)

    await heartbeat().beat()  # what the process does every HEARTBEAT, for all its sockets in one write
    assert [p.display_name for p in await database_sync_to_async(present)(room)] == ["Robin"]
    await robin.close()
    await robin.quiet()
    assert visit.pk not in heartbeat().visits
