"""Messages: one inbox for a person's conversations, unread counts in the header, a way back to any of them."""

from __future__ import annotations

from datetime import time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries
from time_machine import TimeMachineFixture

from hearth.care import actions as care_actions
from hearth.care.tests.conftest import NOW
from hearth.chat import actions
from hearth.chat.models import Conversation, InboxEntry
from hearth.core.badges import counts_for
from hearth.core.events import member_group
from hearth.members.models import Member
from hearth.testing import ClientFor, Events, MakeMember, text, visible_text

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def one_to_one(member: Member, peer_worker: Member) -> Conversation:
    return actions.do_open_conversation(member, peer_worker, opened_by=peer_worker, reason="Check-in round")


def test_a_message_from_the_other_person_is_unread_until_the_conversation_is_opened(
    client_for: ClientFor,
    member: Member,
    peer_worker: Member,
    one_to_one: Conversation,
    events: Events,
) -> None:
    with events() as sent:
        actions.do_send_message(peer_worker, one_to_one.room, "Hi Robin, just checking in.", "c1")
    # Both people's other pages hear that the inbox changed (ids only, no words).
    assert sent.recipients_of("inbox.changed") == {member_group(member.pk), member_group(peer_worker.pk)}
    assert all(set(e) == {"kind", "room"} for g, e in sent.sent if e["kind"] == "inbox.changed")
    assert counts_for(member)["messages"] == 1
    assert counts_for(peer_worker)["messages"] == 0  # sending counts as reading

    robin = client_for(member)
    home = text(robin.get(reverse("core:home")))
    assert 'data-count="messages">1<' in home
    inbox = visible_text(robin.get(reverse("chat:inbox")))
    assert "Priya 1 unread" in inbox and "Check-in round" in inbox

    with events() as sent:
        robin.get(reverse("chat:room", args=[one_to_one.room_id]))
    assert sent.recipients_of("inbox.changed") == {member_group(member.pk)}  # the header's count goes down
    assert counts_for(member)["messages"] == 0
    with events() as sent:
        robin.get(reverse("chat:room", args=[one_to_one.room_id]))
    assert sent.recipients_of("inbox.changed") == set()  # nothing was unread: opening it again writes nothing


