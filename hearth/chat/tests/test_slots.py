"""Bookable slots: supporters offer times, members book, change and cancel within the rules, two members can't
both have one slot, reminders go through the deliveries pipeline, the one-to-one opens at its time, and a
missed booking is recorded kindly.

Cast: Priya (``peer_worker``) offers times; Robin (``member``) and Kit (``outsider``) book them; Sam
(``volunteer``) may offer times too. The clock is set to a Monday morning and every time is built from it.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.urls import reverse
from pytest_django import Settings
from time_machine import TimeMachineFixture

from hearth.care.models import CareItem
from hearth.chat import actions
from hearth.chat.models import Conversation, Slot, SlotOutcome, SlotWay
from hearth.core.errors import ActionError
from hearth.core.models import Delivery
from hearth.members.models import Member
from hearth.testing import ClientFor, Events, visible_text

pytestmark = pytest.mark.django_db(transaction=False)

MONDAY = datetime(2027, 2, 1, 9, 0, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture(autouse=True)
def monday(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(MONDAY, tick=False)


@pytest.fixture
def slot(peer_worker: Member) -> Slot:
    return actions.do_publish_slot(peer_worker, starts_at=MONDAY + timedelta(days=1, hours=5), minutes=45, way="text")


def test_a_member_books_a_time_and_the_supporter_is_told(
    client_for: ClientFor, member: Member, peer_worker: Member, slot: Slot
) -> None:
    robin = client_for(member)
    page = visible_text(robin.get(reverse("chat:book")))
    assert "Tuesday 2 February, 14:00 to 14:45 · Priya · Text chat here" in page
    response = robin.post(reverse("chat:book"), {"slot": slot.pk}, follow=True)
    assert "Booked: Priya, Tomorrow, 2 pm" in visible_text(response)
    slot.refresh_from_db()
    assert slot.member_id == member.pk and slot.remind_at == slot.starts_at - actions.REMIND_BEFORE
    told = Delivery.objects.get(kind="chat.booking.changed", recipient=peer_worker)
    assert "Robin booked Tuesday 2 February, 2 pm" in told.payload["event"]["text"]
    assert "booked by Robin" in visible_text(client_for(peer_worker).get(reverse("chat:my_slots")))


def test_two_members_one_slot_one_booking(member: Member, outsider: Member, slot: Slot) -> None:
    actions.do_book_slot(member, slot.pk)
    with pytest.raises(ActionError, match="someone has just booked"):
        actions.do_book_slot(outsider, slot.pk)
    assert Slot.objects.get(pk=slot.pk).member_id == member.pk


@pytest.mark.django_db(transaction=True)
def test_two_members_booking_the_same_slot_at_the_same_moment_one_wins(
    member: Member, outsider: Member, peer_worker: Member
) -> None:
    """Real concurrency, two threads and two connections. On PostgreSQL only: the test database for SQLite is
    in memory, where a second writer is refused ("table is locked") instead of queueing as it does on the
    file database Hearth runs on (IMMEDIATE transactions with a busy timeout)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: in-memory SQLite refuses a second writer instead of queueing it")
    slot = actions.do_publish_slot(peer_worker, starts_at=MONDAY + timedelta(days=2), minutes=30, way="text")
    barrier = threading.Barrier(2)
    results: dict[str, str] = {}

    def book(person: Member) -> None:
        try:
            barrier.wait(timeout=10)
            actions.do_book_slot(person, slot.pk)
            results[person.display_name] = "booked"
        except ActionError as error:
            results[person.display_name] = str(error)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=book, args=(p,)) for p in (member, outsider)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert list(results.values()).count("booked") == 1
    assert "someone has just booked" in next(v for v in results.values() if v != "booked")
    assert Slot.objects.get(pk=slot.pk).member_id in (member.pk, outsider.pk)


