"""Real uvicorn processes: kill -9 mid-burst loses nothing acknowledged; two processes share Redis."""

from __future__ import annotations

import asyncio
import json
import os
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection

from hearth.chat.loadtest import ServerFarm, open_socket

pytestmark = [pytest.mark.slow, pytest.mark.asyncio]


async def _read(ws: ClientConnection, into: dict[int, list[str]], timeout: float = 0.5) -> None:
    """Collect chat.message events (by seq) until the socket is quiet or closed."""
    try:
        while True:
            event = json.loads(await asyncio.wait_for(ws.recv(), timeout))
            if event["kind"] == "chat.message":
                into.setdefault(event["seq"], []).append(event["client_id"])
    except TimeoutError:
        return
    except Exception:  # the server died under it
        return


async def test_kill_9_mid_burst_loses_no_acknowledged_message_and_resume_has_no_duplicates() -> None:
    farm = ServerFarm()
    try:
        seats = farm.prepare(users=11, rooms=1)
        port = farm.start()
        listener_seat, senders = seats[0], seats[1:]
        listener = await open_socket(port, listener_seat)
        heard: dict[int, list[str]] = {}
        listening = asyncio.create_task(_read(listener, heard, timeout=5))
        acked: dict[str, int] = {}
        sockets = [await open_socket(port, seat) for seat in senders]
        killed = asyncio.Event()

        async def burst(i: int, ws: ClientConnection) -> None:
            for n in range(5):  # within the flood limit: 5 each
                await ws.send(json.dumps({"kind": "send", "client_id": f"s{i}-{n}", "body": f"burst {i} {n}"}))
            try:
                while True:
                    event = json.loads(await ws.recv())
                    if event["kind"] == "ack":
                        acked[event["client_id"]] = event["seq"]
                        if len(acked) >= 15 and not killed.is_set():
                            killed.set()
                            farm.kill(port)
            except Exception:  # connection lost when the server died
                return

        await asyncio.wait_for(asyncio.gather(*(burst(i, ws) for i, ws in enumerate(sockets))), 30)
        assert killed.is_set(), "the burst finished before the kill; nothing was tested"
        await listening
        assert 15 <= len(acked) < 50

        port = farm.start(port)
        # Every acknowledged message survived the crash, in the room's history.
        fresh = await open_socket(port, listener_seat, after=0)
        history: dict[int, list[str]] = {}
        await _read(fresh, history, timeout=1.5)
        stored = {cid for ids in history.values() for cid in ids}
        assert set(acked) <= stored
        assert all(acked[cid] in history and history[acked[cid]] == [cid] for cid in acked)
        assert sorted(history) == list(range(1, len(history) + 1))  # no gaps, no duplicates
        # The listener resumes from what it had seen and ends up with exactly the history, once each.
        seen_upto = 0
        while seen_upto + 1 in heard:
            seen_upto += 1
        resumed = await open_socket(port, listener_seat, after=seen_upto)
        more: dict[int, list[str]] = {}
        await _read(resumed, more, timeout=1.5)
        assert not set(more) & {s for s in heard if s <= seen_upto}
        combined = {s: heard[s] for s in heard if s <= seen_upto} | more
        assert combined == history
        # Senders retry what was never acknowledged, with the same client ids: each is stored once.
        retry_seat = senders[0]
        retry = await open_socket(port, retry_seat)
        pending = [f"s0-{n}" for n in range(5) if f"s0-{n}" not in acked]
        for cid in pending:
            await retry.send(json.dumps({"kind": "send", "client_id": cid, "body": "retry"}))
        replies: list[Any] = []
        while len(replies) < len(pending):
            event = json.loads(await asyncio.wait_for(retry.recv(), 10))
            if event["kind"] in ("ack", "error"):
                replies.append(event)
        assert {r["client_id"] for r in replies if r["kind"] == "ack"} == set(pending), replies
        final: dict[int, list[str]] = {}
        check = await open_socket(port, listener_seat, after=0)
        await _read(check, final, timeout=1.5)
        ids = [cid for cids in final.values() for cid in cids]
        assert len(ids) == len(set(ids)) and set(pending) | set(acked) <= set(ids)
        for ws in (fresh, resumed, retry, check):
            await ws.close()
    finally:
        farm.stop()


@pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="needs REDIS_URL: two processes share a Redis channel layer"
)
async def test_a_message_sent_to_one_process_reaches_a_client_on_another() -> None:
    farm = ServerFarm(redis_url=os.environ["REDIS_URL"])
    try:
        seats = farm.prepare(users=2, rooms=1)
        first, second = farm.start(), farm.start()
        listener = await open_socket(second, seats[0])
        sender = await open_socket(first, seats[1])
        await sender.send(json.dumps({"kind": "send", "client_id": "across", "body": "hello from process one"}))
        while True:
            event = json.loads(await asyncio.wait_for(listener.recv(), 10))
            if event["kind"] == "chat.message":
                break
        assert event["body"] == "hello from process one" and event["client_id"] == "across"
        await listener.close()
        await sender.close()
    finally:
        farm.stop()
