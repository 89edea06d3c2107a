"""Staff sessions are staff sessions everywhere: every websocket obeys the sign-in rules pages obey (issue 13).

Priya (``peer_worker``) may use every live page: she is in Tuesday Makers and its room, takes shifts, moderates
and sees the care queue. So a refusal here is the sign-in rules speaking, never access. The walk covers every
route in ``hearth/routing.py``: a new route is checked the day it is added (teach ``ROUTE_IDS`` its id).
"""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta
from typing import Any

import pytest
from channels.db import database_sync_to_async
from django.conf import settings
from django.test import Client
from django.urls import reverse
from time_machine import TimeMachineFixture

from hearth.chat import actions as chat_actions
from hearth.chat.models import Room
from hearth.community.models import Group, Membership
from hearth.community.tests.conftest import make_group
from hearth.core.consumers import CLOSE_FORBIDDEN, CLOSE_NOT_SIGNED_IN, EventConsumer
from hearth.core.models import OrganisationSettings
from hearth.members.actions import do_update_organisation_settings
from hearth.members.models import Member
from hearth.routing import websocket_urlpatterns
from hearth.safety.actions import do_sanction
from hearth.testing import session_cookie, sign_in, sockets

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

# How to fill each route parameter: a function of the cast's objects giving an id Priya may open.
ROUTE_IDS = {"group_id": lambda c: c["group"].pk, "room_id": lambda c: c["room"].pk}


@pytest.fixture
def cast(volunteer: Member, member: Member, peer_worker: Member) -> dict[str, Group | Room]:
    group = make_group(volunteer)
    Membership.objects.create(group=group, member=member)
    Membership.objects.create(group=group, member=peer_worker)
    return {"group": group, "room": chat_actions.do_open_group_room(member, group.pk)}


def every_route(cast: dict[str, Group | Room]) -> list[str]:
    paths = []
    for pattern in websocket_urlpatterns:
        consumer = pattern.callback.consumer_class
        assert issubclass(consumer, EventConsumer), f"{pattern.pattern}: every socket is an EventConsumer"
        route = str(pattern.pattern)
        for name in re.findall(r"<(?:\w+:)?(\w+)>", route):
            assert name in ROUTE_IDS, f"{route}: add an id for <{name}> to ROUTE_IDS"
            route = re.sub(rf"<(?:\w+:)?{name}>", str(ROUTE_IDS[name](cast)), route)
        paths.append("/" + route)
    return paths


def cookie_of(client: Client) -> bytes:
    return f"sessionid={client.cookies['sessionid'].value}".encode()


def password_only(person: Member) -> bytes:
    return session_cookie(person, second_factor=False)


async def test_a_new_organisation_requires_two_factor_for_staff(db: None) -> None:
    assert (await database_sync_to_async(OrganisationSettings.load)()).require_staff_two_factor


async def test_password_only_staff_are_refused_on_every_route_and_verified_staff_let_in(
    peer_worker: Member, cast: dict[str, Group | Room]
) -> None:
    paths = await database_sync_to_async(every_route)(cast)
    assert len(paths) == len(websocket_urlpatterns) >= 7
    async with sockets(cookie_for=password_only) as open_socket:
        for path in paths:
            await open_socket(peer_worker, path, expect=CLOSE_NOT_SIGNED_IN)
    async with sockets() as open_socket:  # the same person, having entered her code
        for path in paths:
            assert await open_socket(peer_worker, path)


async def test_when_two_factor_is_optional_the_password_is_enough(
    peer_worker: Member, coordinator: Member, cast: dict[str, Group | Room]
) -> None:
    await database_sync_to_async(do_update_organisation_settings)(
        coordinator, open_signup=False, require_staff_two_factor=False
    )
    paths = await database_sync_to_async(every_route)(cast)
    async with sockets(cookie_for=password_only) as open_socket:
        for path in paths:
            assert await open_socket(peer_worker, path)


