"""Calls: a one-to-one becomes a phone or a video call.

Phone: staff only; the member's number is on no page until the supporter asks for it, and each look is audited.
Video: only on the organisation's own server (HEARTH_VIDEO_URL), in a room nobody can guess, linked only from a
page the two people can open. Talk-now requests and bookings by phone or video start their call.

Cast: Priya (``peer_worker``) supports Robin (``member``, who has a number in her profile); Sam (``volunteer``)
supports by text and video; Kit (``outsider``) is in neither conversation; Jo (``coordinator``) runs things.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from pytest_django import Settings
from time_machine import TimeMachineFixture

from hearth.availability import actions as talk
from hearth.availability.models import Mode
from hearth.chat import actions
from hearth.chat.models import Call, CallOutcome, Conversation
from hearth.conf import env_url
from hearth.core.errors import ActionError
from hearth.core.models import AuditEntry, Notification
from hearth.members.models import Member
from hearth.testing import ClientFor, visible_text

MONDAY = datetime(2027, 2, 1, 9, 0, tzinfo=ZoneInfo("Europe/London"))
VIDEO = "https://meet.example.org"


@pytest.fixture(autouse=True)
def monday(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(MONDAY, tick=False)


@pytest.fixture
def video(settings: Settings) -> str:
    """The organisation runs its own Jitsi server."""
    settings.HEARTH_VIDEO_URL = VIDEO
    return VIDEO


@pytest.fixture
def conversation(member: Member, peer_worker: Member) -> Conversation:
    return actions.do_open_conversation(member, peer_worker, opened_by=peer_worker)


# --- Phone --------------------------------------------------------------------------------------


def test_the_supporter_phones_from_the_conversation_and_the_member_is_told(
    client_for: ClientFor, member: Member, peer_worker: Member, conversation: Conversation
) -> None:
    priya = client_for(peer_worker)
    room = visible_text(priya.get(reverse("chat:room", args=[conversation.room_id])))
    assert "Phone Robin" in room and "Start a video call" not in room  # no video service here
    response = priya.post(reverse("chat:start_call", args=[conversation.pk]), {"way": "phone"}, follow=True)
    call = Call.objects.get()
    assert response.redirect_chain[-1][0] == reverse("chat:call", args=[call.pk])
    page = visible_text(response)
    assert "07700 900123" not in page and "Show Robin's number" in page
    told = Notification.objects.get(member=member, kind="chat.call")
    assert told.text == "Priya will phone you in a moment." and told.url == reverse("chat:call", args=[call.pk])
    own = visible_text(client_for(member).get(told.url))
    assert "Priya will phone you on the number in your profile" in own and "07700" not in own


def test_the_number_is_shown_on_an_audited_read_and_only_to_the_supporter(
    client_for: ClientFor, member: Member, peer_worker: Member, coordinator: Member, conversation: Conversation
) -> None:
    call = actions.do_start_call(peer_worker, conversation, "phone")
    url = reverse("chat:call", args=[call.pk])
    shown = visible_text(client_for(peer_worker).post(url, {"action": "number"}))
    assert "07700 900123" in shown
    assert AuditEntry.objects.filter(action="chat.call.number_viewed", actor=peer_worker, subject=member).count() == 1
    # Robin herself can't ask for it through the call (it is her own number, but the page is not for that).
    assert "07700" not in visible_text(client_for(member).post(url, {"action": "number"}))
    # Nobody outside the conversation reaches the call at all, staff included.
    assert client_for(coordinator).get(url).status_code == 404
    assert client_for(coordinator).post(url, {"action": "number"}).status_code == 404
    assert AuditEntry.objects.filter(action="chat.call.number_viewed").count() == 1


def test_a_number_given_for_a_talk_now_call_back_is_the_one_shown(
    member: Member, peer_worker: Member, clock_on_duty: None
) -> None:
    talk.do_check_in(peer_worker)
    request = talk.do_request_talk(member, mode=Mode.PHONE, phone_for_callback="07700 900555")
    accepted = talk.do_accept_talk(peer_worker, request.pk)
    call = Call.objects.get()
    assert accepted.conversation_room_id == call.conversation.room_id and call.way == "phone"
    assert actions.call_number(peer_worker, call) == "07700 900555"


def test_volunteers_never_phone_members(
    client_for: ClientFor, member: Member, volunteer: Member, clock_on_duty: None
) -> None:
    conversation = actions.do_open_conversation(member, volunteer, opened_by=volunteer)
    with pytest.raises(ActionError, match="Phone calls are made by peer workers"):
        actions.do_start_call(volunteer, conversation, "phone")
    assert "Phone Robin" not in visible_text(
        client_for(volunteer).get(reverse("chat:room", args=[conversation.room_id]))
    )
    response = client_for(volunteer).post(reverse("chat:start_call", args=[conversation.pk]), {"way": "phone"})
    assert response.status_code == 302 and not Call.objects.exists()
    with pytest.raises(ActionError, match="Phone calls are made by peer workers"):
        actions.do_publish_slot(volunteer, starts_at=MONDAY + timedelta(days=1), minutes=30, way="phone")
    # Talk now: a phone request is never offered to a volunteer, whatever their profile says.
    talk.do_check_in(volunteer)
    talk.do_request_talk(member, mode=Mode.PHONE, phone_for_callback="07700 900555")
    assert talk.queue_for_supporter(volunteer) == []


def test_members_cannot_start_calls(client_for: ClientFor, member: Member, conversation: Conversation) -> None:
    with pytest.raises(ActionError, match="Only the supporter"):
        actions.do_start_call(member, conversation, "phone")
    client_for(member).post(reverse("chat:start_call", args=[conversation.pk]), {"way": "phone"})
    assert not Call.objects.exists()


def test_outsiders_cannot_start_a_call_in_someone_elses_conversation(
    client_for: ClientFor, outsider: Member, conversation: Conversation
) -> None:
    response = client_for(outsider).post(reverse("chat:start_call", args=[conversation.pk]), {"way": "phone"})
    assert response.status_code == 404 and not Call.objects.exists()
    assert (
        client_for(None).post(reverse("chat:start_call", args=[conversation.pk]), {"way": "phone"}).status_code == 302
    )


def test_the_supporter_records_the_call_and_bad_values_are_clear_errors(
    client_for: ClientFor, member: Member, peer_worker: Member, conversation: Conversation
) -> None:
    call = actions.do_start_call(peer_worker, conversation, "phone")
    url = reverse("chat:call", args=[call.pk])
    priya = client_for(peer_worker)
    bad = visible_text(priya.post(url, {"action": "record", "outcome": "great", "minutes": "-3"}))
    assert "Select a valid choice" in bad and "greater than or equal to 0" in bad
    assert "Thank you: the call is recorded" in visible_text(
        priya.post(url, {"action": "record", "outcome": "talked", "minutes": "25"}, follow=True)
    )
    call.refresh_from_db()
    assert (call.outcome, call.minutes) == (CallOutcome.TALKED, 25)
    assert AuditEntry.objects.filter(action="chat.call.recorded", subject=member).exists()
    client_for(member).post(url, {"action": "record", "outcome": "no_answer"})
    call.refresh_from_db()
    assert call.outcome == CallOutcome.TALKED  # only the supporter records it
    assert client_for(peer_worker).post(url, {"action": "bogus"}).status_code == 200


# --- Video --------------------------------------------------------------------------------------


def test_no_video_calls_without_the_organisations_own_server(peer_worker: Member, conversation: Conversation) -> None:
    with pytest.raises(ActionError, match="organisation's own video service"):
        actions.do_start_call(peer_worker, conversation, "video")
    with pytest.raises(ActionError, match="organisation's own video service"):
        actions.do_publish_slot(peer_worker, starts_at=MONDAY + timedelta(days=1), minutes=30, way="video")


def test_a_video_call_is_a_room_nobody_can_guess_on_the_organisations_server(
    client_for: ClientFor, member: Member, peer_worker: Member, outsider: Member, conversation: Conversation, video: str
) -> None:
    first = actions.do_start_call(peer_worker, conversation, "video")
    second = actions.do_start_call(peer_worker, conversation, "video")
    assert re.fullmatch(r"hearth-[0-9a-f]{32}", first.video_room) and first.video_room != second.video_room
    url = reverse("chat:call", args=[first.pk])
    for person in (member, peer_worker):
        html = client_for(person).get(url).content.decode()
        assert f'href="{VIDEO}/{first.video_room}"' in html and 'rel="noopener noreferrer"' in html
        assert '<script src="https://' not in html and "<iframe" not in html  # nothing from elsewhere on our page
    assert client_for(outsider).get(url).status_code == 404
    # The room name is in no notification, message or email: only on the call's page.
    assert first.video_room not in Notification.objects.get(member=member, kind="chat.call", about_id=first.pk).text
    room = client_for(member).get(reverse("chat:room", args=[conversation.room_id])).content.decode()
    assert first.video_room not in room and reverse("chat:call", args=[first.pk]) in room


def test_video_talk_now_requests_only_when_the_organisation_has_a_server(
    settings: Settings, member: Member, peer_worker: Member, clock_on_duty: None
) -> None:
    talk.do_check_in(peer_worker)
    request = talk.do_request_talk(member, mode=Mode.VIDEO)
    assert talk.queue_for_supporter(peer_worker) == []  # nobody can offer video here
    settings.HEARTH_VIDEO_URL = VIDEO
    assert talk.queue_for_supporter(peer_worker) == [request]
    talk.do_accept_talk(peer_worker, request.pk)
    assert Call.objects.get().way == "video"


def test_a_booked_video_slot_opens_with_its_call(member: Member, peer_worker: Member, video: str) -> None:
    slot = actions.do_publish_slot(peer_worker, starts_at=MONDAY + timedelta(hours=3), minutes=30, way="video")
    actions.do_book_slot(member, slot.pk)
    actions.open_booked_slots(now=slot.starts_at - timedelta(minutes=2))
    call = Call.objects.get()
    assert call.slot_id == slot.pk and call.way == "video" and call.video_room


def test_a_phone_booking_needs_a_number(outsider: Member, member: Member, peer_worker: Member) -> None:
    slot = actions.do_publish_slot(peer_worker, starts_at=MONDAY + timedelta(hours=3), minutes=30, way="phone")
    with pytest.raises(ActionError, match="add it to your profile"):
        actions.do_book_slot(outsider, slot.pk)
    actions.do_book_slot(member, slot.pk)
    actions.open_booked_slots(now=slot.starts_at)
    assert Call.objects.get().way == "phone"


@pytest.mark.parametrize(
    "value",
    ["http://meet.example.org", "meet.example.org", "https://meet.example.org/?x=1", "ftp://meet.example.org"],
)
def test_a_video_server_that_is_not_a_plain_https_address_is_refused_at_start_up(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("HEARTH_VIDEO_URL", value)
    with pytest.raises(ImproperlyConfigured, match="HEARTH_VIDEO_URL"):
        env_url("HEARTH_VIDEO_URL")


def test_a_plain_https_address_is_kept_without_its_slash(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEARTH_VIDEO_URL", "https://meet.example.org/")
    assert env_url("HEARTH_VIDEO_URL") == VIDEO
    monkeypatch.setenv("HEARTH_VIDEO_URL", "")
    assert env_url("HEARTH_VIDEO_URL") == ""


@pytest.fixture
def clock_on_duty(time_machine: TimeMachineFixture) -> None:
    """A Monday evening, inside service hours, for talk-now requests."""
    time_machine.move_to(MONDAY.replace(hour=19), tick=False)
