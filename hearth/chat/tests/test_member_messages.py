"""Messages between members: off until the organisation and both people choose them, screened like every
message (with the contact-sharing and meet-up warning), blocking, reporting, and staff reading only through
the audited review page once a report or a crisis has opened a conversation.

The cast (chat's conftest): Robin (``member``) and Sam (``volunteer``) are in Tuesday Makers with Priya
(``peer_worker``); Kit (``outsider``) is in no group with them. Here Robin and Kit write to each other as
members once Kit joins.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from hearth.chat import access, actions
from hearth.chat.models import Block, Conversation, ConversationKind, InboxEntry, Message, MessagesFrom
from hearth.community.models import Group, Membership
from hearth.core.errors import ActionError
from hearth.core.events import member_group
from hearth.core.models import AuditEntry, OrganisationSettings
from hearth.members.actions import do_update_organisation_settings
from hearth.members.models import Member
from hearth.safety.actions import do_report
from hearth.safety.models import CrisisAlert, ModerationItem
from hearth.testing import ClientFor, Events, MakeMember, text, visible_text

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def switched_on(coordinator: Member) -> None:
    do_update_organisation_settings(
        coordinator, open_signup=False, require_staff_two_factor=False, member_messages=True
    )


@pytest.fixture
def alex(make_member: MakeMember, group: Group, no_flood_limit: None) -> Member:
    """Alex: a member of Tuesday Makers who takes messages from other members."""
    alex: Member = make_member("Alex")
    Membership.objects.create(group=group, member=alex)
    actions.do_set_messages_from(alex, MessagesFrom.GROUPS)
    return alex


@pytest.fixture
def robin(member: Member, group: Group) -> Member:
    actions.do_set_messages_from(member, MessagesFrom.GROUPS)
    return member


@pytest.fixture
def chat(switched_on: None, robin: Member, alex: Member) -> Conversation:
    return actions.do_start_member_conversation(robin, alex)


# --- Off by default ------------------------------------------------------------------------------


def test_messages_between_members_are_off_until_the_organisation_turns_them_on(
    client_for: ClientFor, robin: Member, alex: Member
) -> None:
    assert OrganisationSettings.load().member_messages is False
    with pytest.raises(ActionError, match="aren't switched on"):
        actions.do_start_member_conversation(robin, alex)
    page = visible_text(client_for(robin).get(reverse("chat:message_someone")))
    assert "aren't switched on here" in page and "Alex" not in page
    assert "Message another member" not in visible_text(client_for(robin).get(reverse("chat:inbox")))


def test_a_member_who_hasnt_chosen_gets_no_messages_and_cant_send_any(
    switched_on: None, client_for: ClientFor, member: Member, alex: Member
) -> None:
    assert access.messages_from(member) == MessagesFrom.NOBODY  # nobody until she chooses
    with pytest.raises(ActionError, match="go both ways"):
        actions.do_start_member_conversation(member, alex)
    with pytest.raises(ActionError, match="isn't taking messages"):
        actions.do_start_member_conversation(alex, member)
    assert member not in access.people_to_message(alex)
    page = visible_text(client_for(member).get(reverse("chat:message_someone")))
    assert "choose to take messages from other members" in page


def test_a_member_chooses_in_her_settings_and_sees_who_she_can_write_to(
    switched_on: None, client_for: ClientFor, member: Member, alex: Member, outsider: Member
) -> None:
    robin = client_for(member)
    response = robin.post(reverse("chat:message_settings"), {"messages_from": "groups"})
    assert response.status_code == 302 and access.messages_from(member) == MessagesFrom.GROUPS
    actions.do_set_messages_from(outsider, MessagesFrom.GROUPS)  # open to messages, but shares no group
    page = visible_text(robin.get(reverse("chat:message_someone")))
    assert "Alex" in page and "Kit" not in page
    assert robin.post(reverse("chat:message_settings"), {"messages_from": "everyone!"}).status_code == 200


# --- Writing, screening, the contact and meet-up warning -----------------------------------------


def test_two_members_write_to_each_other_and_both_inboxes_hear(
    client_for: ClientFor, chat: Conversation, robin: Member, alex: Member, events: Events
) -> None:
    assert chat.kind == ConversationKind.PEER
    robin_client = client_for(robin)
    with events() as sent:
        response = robin_client.post(
            reverse("chat:send", args=[chat.room_id]), {"body": "Hi Alex, loved your scarf today", "client_id": "a"}
        )
    assert response.status_code == 302
    assert sent.recipients_of("inbox.changed") == {member_group(robin.pk), member_group(alex.pk)}
    assert InboxEntry.objects.get(room=chat.room, member=alex).unread == 1
    page = visible_text(client_for(alex).get(reverse("chat:inbox")))
    assert "Robin 1 unread" in page
    room = visible_text(client_for(alex).get(reverse("chat:room", args=[chat.room_id])))
    assert "loved your scarf" in room and "Block Robin" in room and "Report Robin" in room


def test_contact_details_in_a_message_between_members_bring_a_gentle_warning_and_a_review_item(
    client_for: ClientFor, chat: Conversation, robin: Member
) -> None:
    response = client_for(robin).post(
        reverse("chat:send", args=[chat.room_id]),
        {"body": "Text me on 07700 900456 and let's meet up", "client_id": "c"},
        follow=True,
    )
    assert "keep contact details and meet-ups off Hearth" in visible_text(response)
    message = Message.objects.get(room=chat.room, client_id="c")
    item = ModerationItem.objects.get(content_key="chat.message", object_id=message.pk)
    assert item.source == ModerationItem.Source.CONTACT
    assert any("phone number" in r for r in item.reasons)


def test_the_same_words_in_a_support_one_to_one_bring_no_contact_warning(
    switched_on: None, robin: Member, peer_worker: Member
) -> None:
    support = actions.do_open_conversation(robin, peer_worker, opened_by=robin)
    message, _ = actions.do_send_message(robin, support.room, "My number is 07700 900456", "s")
    assert message.screening.contact_warning == []
    assert not ModerationItem.objects.filter(source=ModerationItem.Source.CONTACT).exists()


def test_a_crisis_in_a_message_between_members_raises_the_one_alert(chat: Conversation, robin: Member) -> None:
    message, _ = actions.do_send_message(robin, chat.room, "I want to end my life tonight", "x")
    assert message.screening.show_crisis_support
    assert CrisisAlert.objects.filter(member=robin).exists()


def test_editing_a_message_between_members_is_screened_for_contact_details_too(
    chat: Conversation, robin: Member
) -> None:
    message, _ = actions.do_send_message(robin, chat.room, "See you at the group", "e")
    edited = actions.do_edit_message(robin, message, "Add me on snapchat, same name")
    assert edited.screening.contact_warning


# --- Blocking --------------------------------------------------------------------------------------


def test_blocking_stops_messages_both_ways_and_the_blocked_person_isnt_told(
    client_for: ClientFor, chat: Conversation, robin: Member, alex: Member, events: Events
) -> None:
    actions.do_send_message(alex, chat.room, "Hey Robin", "h")
    with events() as sent:
        response = client_for(robin).post(reverse("chat:block_member", args=[alex.pk]))
    assert response.status_code == 302
    assert Block.objects.filter(blocker=robin, blocked=alex).exists()
    assert member_group(alex.pk) not in {g for groups, _ in sent.sent for g in groups}  # nothing goes to Alex
    with pytest.raises(ActionError, match="closed"):
        actions.do_send_message(alex, chat.room, "Hello?", "h2")
    with pytest.raises(ActionError, match="closed"):
        actions.do_send_message(robin, chat.room, "Bye", "h3")
    with pytest.raises(ActionError, match="can't send messages to Robin"):
        actions.do_start_member_conversation(alex, robin)
    assert robin not in access.people_to_message(alex)
    # Both can still read what was written; neither sees a send form.
    page = text(client_for(alex).get(reverse("chat:room", args=[chat.room_id])))
    assert "Hey Robin" in page and 'id="send-form" class="chat-send" hidden' in page
    assert "Robin blocked" not in page
    audit = AuditEntry.objects.get(action="chat.member.blocked")
    assert audit.actor_id == robin.pk and audit.subject_id == alex.pk


def test_unblocking_lets_them_start_again(
    client_for: ClientFor, chat: Conversation, robin: Member, alex: Member
) -> None:
    actions.do_block(robin, alex)
    settings_page = visible_text(client_for(robin).get(reverse("chat:message_settings")))
    assert "Alex Unblock" in settings_page
    client_for(robin).post(reverse("chat:unblock_member", args=[alex.pk]))
    again = actions.do_start_member_conversation(alex, robin)
    assert again.pk != chat.pk and again.closed_at is None


# --- Reporting and the staff review ---------------------------------------------------------------


def test_staff_cannot_read_a_conversation_between_members_until_a_report_opens_it(
    client_for: ClientFor, chat: Conversation, robin: Member, alex: Member, peer_worker: Member
) -> None:
    message, _ = actions.do_send_message(alex, chat.room, "You should stop coming to the group", "r")
    priya = client_for(peer_worker)
    url = reverse("chat:review", args=[chat.pk])
    assert priya.get(url).status_code == 403
    assert priya.get(reverse("chat:room", args=[chat.room_id])).status_code == 404

    do_report(robin, content_key="chat.message", object_id=message.pk, reason="This upset me")
    page = visible_text(priya.get(url))
    assert "a report or a safety check about a message in it" in page
    assert "stop coming" not in page  # not until a reason is given
    assert not AuditEntry.objects.filter(action="chat.conversation.reviewed").exists()

    refused = visible_text(priya.post(url, {"reason": "look"}))
    assert "stop coming" not in refused
    page = visible_text(priya.post(url, {"reason": "Robin reported a message; checking the context"}))
    assert "You should stop coming to the group" in page
    entry = AuditEntry.objects.get(action="chat.conversation.reviewed")
    assert entry.actor_id == peer_worker.pk and "checking the context" in entry.data["reason"]


def test_the_moderation_queue_links_a_reported_message_to_the_review_page(
    client_for: ClientFor, chat: Conversation, robin: Member, alex: Member, peer_worker: Member
) -> None:
    message, _ = actions.do_send_message(alex, chat.room, "Go away", "q")
    report = do_report(robin, content_key="chat.message", object_id=message.pk, reason="Unkind")
    page = text(client_for(peer_worker).get(reverse("safety:item", args=[report.item_id])))
    assert reverse("chat:review", args=[chat.pk]) in page


def test_a_crisis_alert_opens_the_conversations_of_that_person(
    client_for: ClientFor, chat: Conversation, robin: Member, peer_worker: Member
) -> None:
    actions.do_send_message(robin, chat.room, "I want to end my life tonight", "x")
    page = visible_text(client_for(peer_worker).get(reverse("chat:review", args=[chat.pk])))
    assert "a crisis alert about one of the two people" in page


def test_a_member_can_report_the_other_person(
    client_for: ClientFor, chat: Conversation, robin: Member, alex: Member
) -> None:
    page = client_for(robin).get(f"{reverse('safety:report')}?content=members.member&id={alex.pk}")
    assert page.status_code == 200 and "Alex" in visible_text(page)


# --- Who may see what -------------------------------------------------------------------------------


def test_nobody_else_reads_a_conversation_between_members(
    client_for: ClientFor, chat: Conversation, alex: Member, outsider: Member, volunteer: Member, coordinator: Member
) -> None:
    actions.do_send_message(alex, chat.room, "Just between us", "p")
    for person in (outsider, volunteer, coordinator):
        assert client_for(person).get(reverse("chat:room", args=[chat.room_id])).status_code == 404
        assert "Just between us" not in visible_text(client_for(person).get(reverse("chat:inbox")))


def test_volunteers_and_members_never_use_the_review_page(
    client_for: ClientFor, chat: Conversation, robin: Member, alex: Member, volunteer: Member, outsider: Member
) -> None:
    message, _ = actions.do_send_message(alex, chat.room, "Go away", "v")
    do_report(robin, content_key="chat.message", object_id=message.pk, reason="Unkind")
    url = reverse("chat:review", args=[chat.pk])
    for person in (volunteer, outsider, robin, alex):
        assert client_for(person).get(url).status_code == 403
        assert client_for(person).post(url, {"reason": "Just curious about this one"}).status_code == 403
    assert client_for(None).get(url).status_code == 302  # to sign in
    assert not AuditEntry.objects.filter(action="chat.conversation.reviewed").exists()


def test_starting_or_blocking_someone_you_dont_know_here_is_a_404(
    switched_on: None, client_for: ClientFor, robin: Member, outsider: Member
) -> None:
    actions.do_set_messages_from(outsider, MessagesFrom.GROUPS)
    kit = client_for(outsider)
    for name in ("start_member_conversation", "block_member", "unblock_member"):
        assert kit.post(reverse(f"chat:{name}", args=[robin.pk])).status_code == 404
    assert kit.post(reverse("chat:start_member_conversation", args=[outsider.pk])).status_code == 404
    assert kit.get(reverse("chat:start_member_conversation", args=[robin.pk])).status_code == 405


def test_the_pages_need_signing_in(client_for: ClientFor, robin: Member) -> None:
    anonymous = client_for(None)
    for name in ("message_settings", "message_someone"):
        assert anonymous.get(reverse(f"chat:{name}")).status_code == 302
    assert anonymous.post(reverse("chat:block_member", args=[robin.pk])).status_code == 302


def test_the_coordinator_turns_messages_between_members_on_and_it_is_audited(
    client_for: ClientFor, coordinator: Member, member: Member
) -> None:
    response = client_for(coordinator).post(reverse("members:settings"), {"member_messages": "on"})
    assert response.status_code == 302 and OrganisationSettings.load().member_messages
    assert "messages between members on" in AuditEntry.objects.get(action="core.settings.changed").data["changes"]
    assert client_for(member).post(reverse("members:settings"), {"member_messages": ""}).status_code == 403
