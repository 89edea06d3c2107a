"""Check-in rounds: sent in a one-to-one at times that suit the member; the reply or no reply feeds the queue."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from time_machine import TimeMachineFixture

from hearth.care import actions, queue
from hearth.care.models import CareItem, CareProfile, CheckInRound, CheckInSend, Source
from hearth.care.tests.conftest import LONDON, NOW
from hearth.chat.models import Conversation, Message
from hearth.core.errors import ActionError
from hearth.members.models import Member


def test_a_weekly_round_not_before_noon(member: Member, peer_worker: Member, clock: TimeMachineFixture) -> None:
    round_ = actions.do_set_round(
        peer_worker, member, message="Hi, just checking in — how's your week going?", weekday=1, not_before=time(12)
    )
    assert round_.next_due_at is not None
    assert round_.next_due_at.astimezone(LONDON) == NOW.replace(hour=12)  # this Tuesday at noon
    assert CareProfile.objects.get(member=member).usual_supporter == peer_worker
    assert actions.send_due_check_ins(NOW.replace(hour=11)) == 0
    assert actions.send_due_check_ins(NOW.replace(hour=12, minute=3)) == 1
    assert actions.send_due_check_ins(NOW.replace(hour=12, minute=8)) == 0  # once per slot
    conversation = Conversation.objects.get(member=member, supporter=peer_worker)
    message = Message.objects.get(room=conversation.room)
    assert message.sender == peer_worker and message.body.startswith("Hi, just checking in")
    round_.refresh_from_db()
    assert round_.next_due_at is not None
    assert round_.next_due_at.astimezone(LONDON) == (NOW + timedelta(days=7)).replace(hour=12)


def test_a_slot_missed_until_late_waits_for_next_week(
    member: Member, peer_worker: Member, clock: TimeMachineFixture
) -> None:
    actions.do_set_round(peer_worker, member, message="Hi", weekday=1, not_before=time(12), not_after=time(20))
    assert actions.send_due_check_ins(NOW.replace(hour=22)) == 0  # the worker was down all afternoon
    assert not Message.objects.exists()
    due = CheckInRound.objects.get().next_due_at
    assert due is not None and due.astimezone(LONDON).date() == (NOW + timedelta(days=7)).date()


def test_no_reply_after_two_days_and_a_reply_both_feed_the_queue(
    member: Member, outsider: Member, peer_worker: Member, clock: TimeMachineFixture
) -> None:
    from hearth.chat.actions import do_send_message

    actions.do_set_round(peer_worker, member, message="Hi", weekday=1)
    actions.do_set_round(peer_worker, outsider, message="Hi", weekday=1)
    actions.send_due_check_ins(NOW.replace(hour=12, minute=1))
    kit_room = Conversation.objects.get(member=outsider).room
    do_send_message(outsider, kit_room, "Not bad thanks, busy week", client_id="r1")
    assert actions.follow_up_check_ins(NOW.replace(hour=13)) == 1
    assert actions.follow_up_check_ins(NOW.replace(hour=13) + timedelta(days=2)) == 1
    reasons = {e.member.display_name: e.reasons for e in queue.build_queue(peer_worker)}
    assert reasons == {
        "Kit": ["replied to Tuesday's check-in — have a read"],
        "Robin": ["no reply to Tuesday's check-in after 2 days"],
    }
    assert CheckInSend.objects.filter(followed_up_at__isnull=True).count() == 0


def test_members_ask_for_check_ins_and_setting_one_up_answers_it(
    member: Member, peer_worker: Member, clock: TimeMachineFixture
) -> None:
    actions.do_ask_for_check_ins(member, "weekdays, not before noon")
    [entry] = queue.build_queue(peer_worker)
    assert entry.reasons == ["asked for check-ins: weekdays, not before noon"]
    actions.do_set_round(peer_worker, member, message="Hi", not_before=time(12))
    assert queue.build_queue(peer_worker) == []


def test_a_member_stops_their_round(
    member: Member, peer_worker: Member, outsider: Member, clock: TimeMachineFixture
) -> None:
    round_ = actions.do_set_round(peer_worker, member, message="Hi")
    with pytest.raises(ActionError):
        actions.do_stop_round(outsider, round_.pk)
    actions.do_stop_round(member, round_.pk)
    assert not CheckInRound.objects.get().active
    assert actions.send_due_check_ins(NOW + timedelta(days=8)) == 0


def test_volunteers_cannot_set_up_rounds(member: Member, volunteer: Member, clock: TimeMachineFixture) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        actions.do_set_round(volunteer, member, message="Hi")


def test_the_usual_supporter_sees_their_check_in_items(
    member: Member, volunteer: Member, peer_worker: Member, clock: TimeMachineFixture
) -> None:
    actions.do_set_round(peer_worker, member, supporter=volunteer, message="Hi")
    actions.add_care_item(member, source=Source.CHECK_IN, reason="no reply to Tuesday's check-in after 2 days")
    assert [e.member for e in queue.build_queue(volunteer)] == [member]
    assert CareItem.objects.count() == 1