async def test_suspended_accounts_and_expired_sessions_are_refused_on_every_route(
    peer_worker: Member, cast: dict[str, Group | Room], time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to("2026-11-22 10:00:00+00:00", tick=True)
    paths = await database_sync_to_async(every_route)(cast)
    cookie = await database_sync_to_async(session_cookie)(peer_worker)
    async with sockets(cookie_for=lambda person: cookie) as open_socket:
        time_machine.shift(timedelta(seconds=settings.SESSION_COOKIE_AGE + 60))
        for path in paths:
            await open_socket(peer_worker, path, expect=CLOSE_NOT_SIGNED_IN)

    cookie = await database_sync_to_async(session_cookie)(peer_worker)
    peer_worker.is_active = False  # what a suspension or a ban does
    await database_sync_to_async(peer_worker.save)(update_fields=["is_active"])
    async with sockets(cookie_for=lambda person: cookie) as open_socket:
        for path in paths:
            await open_socket(peer_worker, path, expect=CLOSE_NOT_SIGNED_IN)


async def test_signing_out_closes_that_sessions_sockets_and_not_another_devices(
    peer_worker: Member, cast: dict[str, Group | Room]
) -> None:
    laptop, phone = Client(), Client()
    await database_sync_to_async(sign_in)(laptop, peer_worker)
    await database_sync_to_async(sign_in)(phone, peer_worker)
    async with sockets() as open_socket:
        on_laptop = await open_socket(peer_worker, "/ws/moderation/", cookie=cookie_of(laptop))
        on_phone = await open_socket(peer_worker, "/ws/moderation/", cookie=cookie_of(phone))
        await database_sync_to_async(laptop.post)(reverse("members:signout"))
        assert await on_laptop.closed_by_server() == CLOSE_NOT_SIGNED_IN
        assert await on_phone.quiet() == [] and not on_phone.closed


async def test_a_suspension_closes_the_sockets_already_open(
    member: Member, peer_worker: Member, coordinator: Member, cast: dict[str, Group | Room]
) -> None:
    async with sockets() as open_socket:
        robin = await open_socket(member, f"/ws/chat/rooms/{cast['room'].pk}/")
        await database_sync_to_async(do_sanction)(coordinator, member, "suspend", reason="Threats to others", days=7)
        assert await robin.closed_by_server() == CLOSE_NOT_SIGNED_IN


async def test_turning_the_requirement_on_closes_password_only_staff_sockets(
    peer_worker: Member, member: Member, coordinator: Member, cast: dict[str, Group | Room]
) -> None:
    await database_sync_to_async(do_update_organisation_settings)(
        coordinator, open_signup=False, require_staff_two_factor=False
    )
    async with sockets(cookie_for=password_only) as open_socket:
        duty = await open_socket(peer_worker, "/ws/duty/")
        robin = await open_socket(member, "/ws/me/")  # members are never asked for a second factor
        await database_sync_to_async(do_update_organisation_settings)(
            coordinator, open_signup=False, require_staff_two_factor=True
        )
        assert await duty.closed_by_server() == CLOSE_NOT_SIGNED_IN
        assert await robin.quiet() == [] and not robin.closed


async def test_a_socket_hears_nothing_once_its_session_has_expired(
    member: Member, volunteer: Member, cast: dict[str, Group | Room], time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to("2026-11-22 10:00:00+00:00", tick=True)
    async with sockets() as open_socket:
        robin = await open_socket(member, f"/ws/chat/rooms/{cast['room'].pk}/")
        time_machine.shift(timedelta(seconds=settings.SESSION_COOKIE_AGE + 60))
        await database_sync_to_async(chat_actions.do_send_message)(volunteer, cast["room"], "Hello, everyone", "c1")
        assert await robin.closed_by_server() == CLOSE_NOT_SIGNED_IN
        assert not [e for e in robin.seen if e.get("kind") == "chat.message"]


async def test_a_role_taken_away_closes_the_socket_it_opened(
    peer_worker: Member, coordinator: Member, cast: dict[str, Group | Room]
) -> None:
    from hearth.members.actions import do_revoke_role
    from hearth.members.models import Role

    async with sockets() as open_socket:
        moderation = await open_socket(peer_worker, "/ws/moderation/")
        await database_sync_to_async(do_revoke_role)(coordinator, peer_worker, Role.PEER_WORKER)
        assert await moderation.quiet() == [] and not moderation.closed  # a volunteer still moderates
        await database_sync_to_async(do_revoke_role)(coordinator, peer_worker, Role.VOLUNTEER)
        assert await moderation.closed_by_server() == CLOSE_FORBIDDEN


async def test_frames_paused_for_the_sign_in_rules_stay_unsent_whatever_releases_the_queue() -> None:
    from hearth.core.fanout import Outbox

    written: list[str] = []

    async def write(key: Any, text: str) -> None:
        written.append(text)

    outbox = Outbox(write)
    await outbox.hold()  # a socket still sending its presence list and backlog
    outbox.pause()  # its session's expiry passed: the rules are being applied again
    outbox.put(1, "a message")
    outbox.release()  # the backlog is done
    await asyncio.sleep(0)
    assert written == []
    outbox.resume()  # the session was renewed
    await asyncio.sleep(0)
    assert written == ["a message"]
