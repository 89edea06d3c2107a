"""Who can open which care page: member, volunteer, peer worker, counsellor, coordinator, outsider, anonymous."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing.websocket import WebsocketCommunicator
from django.urls import reverse
from time_machine import TimeMachineFixture

from hearth.care import actions
from hearth.care.models import CareItem, Source
from hearth.members.models import Member
from hearth.testing import ClientFor, MakeMember, session_cookie, text

CAST = ["member", "volunteer", "peer_worker", "counsellor", "coordinator", "outsider", None]


@pytest.fixture
def people(
    member: Member, volunteer: Member, peer_worker: Member, counsellor: Member, coordinator: Member, outsider: Member
) -> dict[str | None, Member | None]:
    return {
        "member": member,
        "volunteer": volunteer,
        "peer_worker": peer_worker,
        "counsellor": counsellor,
        "coordinator": coordinator,
        "outsider": outsider,
        None: None,
    }


@pytest.fixture
def worrying(member: Member, clock: TimeMachineFixture) -> CareItem:
    return actions.add_care_item(member, source=Source.TRIAGE, reason="Wrote something worrying: hopeless")


QUEUE = {"member": 403, "volunteer": 200, "peer_worker": 200, "counsellor": 200, "coordinator": 200, "outsider": 403}
PERSON = {"member": 404, "volunteer": 404, "peer_worker": 200, "counsellor": 200, "coordinator": 200, "outsider": 404}


@pytest.mark.parametrize("who", CAST)
def test_the_queue(
    client_for: ClientFor, people: dict[str | None, Member | None], worrying: CareItem, who: str | None
) -> None:
    response = client_for(people[who]).get(reverse("care:queue"))
    if who is None:
        assert response.status_code == 302 and "/signin/" in response["Location"]
        return
    assert response.status_code == QUEUE[who]
    page = text(response)
    if who in ("peer_worker", "counsellor", "coordinator"):
        assert "Wrote something worrying: hopeless" in page
    else:
        assert "worrying" not in page  # volunteers never see triage concerns


@pytest.mark.parametrize("who", CAST)
def test_a_persons_care_page(
    client_for: ClientFor,
    people: dict[str | None, Member | None],
    member: Member,
    worrying: CareItem,
    who: str | None,
) -> None:
    response = client_for(people[who]).get(reverse("care:person", args=[member.pk]))
    if who is None:
        assert response.status_code == 302
        return
    assert response.status_code == PERSON[who]


@pytest.mark.parametrize("who", CAST)
def test_claiming(
    client_for: ClientFor,
    people: dict[str | None, Member | None],
    member: Member,
    worrying: CareItem,
    who: str | None,
) -> None:
    response = client_for(people[who]).post(reverse("care:person_action", args=[member.pk]), {"action": "claim"})
    item = CareItem.objects.get()
    if who in ("peer_worker", "counsellor", "coordinator"):
        assert item.claimed_by == people[who]
    else:
        assert response.status_code in (302, 404) and item.claimed_by is None
        if who is not None:
            assert response.status_code == 404


@pytest.mark.parametrize("who", ["member", "volunteer", "outsider"])
def test_only_staff_set_up_rounds_or_read_notes(
    client_for: ClientFor,
    people: dict[str | None, Member | None],
    member: Member,
    worrying: CareItem,
    who: str,
) -> None:
    client = client_for(people[who])
    client.post(reverse("care:person_action", args=[member.pk]), {"action": "round", "message": "Hi"})
    from hearth.care.models import CheckInRound

    assert not CheckInRound.objects.exists()


def test_volunteer_sees_a_persons_page_only_for_what_they_can_see(
    client_for: ClientFor, volunteer: Member, member: Member, clock: TimeMachineFixture
) -> None:
    from hearth.community.models import Group, Membership

    group = Group.objects.create(name="Crafts", purpose="x", who_for="x", state="active")
    Membership.objects.create(group=group, member=volunteer)
    actions.add_care_item(member, source=Source.NOBODY_REPLIED, reason="posted at 02:10 in Crafts", group_id=group.pk)
    actions.add_care_item(member, source=Source.TRIAGE, reason="Wrote something worrying")
    page = text(client_for(volunteer).get(reverse("care:person", args=[member.pk])))
    assert "posted at 02:10 in Crafts" in page and "worrying" not in page
    assert "Past check-ins" not in page  # notes are for staff


def test_reading_notes_is_staff_only_and_audited(
    client_for: ClientFor, peer_worker: Member, member: Member, worrying: CareItem
) -> None:
    from hearth.core.models import AuditEntry

    actions.do_claim(peer_worker, member.pk)
    actions.do_record_check_in(peer_worker, member.pk, how="phone", outcome="ok", note="Sister visiting")
    page = text(client_for(peer_worker).get(reverse("care:person", args=[member.pk]) + "?record=show"))
    assert "Sister visiting" in page
    assert AuditEntry.objects.filter(action="care.record.viewed").count() == 1


@pytest.mark.parametrize("who", CAST)
def test_my_care_page_is_my_own(
    client_for: ClientFor,
    people: dict[str | None, Member | None],
    who: str | None,
    member: Member,
    share: Callable[..., None],
    clock: TimeMachineFixture,
) -> None:
    share(member, Source.MOOD)
    actions.do_check_in_mood(member, 2)
    response = client_for(people[who]).get(reverse("care:mine"))
    if who is None:
        assert response.status_code == 302
        return
    assert response.status_code == 200
    assert ("2/5" in text(response)) == (who == "member")  # everyone sees only their own


def test_members_never_see_their_own_queue_entry(
    client_for: ClientFor, peer_worker: Member, worrying: CareItem, member: Member
) -> None:
    from hearth.members.models import Role, RoleGrant

    RoleGrant.objects.create(member=member, role=Role.PEER_WORKER)  # even a peer worker who is on it
    member.__dict__.pop("roles", None)
    assert "worrying" not in text(client_for(member).get(reverse("care:queue")))


# --- The queue page's live socket -------------------------------------------------------------------


async def _care_socket(person: Member) -> tuple[WebsocketCommunicator, bool, int | None]:
    from hearth.routing import websocket_urlpatterns

    cookie = await database_sync_to_async(session_cookie)(person)
    app = AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
    communicator = WebsocketCommunicator(app, "/ws/care/", headers=[(b"cookie", cookie)])
    connected, code = await communicator.connect()
    return communicator, connected, code


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_only_supporters_follow_the_care_queue_live_and_hear_no_names(make_member: MakeMember) -> None:
    robin = await database_sync_to_async(make_member)("Robin")
    sam = await database_sync_to_async(make_member)("Sam", "volunteer")
    _, connected, code = await _care_socket(robin)
    assert not connected and code == 4403
    socket, connected, _ = await _care_socket(sam)
    assert connected
    await database_sync_to_async(actions.add_care_item)(robin, source="triage", reason="Wrote something worrying")
    assert await socket.receive_json_from(timeout=2) == {"kind": "care.queue_changed"}
    await socket.disconnect()