def test_a_check_in_round_lands_in_the_members_inbox(
    client_for: ClientFor, member: Member, peer_worker: Member, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(NOW, tick=False)  # a Tuesday morning
    care_actions.do_set_round(peer_worker, member, message="Hi, how's your week going?", weekday=1, not_before=time(12))
    assert care_actions.send_due_check_ins(NOW.replace(hour=12, minute=3)) == 1
    assert counts_for(member)["messages"] == 1
    page = visible_text(client_for(member).get(reverse("chat:inbox")))
    assert "Priya 1 unread" in page


def test_the_inbox_keeps_every_earlier_conversation_newest_first(
    client_for: ClientFor, member: Member, peer_worker: Member, volunteer: Member
) -> None:
    first = actions.do_open_conversation(member, volunteer, opened_by=member)
    actions.do_send_message(member, first.room, "Thanks for yesterday", "a")
    Conversation.objects.filter(pk=first.pk).update(closed_at=timezone.now())
    second = actions.do_open_conversation(member, peer_worker, opened_by=peer_worker)
    actions.do_send_message(peer_worker, second.room, "Hello again", "b")
    page = visible_text(client_for(member).get(reverse("chat:inbox")))
    assert page.index("Priya") < page.index("Sam")
    assert "closed" in page  # closed, and still there to go back to
    assert reverse("chat:room", args=[first.room_id]) in text(client_for(member).get(reverse("chat:inbox")))


def test_nobody_sees_anyone_elses_conversations(
    client_for: ClientFor,
    outsider: Member,
    member: Member,
    peer_worker: Member,
    one_to_one: Conversation,
) -> None:
    actions.do_send_message(peer_worker, one_to_one.room, "Just for Robin", "c1")
    page = visible_text(client_for(outsider).get(reverse("chat:inbox")))
    assert "Priya" not in page and "No conversations yet" in page
    assert client_for(outsider).get(reverse("chat:room", args=[one_to_one.room_id])).status_code == 404
    assert counts_for(outsider)["messages"] == 0


def test_signed_out_visitors_are_sent_to_sign_in(client: Client, db: None) -> None:
    assert client.get(reverse("chat:inbox"))["Location"].startswith(reverse("members:signin"))
    assert client.get(reverse("core:counts"))["Location"].startswith(reverse("members:signin"))


def test_the_counts_view_gives_the_header_its_numbers(
    client_for: ClientFor, member: Member, peer_worker: Member, one_to_one: Conversation
) -> None:
    actions.do_send_message(peer_worker, one_to_one.room, "Hi", "c1")
    # One unread message, and the notification that the one-to-one was opened for them.
    assert client_for(member).get(reverse("core:counts")).json() == {"messages": 1, "notifications": 1}


def test_the_header_count_is_one_query_whoever_has_many_conversations(
    member: Member,
    make_member: MakeMember,
    django_assert_num_queries: DjangoAssertNumQueries,
    no_flood_limit: None,
) -> None:
    for i in range(5):
        supporter = make_member(f"Supporter {i}", "volunteer")
        conversation = actions.do_open_conversation(member, supporter, opened_by=supporter)
        actions.do_send_message(supporter, conversation.room, "Hello", f"m{i}")
    with django_assert_num_queries(1):
        assert counts_for(member)["messages"] == 5


def test_existing_conversations_get_inbox_entries_on_opening(
    member: Member, peer_worker: Member, one_to_one: Conversation
) -> None:
    assert set(InboxEntry.objects.filter(room=one_to_one.room).values_list("member_id", flat=True)) == {
        member.pk,
        peer_worker.pk,
    }


def test_a_message_is_emailed_only_if_still_unread_ten_minutes_later(
    client_for: ClientFor, member: Member, peer_worker: Member, one_to_one: Conversation
) -> None:
    from datetime import timedelta

    import time_machine
    from django.core import mail

    from hearth.core.models import Delivery
    from hearth.testing import run_deliveries

    sent_at = timezone.now()
    with time_machine.travel(sent_at, tick=False) as clock:
        mail.outbox.clear()
        Delivery.objects.all().delete()  # the email that the one-to-one was opened: not this story
        actions.do_send_message(peer_worker, one_to_one.room, "Hi Robin, just checking in.", "c1")
        actions.do_send_message(peer_worker, one_to_one.room, "No rush at all.", "c2")
        waiting = Delivery.objects.get(recipient=member, channel="email")  # one email however many messages
        assert waiting.kind == "notify.chat.message" and waiting.due_at == sent_at + timedelta(minutes=10)
        clock.move_to(sent_at + timedelta(minutes=11))
        run_deliveries()
        assert [m.subject for m in mail.outbox] == ["A new message from Priya"]
        assert "checking in" not in mail.outbox[0].body  # never the words themselves
        # Read before the ten minutes are up: no email.
        actions.do_send_message(peer_worker, one_to_one.room, "Thinking of you.", "c3")
        client_for(member).get(reverse("chat:room", args=[one_to_one.room_id]))
        assert Delivery.objects.filter(recipient=member, channel="email").latest("pk").state == "cancelled"
        clock.move_to(sent_at + timedelta(minutes=30))
        run_deliveries()
        assert len(mail.outbox) == 1


def test_a_check_in_says_so(member: Member, peer_worker: Member, one_to_one: Conversation) -> None:
    from hearth.core.models import Delivery, Notification

    actions.do_send_message(peer_worker, one_to_one.room, "How are you?", "c1", notify_as="care.check_in")
    assert Delivery.objects.filter(recipient=member, channel="email", kind="notify.care.check_in").exists()
    assert not Notification.objects.filter(member=member, kind="care.check_in").exists()  # it's in Messages
