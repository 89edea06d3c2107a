"""Talk now: matching, fair order, workload, urgency, escalation and the no-one-on fallback."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from pytest_django import DjangoCaptureOnCommitCallbacks
from time_machine import TimeMachineFixture

from hearth.availability import actions
from hearth.availability.models import Mode, SupporterProfile, TalkRequest, TalkSkip
from hearth.availability.rota import next_scheduled_start
from hearth.core.errors import ActionError
from hearth.core.events import capture_events, member_group
from hearth.core.models import AuditEntry
from hearth.members.models import Member, Role
from hearth.testing import ClientFor, MakeMember, run_deliveries, text

PHONE = {"mode": Mode.PHONE, "phone_for_callback": "07700 900000"}


def ask(member: Member, **kwargs: Any) -> TalkRequest:
    """Asking to talk by text chat: volunteers and staff both take these (phone calls are for staff)."""
    return actions.do_request_talk(member, **{"mode": Mode.TEXT, **kwargs})


def test_nobody_on_duty_turns_a_request_into_a_message_for_the_next_supporter(
    member: Member,
    coordinator: Member,
    volunteer: Member,
    clock: TimeMachineFixture,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        request = ask(member, message="Rough night, would like to talk tomorrow")
    assert request.state == TalkRequest.State.MESSAGE
    run_deliveries()
    assert [m.to for m in mail.outbox] == [[coordinator.email]]  # never unseen
    actions.do_check_in(volunteer)
    assert actions.unanswered_messages() == [request]


def test_member_with_nobody_on_sees_crisis_lines_next_shift_and_a_message_option(
    client_for: ClientFor, member: Member, volunteer: Member, clock: TimeMachineFixture
) -> None:
    actions.do_add_shift_pattern(volunteer, volunteer, weekday=3, starts=time(18), ends=time(21))
    page = text(client_for(member).get(reverse("availability:talk")))
    assert "Nobody from the team is online right now" in page
    assert "Samaritans" in page and "116 123" in page
    assert "Thursday 26 November at 18:00" in page
    assert "Leave a message" in page


def test_waiting_member_sees_place_and_estimate(
    member: Member, outsider: Member, volunteer: Member, on_duty: Callable[..., tuple[Member, ...]]
) -> None:
    on_duty(volunteer)
    first = ask(outsider)
    clock_request = ask(member)
    view = actions.place_and_estimate(clock_request)
    assert view["place"] == 2 and view["on_duty"] == 1 and view["estimate_minutes"] == 10
    assert actions.place_and_estimate(first)["place"] == 1


def test_a_member_waits_once(member: Member, volunteer: Member, on_duty: Callable[..., tuple[Member, ...]]) -> None:
    on_duty(volunteer)
    ask(member)
    with pytest.raises(ActionError, match="already waiting"):
        ask(member)


def test_phone_needs_a_number(
    make_member: MakeMember, volunteer: Member, on_duty: Callable[..., tuple[Member, ...]]
) -> None:
    on_duty(volunteer)
    nobody = make_member("Quiet")
    with pytest.raises(ActionError, match="phone number"):
        actions.do_request_talk(nobody, mode=Mode.PHONE)


def test_supporters_must_take_the_longest_waiting_first_and_skips_are_recorded(
    member: Member,
    outsider: Member,
    volunteer: Member,
    man_peer_worker: Member,
    on_duty: Callable[..., tuple[Member, ...]],
    clock: TimeMachineFixture,
) -> None:
    on_duty(volunteer, man_peer_worker)
    older = ask(outsider)
    clock.shift(60)
    newer = ask(member)
    with pytest.raises(ActionError, match="waiting longer"):
        actions.do_accept_talk(volunteer, newer.pk)
    with pytest.raises(ActionError, match="why"):
        actions.do_skip_talk(volunteer, older.pk, "")
    actions.do_skip_talk(volunteer, older.pk, "I know them from work")
    assert TalkSkip.objects.get().reason == "I know them from work"
    assert AuditEntry.objects.filter(action="availability.talk.skipped", actor=volunteer).exists()
    accepted = actions.do_accept_talk(volunteer, newer.pk)
    assert accepted.state == TalkRequest.State.ACCEPTED and accepted.accepted_by == volunteer
    # The skipped person is still first for everyone else.
    assert actions.queue_for_supporter(man_peer_worker) == [older]


def test_urgent_requests_go_only_to_staff(
    member: Member, volunteer: Member, man_peer_worker: Member, on_duty: Callable[..., tuple[Member, ...]]
) -> None:
    on_duty(volunteer)
    urgent = ask(member, urgent=True)
    assert actions.queue_for_supporter(volunteer) == []
    with pytest.raises(ActionError, match="waiting for someone else"):
        actions.do_accept_talk(volunteer, urgent.pk)
    actions.do_check_in(man_peer_worker)
    assert actions.queue_for_supporter(man_peer_worker) == [urgent]
    assert actions.do_accept_talk(man_peer_worker, urgent.pk).accepted_by == man_peer_worker


def test_urgent_goes_before_people_who_waited_longer(
    member: Member,
    outsider: Member,
    man_peer_worker: Member,
    on_duty: Callable[..., tuple[Member, ...]],
    clock: TimeMachineFixture,
) -> None:
    on_duty(man_peer_worker)
    calm = ask(outsider)
    clock.shift(120)
    urgent = ask(member, urgent=True)
    assert actions.queue_for_supporter(man_peer_worker) == [urgent, calm]


def test_preferences_are_honoured_where_possible_then_anyone_helps(
    member: Member,
    woman_volunteer: Member,
    man_peer_worker: Member,
    on_duty: Callable[..., tuple[Member, ...]],
    clock: TimeMachineFixture,
) -> None:
    on_duty(woman_volunteer, man_peer_worker)
    request = ask(member, prefer_gender="woman")
    assert actions.queue_for_supporter(man_peer_worker) == []  # held for Ada while she's on
    assert actions.queue_for_supporter(woman_volunteer) == [request]
    clock.shift(4 * 60)  # past the grace period: whoever is free
    assert actions.queue_for_supporter(man_peer_worker) == [request]


def test_when_nobody_matches_the_member_is_told_and_chooses(
    client_for: ClientFor,
    member: Member,
    man_peer_worker: Member,
    on_duty: Callable[..., tuple[Member, ...]],
) -> None:
    on_duty(man_peer_worker)
    request = ask(member, prefer_gender="woman", strict_match=True)
    page = text(client_for(member).get(reverse("availability:talk")))
    assert "Nobody who matches your preferences is on duty right now" in page
    assert actions.queue_for_supporter(man_peer_worker) == []  # strict: waits for a match
    client_for(member).post(reverse("availability:talk_match", args=[request.pk]), {"strict": "no"})
    assert actions.queue_for_supporter(man_peer_worker) == [TalkRequest.objects.get(pk=request.pk)]


def test_someone_ive_talked_to_before(
    member: Member,
    woman_volunteer: Member,
    man_peer_worker: Member,
    on_duty: Callable[..., tuple[Member, ...]],
    clock: TimeMachineFixture,
) -> None:
    on_duty(woman_volunteer, man_peer_worker)
    first = ask(member)
    actions.do_accept_talk(man_peer_worker, first.pk)
    actions.do_close_talk(member, TalkRequest.objects.get(pk=first.pk))
    again = ask(member, prefer_previous=True, strict_match=True)
    assert actions.queue_for_supporter(woman_volunteer) == []
    assert actions.queue_for_supporter(man_peer_worker) == [again]


def test_workload_is_capped(
    make_member: MakeMember, volunteer: Member, on_duty: Callable[..., tuple[Member, ...]]
) -> None:
    on_duty(volunteer)
    SupporterProfile.objects.create(member=volunteer, max_open_conversations=2)
    people = [make_member(f"Person {i}") for i in range(3)]
    requests = [ask(p) for p in people]
    actions.do_accept_talk(volunteer, requests[0].pk)
    actions.do_accept_talk(volunteer, requests[1].pk)
    with pytest.raises(ActionError, match="2 open conversations"):
        actions.do_accept_talk(volunteer, requests[2].pk)


def test_a_request_is_answered_once(
    member: Member, volunteer: Member, man_peer_worker: Member, on_duty: Callable[..., tuple[Member, ...]]
) -> None:
    on_duty(volunteer, man_peer_worker)
    request = ask(member)
    actions.do_accept_talk(volunteer, request.pk)
    with pytest.raises(ActionError, match="already answered"):
        actions.do_accept_talk(man_peer_worker, request.pk)


def test_accepting_tells_the_member_and_only_the_member(
    member: Member,
    outsider: Member,
    volunteer: Member,
    on_duty: Callable[..., tuple[Member, ...]],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    on_duty(volunteer)
    request = ask(member)
    with capture_events() as events, django_capture_on_commit_callbacks(execute=True):
        actions.do_accept_talk(volunteer, request.pk)
    assert events.recipients_of("talk.accepted") == {member_group(member.pk)}
    assert all(member_group(outsider.pk) not in groups for groups, _ in events.sent)


def test_unanswered_requests_escalate_to_staff_then_coordinators(
    member: Member,
    volunteer: Member,
    man_peer_worker: Member,
    coordinator: Member,
    on_duty: Callable[..., tuple[Member, ...]],
    clock: TimeMachineFixture,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    on_duty(volunteer, man_peer_worker)
    request = ask(member)
    assert actions.escalate_due() == []
    clock.shift(timedelta(minutes=5, seconds=1))
    with capture_events() as events, django_capture_on_commit_callbacks(execute=True):
        assert actions.escalate_due() == [request.pk]
        assert actions.escalate_due() == []  # claimed once
    assert events.recipients_of("talk.escalated") == {member_group(man_peer_worker.pk)}  # staff, not the volunteer
    clock.shift(timedelta(minutes=5))
    with capture_events() as events, django_capture_on_commit_callbacks(execute=True):
        actions.escalate_due()
    assert events.recipients_of("talk.escalated") == {member_group(coordinator.pk)}
    run_deliveries()
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    assert TalkRequest.objects.get(pk=request.pk).escalation_level == 2
    clock.shift(timedelta(hours=1))
    assert actions.escalate_due() == []  # nothing further after the coordinator


# --- Authorization -----------------------------------------------------------------------------


def test_members_never_see_each_others_requests(
    client_for: ClientFor,
    member: Member,
    outsider: Member,
    volunteer: Member,
    on_duty: Callable[..., tuple[Member, ...]],
) -> None:
    on_duty(volunteer)
    request = ask(member, message="private words")
    assert "private words" not in text(client_for(outsider).get(reverse("availability:talk")))
    assert client_for(outsider).post(reverse("availability:talk_cancel", args=[request.pk])).status_code == 404
    assert TalkRequest.objects.get(pk=request.pk).state == TalkRequest.State.WAITING


@pytest.mark.parametrize("who", ["member", "outsider"])
def test_duty_desk_is_for_supporters(request: pytest.FixtureRequest, client_for: ClientFor, who: str) -> None:
    person = request.getfixturevalue(who)
    assert client_for(person).get(reverse("availability:duty")).status_code == 403


def test_supporters_see_requests_only_while_on_duty(
    client_for: ClientFor,
    member: Member,
    volunteer: Member,
    man_peer_worker: Member,
    on_duty: Callable[..., tuple[Member, ...]],
) -> None:
    on_duty(man_peer_worker)
    ask(member, message="please call")
    page = text(client_for(volunteer).get(reverse("availability:duty")))
    assert "please call" not in page and "Check in" in page
    actions.do_check_in(volunteer)
    assert "please call" in text(client_for(volunteer).get(reverse("availability:duty")))


def test_volunteers_never_see_urgent_request_details(
    client_for: ClientFor,
    member: Member,
    volunteer: Member,
    man_peer_worker: Member,
    on_duty: Callable[..., tuple[Member, ...]],
) -> None:
    on_duty(volunteer, man_peer_worker)
    ask(member, urgent=True, message="I can't keep myself safe")
    assert "keep myself safe" not in text(client_for(volunteer).get(reverse("availability:duty")))
    assert "keep myself safe" in text(client_for(man_peer_worker).get(reverse("availability:duty")))


def test_talk_page_asks_then_shows_the_queue(
    client_for: ClientFor,
    member: Member,
    volunteer: Member,
    on_duty: Callable[..., tuple[Member, ...]],
) -> None:
    on_duty(volunteer)
    client = client_for(member)
    assert "Ask to talk now" in text(client.get(reverse("availability:talk")))
    client.post(reverse("availability:talk"), {"mode": "phone", "phone_for_callback": "07700 900111"})
    assert "You're in the queue" in text(client.get(reverse("availability:talk")))


def test_home_page_says_whether_someone_is_on(
    client_for: ClientFor,
    member: Member,
    volunteer: Member,
    on_duty: Callable[..., tuple[Member, ...]],
) -> None:
    assert "Nobody from the team is online right now" in text(client_for(member).get(reverse("core:home")))
    on_duty(volunteer)
    assert "Someone is here now" in text(client_for(member).get(reverse("core:home")))


def test_only_supporters_can_check_in(member: Member) -> None:
    with pytest.raises(ActionError):
        actions.do_check_in(member)
    assert Role.MEMBER in member.roles


def test_accepting_a_text_request_opens_a_one_to_one_both_can_return_to(
    client_for: ClientFor,
    member: Member,
    volunteer: Member,
    on_duty: Callable[..., tuple[Member, ...]],
) -> None:
    from hearth.chat.models import Conversation

    on_duty(volunteer)
    request = actions.do_request_talk(member, mode=Mode.TEXT)
    response = client_for(volunteer).post(reverse("availability:duty"), {"action": "accept", "request": request.pk})
    conversation = Conversation.objects.get(member=member, supporter=volunteer)
    assert response["Location"] == reverse("chat:room", args=[conversation.room_id])
    page = text(client_for(member).get(reverse("availability:talk")))
    assert "Sam is here for you" in page and reverse("chat:room", args=[conversation.room_id]) in page
    assert client_for(member).get(reverse("chat:room", args=[conversation.room_id])).status_code == 200


def test_a_shift_running_with_nobody_checked_in_is_not_called_the_next_one(
    client_for: ClientFor,
    coordinator: Member,
    member: Member,
    volunteer: Member,
    man_peer_worker: Member,
    time_machine: TimeMachineFixture,
) -> None:
    friday_252 = datetime(2026, 11, 27, 14, 52, tzinfo=ZoneInfo("Europe/London"))
    time_machine.move_to(friday_252.replace(hour=9), tick=False)
    actions.do_add_shift_pattern(coordinator, volunteer, weekday=4, starts=time(14), ends=time(17))
    actions.do_add_shift_pattern(coordinator, man_peer_worker, weekday=4, starts=time(17), ends=time(20))
    time_machine.move_to(friday_252, tick=False)
    page = text(client_for(member).get(reverse("core:home")))
    assert "at 14:52" not in page
    assert "Someone is on the rota now but hasn't come online yet." in page
    due = next_scheduled_start()
    assert due is not None and due.strftime("%A %H:%M") == "Friday 17:00"  # the next person due, not "now"
