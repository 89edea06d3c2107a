"""``/ws/me/``: a person's own events, and the receipts that say a live delivery reached a screen."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from hearth.core import deliveries
from hearth.core.models import Delivery, DeliveryAttempt
from hearth.members.models import Member
from hearth.testing import run_deliveries, sockets

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


async def test_a_screen_that_showed_a_live_delivery_is_counted_once(member: Member, outsider: Member) -> None:
    async with sockets() as open_socket:
        robin = await open_socket(member, "/ws/me/")
        kit = await open_socket(outsider, "/ws/me/")
        delivery = await database_sync_to_async(deliveries.send_live)(member, {"kind": "safety.alert", "alert": 1})
        await database_sync_to_async(run_deliveries)()
        event = await robin.next("safety.alert")
        assert event["delivery"] == delivery.pk
        await robin.send(kind="received", delivery=delivery.pk)
        await robin.send(kind="received", delivery=delivery.pk)
        await kit.send(kind="received", delivery=delivery.pk)  # not Kit's: ignored
        await kit.send(kind="received", delivery="1; drop table")  # nonsense: ignored
        await robin.quiet(timeout=0.3)
    screens = await database_sync_to_async(
        lambda: list(DeliveryAttempt.objects.filter(outcome="screen").values_list("delivery__recipient", flat=True))
    )()
    assert screens == [member.pk]
    state = await database_sync_to_async(lambda: Delivery.objects.get(pk=delivery.pk).state)()
    assert state == Delivery.State.DELIVERED


async def test_signed_out_people_get_no_socket(db: None) -> None:
    async with sockets() as open_socket:
        await open_socket(None, "/ws/me/", expect=4401)


async def test_the_web_process_runs_the_live_lane_so_a_live_delivery_reaches_an_open_page(member: Member) -> None:
    """No worker, no Redis: the server's own live lane (started by ASGI lifespan) delivers within a second or two."""
    import asyncio
    import time

    from channels.testing import ApplicationCommunicator

    from hearth.asgi import application

    server = ApplicationCommunicator(application, {"type": "lifespan"})
    await server.send_input({"type": "lifespan.startup"})
    assert (await server.receive_output(timeout=5))["type"] == "lifespan.startup.complete"
    try:
        async with sockets() as open_socket:
            robin = await open_socket(member, "/ws/me/")
            started = time.monotonic()
            delivery = await database_sync_to_async(deliveries.send_live)(member, {"kind": "safety.alert", "alert": 1})
            event = await robin.next("safety.alert", timeout=5)
            assert event["delivery"] == delivery.pk
            assert time.monotonic() - started < 2
    finally:
        await server.send_input({"type": "lifespan.shutdown"})
        assert (await server.receive_output(timeout=15))["type"] == "lifespan.shutdown.complete"
        await asyncio.sleep(0)
