"""Buddy pairing: members ask for a buddy with what they'd like, a coordinator suggests pairs that meet both
people's wishes, both accept, they write to each other, weekly check-in prompts, and either ends it kindly.

Cast: Robin (``member``) and Alex ask for buddies; Jo (``coordinator``) pairs people; Kit (``outsider``)
never sees anyone's pairing; Sam (``volunteer``) may not pair people.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from time_machine import TimeMachineFixture

from hearth.chat import actions
from hearth.chat.buddies import Person, suits
from hearth.chat.models import BuddyPair, Conversation, ConversationKind
from hearth.core.errors import ActionError
from hearth.core.models import AuditEntry, Notification
from hearth.members.actions import do_update_organisation_settings
from hearth.members.models import Member
from hearth.testing import ClientFor, MakeMember, visible_text

pytestmark = pytest.mark.django_db(transaction=False)

NOW = datetime(2027, 5, 3, 10, 0, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture(autouse=True)
def clock(time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def switched_on(coordinator: Member) -> None:
    do_update_organisation_settings(
        coordinator, open_signup=False, require_staff_two_factor=False, member_messages=True
    )


@pytest.fixture
def alex(make_member: MakeMember) -> Member:
    alex: Member = make_member("Alex", gender="woman", age_band="25-34")
    return alex


@pytest.fixture
def looking(member: Member, alex: Member) -> None:
    for person in (member, alex):
        actions.do_set_buddy_preference(person, looking=True, same_gender=False, similar_age=False, ways=["text"])


def _person(pk: int, **kw: Any) -> Person:
    base: dict[str, Any] = {"name": f"P{pk}", "gender": "", "age_band": "", "same_gender": False}
    base |= {"similar_age": False, "ways": set(), "groups": set()}
    return Person(id=pk, **{**base, **kw})


def test_suggestions_meet_both_peoples_wishes_and_never_guess() -> None:
    asks_same = _person(1, gender="woman", same_gender=True, ways={"text"})
    assert suits(asks_same, _person(2, gender="woman", ways={"text"})) is not None
    assert suits(asks_same, _person(3, gender="man")) is None
    assert suits(asks_same, _person(4)) is None  # not said: never counted as a match
    assert suits(_person(5, gender="man"), asks_same) is None  # her wish counts whichever way round
    unsaid_asker = _person(6, same_gender=True)
    assert suits(unsaid_asker, _person(7)) is None
    good = suits(_person(8, ways={"text", "phone"}, groups={1, 2}), _person(9, ways={"phone"}, groups={2}))
    assert good is not None and good.reasons == ["both happy with phone", "1 group in common"]


def test_two_members_are_paired_accept_and_write_to_each_other(
    switched_on: None, looking: None, client_for: ClientFor, coordinator: Member, member: Member, alex: Member
) -> None:
    jo = client_for(coordinator)
    page = visible_text(jo.get(reverse("chat:buddies")))
    assert "Suggest Robin and Alex" in page or "Suggest Alex and Robin" in page
    jo.post(reverse("chat:buddies"), {"first": member.pk, "second": alex.pk})
    pair = BuddyPair.objects.get()
    assert pair.state == BuddyPair.State.PROPOSED
    assert {n.member_id for n in Notification.objects.filter(kind="chat.buddy")} == {member.pk, alex.pk}
    assert AuditEntry.objects.filter(action="chat.buddies.proposed", actor=coordinator).exists()

    robin = client_for(member)
    assert "Would you like Alex as your buddy?" in visible_text(robin.get(reverse("chat:my_buddy")))
    robin.post(reverse("chat:answer_buddy", args=[pair.pk]), {"answer": "yes"})
    assert BuddyPair.objects.get().state == BuddyPair.State.PROPOSED  # waits for Alex
    response = client_for(alex).post(reverse("chat:answer_buddy", args=[pair.pk]), {"answer": "yes"})
    pair.refresh_from_db()
    assert pair.state == BuddyPair.State.ACTIVE and pair.conversation is not None
    assert response["Location"] == reverse("chat:room", args=[pair.conversation.room_id])
    assert pair.conversation.kind == ConversationKind.PEER
    # Buddies may write to each other though neither chose messages from other members, nor share a group.
    message, _ = actions.do_send_message(member, pair.conversation.room, "Hi Alex! Call me on 07700 900111", "b1")
    assert message.screening.contact_warning  # screened like every message between members


def test_not_this_time_and_ending_kindly(
    switched_on: None, looking: None, coordinator: Member, member: Member, alex: Member
) -> None:
    pair = actions.do_propose_buddies(coordinator, member, alex)
    actions.do_answer_buddy(alex, pair, accept=False)
    assert BuddyPair.objects.get(pk=pair.pk).state == BuddyPair.State.DECLINED
    told = Notification.objects.filter(kind="chat.buddy", member=member).order_by("pk").last()
    assert told is not None and "nobody's fault" in told.text

    pair = actions.do_propose_buddies(coordinator, member, alex)
    actions.do_answer_buddy(member, pair, accept=True)
    pair = actions.do_answer_buddy(alex, BuddyPair.objects.get(pk=pair.pk), accept=True)
    actions.do_end_buddies(member, pair)
    pair.refresh_from_db()
    assert pair.state == BuddyPair.State.ENDED
    assert pair.conversation_id is not None
    assert Conversation.objects.get(pk=pair.conversation_id).closed_at is not None
    told = Notification.objects.filter(kind="chat.buddy", member=alex).order_by("pk").last()
    assert told is not None and "Thank you for being their buddy" in told.text
    with pytest.raises(ActionError, match="go both ways"):  # back to their own message settings
        actions.check_can_message(alex, member)


def test_weekly_check_in_prompts_for_pairs(
    switched_on: None,
    looking: None,
    coordinator: Member,
    member: Member,
    alex: Member,
    time_machine: TimeMachineFixture,
) -> None:
    pair = actions.do_propose_buddies(coordinator, member, alex)
    actions.do_answer_buddy(member, pair, accept=True)
    actions.do_answer_buddy(alex, BuddyPair.objects.get(pk=pair.pk), accept=True)
    assert actions.buddy_check_ins() == 0
    time_machine.move_to(NOW + timedelta(days=7, minutes=1), tick=False)
    assert actions.buddy_check_ins() == 1
    assert actions.buddy_check_ins() == 0  # once a week
    prompts = Notification.objects.filter(kind="chat.buddy", text__contains="How's it going")
    assert {n.member_id for n in prompts} == {member.pk, alex.pk}


def test_blocking_ends_a_pairing(
    switched_on: None, looking: None, coordinator: Member, member: Member, alex: Member
) -> None:
    pair = actions.do_propose_buddies(coordinator, member, alex)
    actions.do_answer_buddy(member, pair, accept=True)
    actions.do_answer_buddy(alex, BuddyPair.objects.get(pk=pair.pk), accept=True)
    actions.do_block(member, alex)
    assert BuddyPair.objects.get(pk=pair.pk).state == BuddyPair.State.ENDED
    with pytest.raises(ActionError, match="can't send messages"):
        actions.check_can_message(alex, member)


def test_pairing_rules(switched_on: None, coordinator: Member, member: Member, alex: Member, outsider: Member) -> None:
    with pytest.raises(ActionError, match="hasn't asked for a buddy"):
        actions.do_propose_buddies(coordinator, member, alex)
    for person in (member, alex, outsider):
        actions.do_set_buddy_preference(person, looking=True, same_gender=False, similar_age=False, ways=[])
    actions.do_propose_buddies(coordinator, member, alex)
    with pytest.raises(ActionError, match="already has a buddy"):
        actions.do_propose_buddies(coordinator, member, outsider)


def test_only_staff_pair_and_nobody_answers_for_someone_else(
    switched_on: None,
    looking: None,
    client_for: ClientFor,
    coordinator: Member,
    member: Member,
    alex: Member,
    outsider: Member,
    volunteer: Member,
) -> None:
    for person in (member, volunteer, outsider):
        assert client_for(person).get(reverse("chat:buddies")).status_code == 403
        assert (
            client_for(person).post(reverse("chat:buddies"), {"first": member.pk, "second": alex.pk}).status_code == 403
        )
    pair = actions.do_propose_buddies(coordinator, member, alex)
    kit = client_for(outsider)
    assert kit.post(reverse("chat:answer_buddy", args=[pair.pk]), {"answer": "yes"}).status_code == 404
    assert "Alex" not in visible_text(kit.get(reverse("chat:my_buddy")))
    assert client_for(None).get(reverse("chat:my_buddy")).status_code == 302
    assert BuddyPair.objects.get(pk=pair.pk).first_accepted_at is None
    robin = client_for(member)
    robin.post(reverse("chat:my_buddy"), {"looking": "", "ways": ["text", "carrier pigeon"]})
    assert robin.post(reverse("chat:answer_buddy", args=[pair.pk]), {"answer": "maybe?"}).status_code == 302
