"""The plain-HTML room, one-to-ones, drop-ins, gatherings and facilitation, through actions and views."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.core import mail
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks, Settings

from hearth.chat import actions
from hearth.chat.access import access_conversation, access_room, dominant_speaker, room_channel, talk_share
from hearth.chat.models import Attendance, FollowUp, Gathering, GatheringFormat, Message, Prompt, Room, Rsvp
from hearth.community.models import Group
from hearth.core.errors import ActionError
from hearth.core.events import capture_events, member_group
from hearth.core.models import AuditEntry, Notification
from hearth.members import data_rights
from hearth.members.models import Member
from hearth.testing import ClientFor, run_deliveries, visible_text


def test_room_page_shows_history_newest_page_first_and_sends_without_javascript(
    client_for: ClientFor, room: Room, member: Member, no_flood_limit: None
) -> None:
    for i in range(60):
        actions.do_send_message(member, room, f"message number {i}", f"c{i}")
    client = client_for(member)
    page = visible_text(client.get(reverse("chat:room", args=[room.pk])))
    assert "message number 59" in page and "message number 10" in page and "message number 9 " not in page
    assert "Older messages" in page
    older = visible_text(client.get(reverse("chat:room", args=[room.pk]) + "?page=2"))
    assert "message number 9 " in older and "message number 59" not in older
    send = reverse("chat:send", args=[room.pk])
    for _ in range(2):  # a double click sends the same client_id twice
        response = client.post(send, {"body": "Sent with no JavaScript", "client_id": "form-1"})
        assert response.status_code == 302
    assert [m.body for m in Message.objects.filter(room=room)].count("Sent with no JavaScript") == 1  # encrypted


def test_outsider_gets_404_for_every_room_page_and_action(
    client_for: ClientFor, room: Room, member: Member, outsider: Member
) -> None:
    message, _ = actions.do_send_message(member, room, "private to the group", "p")
    client = client_for(outsider)
    for url in (
        reverse("chat:room", args=[room.pk]),
        reverse("chat:room", args=[room.pk + 1000]),
        reverse("chat:edit", args=[message.pk]),
        reverse("chat:group_room", args=[room.group_id]),
    ):
        assert client.get(url).status_code == 404
    for url in (reverse("chat:send", args=[room.pk]), reverse("chat:delete", args=[message.pk])):
        assert client.post(url, {"body": "hi"}).status_code == 404
    assert Message.objects.count() == 1


def test_author_edits_and_deletes_within_ten_minutes_only(room: Room, member: Member, volunteer: Member) -> None:
    message, _ = actions.do_send_message(member, room, "first try", "e")
    actions.do_edit_message(member, message, "second try")
    with pytest.raises(ActionError, match="your own"):
        actions.do_edit_message(volunteer, message, "not mine")
    with time_machine.travel(timezone.now() + timedelta(minutes=11)), pytest.raises(ActionError, match="10 minutes"):
        actions.do_delete_message(member, message)
    actions.do_delete_message(member, message)
    message.refresh_from_db()
    assert message.body == "" and message.deleted_at and message.changed_seq == 3


def test_moderator_hide_is_audited_and_members_cannot_hide(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    room: Room,
    member: Member,
    volunteer: Member,
    peer_worker: Member,
) -> None:
    message, _ = actions.do_send_message(volunteer, room, "something unkind", "u")
    with pytest.raises(ActionError, match="Only moderators"):
        actions.do_hide_message(member, message)
    with capture_events() as events, django_capture_on_commit_callbacks(execute=True):
        actions.do_hide_message(peer_worker, message, "unkind")
    assert events.recipients_of("chat.message.changed") == {room_channel(room.pk)}
    entry = AuditEntry.objects.get(action="chat.message.hidden")
    assert entry.actor == peer_worker and entry.subject == volunteer and entry.data["reason"] == "unkind"


def test_db_flood_check_holds_without_the_connection_bucket(room: Room, member: Member) -> None:
    for i in range(actions.RATE_COUNT):
        actions.do_send_message(member, room, f"quick {i}", f"q{i}")
    with pytest.raises(actions.RateLimited):
        actions.do_send_message(member, room, "one too many", "q-extra")
    with time_machine.travel(timezone.now() + timedelta(seconds=6)):
        actions.do_send_message(member, room, "calmer now", "q-later")


def test_one_to_one_is_reused_and_private(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    member: Member,
    volunteer: Member,
    outsider: Member,
    client_for: ClientFor,
) -> None:
    with capture_events() as events, django_capture_on_commit_callbacks(execute=True):
        first = actions.do_open_conversation(member, volunteer, opened_by=member, reason="talk now")
    # The one who opened it isn't told about it; the other person is.
    assert events.recipients_of("notification.new") == {member_group(volunteer.pk)}
    assert Notification.objects.get(kind="chat.conversation").member == volunteer
    again = actions.do_open_conversation(volunteer, member, opened_by=volunteer)
    assert again.pk == first.pk
    assert access_conversation(volunteer, first.pk) == first
    assert access_room(member, first.room_id) == first.room
    with pytest.raises(Http404):
        access_conversation(outsider, first.pk)
    assert client_for(outsider).get(reverse("chat:room", args=[first.room_id])).status_code == 404
    with pytest.raises(ActionError, match="volunteer or a member of staff"):
        actions.do_open_conversation(volunteer, outsider, opened_by=volunteer)


def test_drop_in_pings_the_host_and_shows_on_members_home_page(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    group: Group,
    volunteer: Member,
    member: Member,
    outsider: Member,
    client_for: ClientFor,
    settings: Settings,
) -> None:
    settings.EMAIL_HOST = "smtp.example.org"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    tuesday_7pm = datetime(2026, 12, 1, 19, 15, tzinfo=timezone.get_current_timezone())  # a Tuesday
    with pytest.raises(ActionError, match="host"):
        actions.do_create_drop_in(member, group.pk, title="x", weekday=1, opens_at=time(19), closes_at=time(20))
    with capture_events() as events, django_capture_on_commit_callbacks(execute=True):
        drop_in = actions.do_create_drop_in(
            volunteer, group.pk, title="Tuesday drop-in", weekday=1, opens_at=time(19), closes_at=time(20)
        )
    assert events.recipients_of("chat.drop_in.announced") == {f"group.{group.pk}"}
    assert drop_in.hours_label() == "Tuesdays, 7 pm to 8 pm"
    with time_machine.travel(tuesday_7pm, tick=False):
        with capture_events() as events, django_capture_on_commit_callbacks(execute=True):
            actions.do_enter_room(member, drop_in.room, "chan-1")
        arrived = [e for g, e in events.sent if e["kind"] == "chat.drop_in.arrived"]
        assert arrived and arrived[0]["name"] == "Robin"
        assert events.recipients_of("chat.drop_in.arrived") == {member_group(volunteer.pk)}
        home = visible_text(client_for(member).get("/"))
        assert "Tuesday drop-in (Tuesday Makers): drop-in open now — 1 person here" in home
        assert "drop-in open now" not in visible_text(client_for(outsider).get("/"))
        run_deliveries()
    assert len(mail.outbox) == 1 and "Robin has arrived" in mail.outbox[0].subject
    with time_machine.travel(tuesday_7pm + timedelta(hours=1), tick=False):
        assert "drop-in open now" not in visible_text(client_for(member).get("/"))


def test_gathering_rsvp_reminder_goes_once(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    group: Group,
    volunteer: Member,
    member: Member,
    peer_worker: Member,
) -> None:
    start = timezone.now() + timedelta(days=1)
    with pytest.raises(ActionError, match="online volunteer"):
        actions.do_schedule_gathering(
            volunteer,
            group.pk,
            title="Games",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            format=GatheringFormat.HYBRID,
            place="Café",
        )
    gathering = actions.do_schedule_gathering(
        volunteer,
        group.pk,
        title="Games",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        format=GatheringFormat.HYBRID,
        place="Café",
        online_volunteer=peer_worker,
    )
    assert gathering.room is not None and gathering.facilitator == volunteer
    with pytest.raises(ActionError, match="hosts and supporters"):
        actions.do_schedule_gathering(member, group.pk, title="x", starts_at=start, ends_at=start + timedelta(hours=1))
    actions.do_rsvp(member, gathering, "listen", remind_minutes_before=60, joining="online")
    rsvp = Rsvp.objects.get(member=member)
    assert rsvp.due_at == start - timedelta(minutes=60)
    assert actions.send_due_reminders(timezone.now()) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.send_due_reminders(start - timedelta(minutes=59)) == 1
        assert actions.send_due_reminders(start - timedelta(minutes=58)) == 0  # claimed once
    run_deliveries()
    assert len(mail.outbox) == 1 and "Games" in mail.outbox[0].subject
    with time_machine.travel(start + timedelta(minutes=5)):
        actions.do_enter_room(member, gathering.room, "c")
    assert Attendance.objects.get(gathering=gathering, member=member).how == "online"


@pytest.fixture
def circle(group: Group, volunteer: Member) -> Gathering:
    """Evening circle, hosted by Sam (``volunteer``), ten minutes in."""
    start = timezone.now() - timedelta(minutes=10)
    gathering = actions.do_schedule_gathering(
        volunteer, group.pk, title="Evening circle", starts_at=start, ends_at=start + timedelta(hours=1)
    )
    assert gathering.room is not None
    return gathering


def _room_of(gathering: Gathering) -> Room:
    assert gathering.room is not None
    return gathering.room


def test_blank_prompts_are_left_out_of_the_facilitators_list(coordinator: Member) -> None:
    actions.do_set_prompts(coordinator, ["What went OK this week?", "  ", "What are you reading?"])
    assert list(Prompt.objects.values_list("text", flat=True)) == ["What went OK this week?", "What are you reading?"]


def test_only_the_rooms_facilitator_lowers_a_raised_hand(
    circle: Gathering, volunteer: Member, member: Member, peer_worker: Member
) -> None:
    room = _room_of(circle)
    actions.do_raise_hand(member, room)
    with pytest.raises(ActionError):
        actions.do_clear_hand(peer_worker, room, member.pk)  # not facilitating this room
    actions.do_clear_hand(volunteer, room, member.pk)


def test_the_facilitation_panel_shows_hands_and_who_spoke_to_the_facilitator_only(
    client_for: ClientFor, circle: Gathering, volunteer: Member, member: Member
) -> None:
    room = _room_of(circle)
    actions.do_raise_hand(member, room)
    actions.do_send_message(member, room, "one two three four", "m1")
    page = visible_text(client_for(volunteer).get(reverse("chat:room", args=[room.pk])))
    assert "Facilitation" in page and "Lower Robin's hand" in page
    assert "Robin new 100 1 message, 4 words" in page.replace("%", "")
    assert "Facilitation" not in visible_text(client_for(member).get(reverse("chat:room", args=[room.pk])))


def test_a_prompt_and_the_closing_round_follow_the_conversation_in_the_room(
    circle: Gathering, volunteer: Member, member: Member, coordinator: Member
) -> None:
    room = _room_of(circle)
    actions.do_set_prompts(coordinator, ["What went OK this week?"])
    actions.do_send_message(member, room, "one two three four", "m1")
    prompt = Prompt.objects.get()
    actions.do_send_prompt(volunteer, room, prompt.pk)
    actions.do_start_closing_round(volunteer, room)
    kinds = list(Message.objects.filter(room=room).order_by("seq").values_list("kind", flat=True))
    assert kinds == ["text", "prompt", "closing"]


def test_a_private_hand_off_reaches_the_person_and_supporter_and_not_the_room(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    circle: Gathering,
    volunteer: Member,
    member: Member,
    peer_worker: Member,
) -> None:
    from hearth.care.models import CareItem

    room = _room_of(circle)
    with capture_events() as events, django_capture_on_commit_callbacks(execute=True):
        follow_up = actions.do_hand_off(volunteer, room, member, peer_worker, "seemed upset")
    assert room_channel(room.pk) not in {g for groups, _ in events.sent for g in groups}  # the room sees nothing
    # The person hears it in kind words, the supporter that a one-to-one is open; nobody else hears anything.
    assert events.recipients_of("notification.new") == {member_group(member.pk), member_group(peer_worker.pk)}
    assert Notification.objects.filter(member=member, kind="chat.handoff").exists()
    assert follow_up.conversation is not None
    assert FollowUp.objects.get() == follow_up and follow_up.conversation.supporter == peer_worker
    assert CareItem.objects.get(member=member, source="hand-off").reason.startswith("Offered a one-to-one from")
    assert AuditEntry.objects.filter(action="chat.handoff.made", subject=member).exists()


def test_only_the_facilitator_hands_someone_off(
    circle: Gathering, volunteer: Member, member: Member, peer_worker: Member
) -> None:
    with pytest.raises(ActionError):
        actions.do_hand_off(member, _room_of(circle), volunteer, peer_worker)
    assert not FollowUp.objects.exists()


def test_staff_read_the_facilitators_notes_and_hand_offs_and_members_do_not(
    client_for: ClientFor, circle: Gathering, volunteer: Member, member: Member, peer_worker: Member
) -> None:
    actions.do_hand_off(volunteer, _room_of(circle), member, peer_worker, "seemed upset")
    actions.do_save_notes(volunteer, circle, "Quiet start, lovely closing round.")
    # Staff read the notes as members of the group (the community rule: staff join to see group content).
    staff_page = visible_text(client_for(peer_worker).get(reverse("chat:gathering", args=[circle.pk])))
    assert "lovely closing round" in staff_page and "Robin with Priya: seemed upset" in staff_page
    member_page = visible_text(client_for(member).get(reverse("chat:gathering", args=[circle.pk])))
    assert "lovely closing round" not in member_page


def test_export_and_erase_chat(room: Room, member: Member, volunteer: Member) -> None:
    actions.do_send_message(member, room, "my words", "x")
    conversation = actions.do_open_conversation(member, volunteer, opened_by=member)
    actions.do_send_message(member, conversation.room, "just between us", "y")
    exported = data_rights.export_member(member)
    assert {m["text"] for m in exported["chat_messages"]} == {"my words", "just between us"}
    data_rights.erase_member(member)
    assert not Message.objects.filter(body__in=["my words", "just between us"]).exists()
    assert Message.objects.filter(room=room, sender=None, body="").count() == 1


def test_the_facilitator_is_told_gently_when_one_voice_takes_over(
    client_for: ClientFor,
    volunteer: Member,
    member: Member,
    peer_worker: Member,
    room: Room,
    no_flood_limit: None,
) -> None:
    since = timezone.now() - timedelta(hours=1)
    actions.do_send_message(member, room, "Hello", "a")
    actions.do_send_message(peer_worker, room, "Hi both", "b")
    long = " ".join(["word"] * 60)
    actions.do_send_message(volunteer, room, long, "c")
    shares = talk_share(room, since)
    speaker = dominant_speaker(shares)
    assert speaker is not None and speaker.name == "Sam"
    page = visible_text(client_for(volunteer).get(reverse("chat:room", args=[room.pk])))
    assert "Sam has written 95% of the words so far." in page and "1 message, 1 word" in page
    actions.do_send_message(member, room, long, "d")
    assert dominant_speaker(talk_share(room, since)) is None  # two people sharing the talk is fine


def test_the_room_page_gives_its_script_what_live_messages_need_for_their_tools(
    client_for: ClientFor, member: Member, room: Room
) -> None:
    page = client_for(member).get(reverse("chat:room", args=[room.pk])).content.decode()
    assert f'data-edit-url="{reverse("chat:edit", args=[0])}"' in page
    assert f'data-delete-url="{reverse("chat:delete", args=[0])}"' in page
    assert f'data-report-url="{reverse("safety:report")}?content=chat.message&amp;id="' in page
    assert 'data-moderate="0"' in page and 'data-edit-minutes="10"' in page