def test_booking_rules_notice_and_how_many(member: Member, peer_worker: Member, settings: Settings) -> None:
    soon = actions.do_publish_slot(peer_worker, starts_at=MONDAY + timedelta(minutes=30), minutes=30, way="text")
    with pytest.raises(ActionError, match="too soon"):
        actions.do_book_slot(member, soon.pk)
    settings.HEARTH_BOOKING_NOTICE_MINUTES = 15
    actions.do_book_slot(member, soon.pk)
    later = [
        actions.do_publish_slot(peer_worker, starts_at=MONDAY + timedelta(days=d), minutes=30, way="phone")
        for d in (1, 2)
    ]
    actions.do_book_slot(member, later[0].pk)
    with pytest.raises(ActionError, match="up to 2 bookings"):
        actions.do_book_slot(member, later[1].pk)
    with pytest.raises(ActionError, match="own slot"):
        actions.do_book_slot(peer_worker, later[1].pk)


def test_changing_a_booking_takes_the_new_time_before_letting_go_of_the_old(
    client_for: ClientFor, member: Member, outsider: Member, peer_worker: Member, slot: Slot
) -> None:
    other = actions.do_publish_slot(peer_worker, starts_at=MONDAY + timedelta(days=3), minutes=30, way="phone")
    taken = actions.do_publish_slot(peer_worker, starts_at=MONDAY + timedelta(days=4), minutes=30, way="text")
    actions.do_book_slot(member, slot.pk)
    actions.do_book_slot(outsider, taken.pk)
    robin = client_for(member)
    robin.post(reverse("chat:change_booking", args=[slot.pk]), {"slot": taken.pk})
    assert Slot.objects.get(pk=slot.pk).member_id == member.pk  # refused: she keeps her time
    robin.post(reverse("chat:change_booking", args=[slot.pk]), {"slot": other.pk})
    assert Slot.objects.get(pk=slot.pk).member_id is None
    assert Slot.objects.get(pk=other.pk).member_id == member.pk


def test_cancelling_frees_the_time_and_stops_the_reminder(
    client_for: ClientFor, member: Member, peer_worker: Member, slot: Slot, time_machine: TimeMachineFixture
) -> None:
    actions.do_book_slot(member, slot.pk)
    client_for(member).post(reverse("chat:cancel_booking", args=[slot.pk]))
    slot.refresh_from_db()
    assert slot.member_id is None and slot.remind_at is None
    time_machine.move_to(slot.starts_at - timedelta(minutes=30), tick=False)
    assert actions.open_booked_slots() == (0, 0)


def test_a_reminder_then_the_one_to_one_opens_at_its_time_once(
    member: Member, peer_worker: Member, slot: Slot, time_machine: TimeMachineFixture, events: Events
) -> None:
    actions.do_book_slot(member, slot.pk)
    time_machine.move_to(slot.starts_at - timedelta(minutes=59), tick=False)
    assert actions.open_booked_slots() == (1, 0)
    reminder = Delivery.objects.get(kind="chat.booking.reminder", channel="live")
    assert reminder.recipient_id == member.pk and "at Tuesday 2 February, 2 pm" in reminder.payload["event"]["text"]
    assert actions.open_booked_slots() == (0, 0)  # claimed once
    time_machine.move_to(slot.starts_at - timedelta(minutes=4), tick=False)
    with events() as sent:
        assert actions.open_booked_slots() == (0, 1)
    slot.refresh_from_db()
    assert slot.conversation_id is not None
    conversation = Conversation.objects.get(pk=slot.conversation_id)
    assert {conversation.member_id, conversation.supporter_id} == {member.pk, peer_worker.pk}
    assert conversation.reason == "Booked: Tuesday 2 February, 2 pm (text chat here)"
    assert not sent.recipients_of("notification.new")  # told once, as the booking starting (below)
    starting = Delivery.objects.filter(kind="chat.booking.opened")
    assert {d.recipient_id for d in starting} == {member.pk, peer_worker.pk}
    assert actions.open_booked_slots() == (0, 0)


def test_a_missed_booking_is_recorded_kindly(
    client_for: ClientFor, member: Member, peer_worker: Member, slot: Slot, time_machine: TimeMachineFixture
) -> None:
    actions.do_book_slot(member, slot.pk)
    priya = client_for(peer_worker)
    priya.post(reverse("chat:slot_outcome", args=[slot.pk]), {"outcome": "missed"})
    assert Slot.objects.get(pk=slot.pk).outcome == ""  # not before the time
    time_machine.move_to(slot.starts_at + timedelta(minutes=20), tick=False)
    priya.post(reverse("chat:slot_outcome", args=[slot.pk]), {"outcome": "missed"})
    assert Slot.objects.get(pk=slot.pk).outcome == SlotOutcome.MISSED
    note = Delivery.objects.get(kind="chat.booking.changed", recipient=member)
    assert "We missed you" in note.payload["event"]["text"] and "completely fine" in note.payload["event"]["text"]
    assert CareItem.objects.filter(member=member, source="follow-up").exists()
    assert "Couldn't make it" in visible_text(priya.get(reverse("chat:my_slots")))


def test_a_supporter_takes_a_time_back_and_the_member_is_told(
    client_for: ClientFor, member: Member, peer_worker: Member, slot: Slot
) -> None:
    actions.do_book_slot(member, slot.pk)
    client_for(peer_worker).post(reverse("chat:withdraw_slot", args=[slot.pk]))
    assert Slot.objects.get(pk=slot.pk).withdrawn_at is not None
    told = Delivery.objects.filter(kind="chat.booking.changed", recipient=member).get()
    assert "can't do Tuesday 2 February, 2 pm after all" in told.payload["event"]["text"]
    assert "No bookings at the moment" in visible_text(client_for(member).get(reverse("chat:book")))


# --- Who may do what -----------------------------------------------------------------------------------


def test_only_supporters_offer_times(client_for: ClientFor, member: Member, volunteer: Member) -> None:
    assert client_for(member).get(reverse("chat:my_slots")).status_code == 403
    with pytest.raises(Exception):  # noqa: B017 (PermissionDenied)
        actions.do_publish_slot(member, starts_at=MONDAY + timedelta(days=1), minutes=30, way="text")
    sam = client_for(volunteer)
    assert sam.get(reverse("chat:my_slots")).status_code == 200
    response = sam.post(
        reverse("chat:my_slots"), {"starts_at": "2027-02-03T18:00", "minutes": "30", "way": SlotWay.TEXT}
    )
    assert response.status_code == 302 and Slot.objects.filter(supporter=volunteer).count() == 1
    # Not by phone: members' numbers are for staff (test_calls.py has the rest).
    refused = sam.post(reverse("chat:my_slots"), {"starts_at": "2027-02-04T18:00", "minutes": "30", "way": "phone"})
    assert refused.status_code == 200 and Slot.objects.filter(supporter=volunteer).count() == 1
    assert (
        sam.post(
            reverse("chat:my_slots"), {"starts_at": "2027-01-03T18:00", "minutes": "30", "way": "text"}
        ).status_code
        == 200
    )


def test_nobody_touches_anyone_elses_booking_or_slot(
    client_for: ClientFor, member: Member, outsider: Member, volunteer: Member, slot: Slot
) -> None:
    actions.do_book_slot(member, slot.pk)
    kit = client_for(outsider)
    assert kit.post(reverse("chat:cancel_booking", args=[slot.pk])).status_code == 404
    assert kit.get(reverse("chat:change_booking", args=[slot.pk])).status_code == 404
    assert "Priya" not in visible_text(kit.get(reverse("chat:book")))  # booked: not offered to others
    sam = client_for(volunteer)
    assert sam.post(reverse("chat:withdraw_slot", args=[slot.pk])).status_code == 404
    assert sam.post(reverse("chat:slot_outcome", args=[slot.pk]), {"outcome": "missed"}).status_code == 404
    assert client_for(None).get(reverse("chat:book")).status_code == 302
    assert Slot.objects.get(pk=slot.pk).member_id == member.pk
    assert client_for(member).post(reverse("chat:book"), {"slot": "abc"}).status_code == 302  # a message, no 500
