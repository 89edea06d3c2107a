"""Peers who notice: "I'm worried about someone", from a post, a reply, a chat message or a person's page.

The cast (``hearth/conftest.py``): Robin (member) writes in Tuesday Makers, a group Sam (volunteer) hosts;
Kit (outsider) is in no group with anyone; Priya (peer worker), Dr Okafor (counsellor) and Jo (coordinator)
are staff. Sam is worried about Robin.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from hearth.care import actions
from hearth.care.models import CareItem, Concern, Source
from hearth.community.models import Group, Post
from hearth.core.errors import ActionError
from hearth.core.models import AuditEntry
from hearth.members.models import Member
from hearth.testing import ClientFor, Events, MakeMember, text, visible_text

NOTICED = "Robin said they haven't been sleeping and skipped the last two craft nights. They seemed really flat."
CRISIS_ABOUT_THEM = "Robin told me they've written the letters and are going to take all their tablets tonight."
CRISIS_ABOUT_ME_TOO = "Robin said they want to kill themselves. I feel like that too sometimes, I have my pills ready."


@pytest.fixture
def group(volunteer: Member, member: Member) -> Group:
    from hearth.community.models import Group, Membership

    tuesday = Group.objects.create(name="Tuesday Makers", purpose="Crafts", who_for="Everyone", state="active")
    Membership.objects.create(group=tuesday, member=volunteer, is_host=True)
    Membership.objects.create(group=tuesday, member=member)
    return tuesday


@pytest.fixture
def post(group: Group, member: Member) -> Post:
    from hearth.community.models import Post

    return Post.objects.create(group=group, author=member, body="Not really up to much at the moment.")


def worried_url(**query: object) -> str:
    return reverse("care:worried") + "?" + "&".join(f"{k}={v}" for k, v in query.items())


# --- Raising it -------------------------------------------------------------------------------------


def test_a_volunteer_tells_the_team_from_a_post_and_is_thanked_without_details(
    client_for: ClientFor, volunteer: Member, member: Member, post: Post
) -> None:
    client = client_for(volunteer)
    form = client.get(worried_url(content="community.post", id=post.pk))
    assert "Worried about Robin?" in visible_text(form) and "staff team only" in visible_text(form)
    response = client.post(reverse("care:worried"), {"content": "community.post", "id": post.pk, "noticed": NOTICED})
    assert response.status_code == 302 and response["Location"] == reverse("community:post", args=[post.pk])
    concern = Concern.objects.get()
    assert (concern.about, concern.raised_by, concern.content_key, concern.object_id) == (
        member,
        volunteer,
        "community.post",
        post.pk,
    )
    assert concern.noticed() == NOTICED and NOTICED not in concern.noticed_encrypted  # encrypted at rest
    page = visible_text(client.get(response["Location"]))
    assert "Thank you for telling us about Robin" in page and "we won't tell you what happens next" in page
    assert AuditEntry.objects.filter(action="care.concern.raised", actor=volunteer, subject_id=member.pk).exists()


def test_it_reaches_the_care_queue_for_staff_only(
    client_for: ClientFor,
    volunteer: Member,
    member: Member,
    peer_worker: Member,
    counsellor: Member,
    post: Post,
) -> None:
    actions.do_raise_concern(volunteer, member, NOTICED, content_key="community.post", object_id=post.pk)
    item = CareItem.objects.get(member=member)
    assert item.source == Source.PEER and item.reason == "A volunteer is worried about them and said what they noticed"
    for staff in (peer_worker, counsellor):
        assert "A volunteer is worried about them" in text(client_for(staff).get(reverse("care:queue")))
    assert "worried about them" not in text(client_for(volunteer).get(reverse("care:queue")))
    assert client_for(volunteer).get(reverse("care:person", args=[member.pk])).status_code == 404


def test_the_queue_page_hears_it_without_names(volunteer: Member, member: Member, events: Events) -> None:
    with events() as sent:
        actions.do_raise_concern(volunteer, member, NOTICED)
    assert sent.events_for("care.queue") == [{"kind": "care.queue_changed"}]


def test_staff_read_what_was_noticed_on_the_persons_page_and_the_read_is_audited(
    client_for: ClientFor, volunteer: Member, member: Member, peer_worker: Member, post: Post
) -> None:
    actions.do_raise_concern(volunteer, member, NOTICED, content_key="community.post", object_id=post.pk)
    client = client_for(peer_worker)
    page = visible_text(client.get(reverse("care:person", args=[member.pk])))
    assert "1 time someone told the team they were worried about Robin" in page and NOTICED not in page
    assert not AuditEntry.objects.filter(action="care.concern.viewed").exists()
    page = visible_text(client.get(reverse("care:person", args=[member.pk]) + "?noticed=show"))
    assert NOTICED in page and "Sam (about their post)" in page
    assert AuditEntry.objects.filter(action="care.concern.viewed", actor=peer_worker, subject_id=member.pk).exists()


def test_crisis_words_about_them_raise_the_alert_about_them_not_the_writer(
    client_for: ClientFor, volunteer: Member, member: Member, post: Post
) -> None:
    from hearth.safety.models import CrisisAlert, ModerationItem

    response = client_for(volunteer).post(
        reverse("care:worried"), {"content": "community.post", "id": post.pk, "noticed": CRISIS_ABOUT_THEM}
    )
    alert = CrisisAlert.objects.get()
    assert alert.member == member and alert.origin == CrisisAlert.Origin.PEER
    assert response["Location"] == reverse("community:post", args=[post.pk])  # thanked, not sent to crisis support
    assert not ModerationItem.objects.exists()  # volunteers moderate; these words are for staff
    assert Concern.objects.get().risk == "crisis"
    assert CareItem.objects.filter(member=member, source=Source.PEER).exists()
    assert not CareItem.objects.filter(member=volunteer).exists()


def test_the_alert_page_leads_staff_to_what_was_noticed(
    client_for: ClientFor, volunteer: Member, member: Member, peer_worker: Member
) -> None:
    actions.do_raise_concern(volunteer, member, CRISIS_ABOUT_THEM)
    page = text(client_for(peer_worker).get(reverse("safety:alerts")))
    assert "Someone who knows them is worried" in page
    assert reverse("care:person", args=[member.pk]) + "?noticed=show" in page


def test_a_writer_who_speaks_of_themselves_too_gets_support_and_an_alert_of_their_own(
    client_for: ClientFor, volunteer: Member, member: Member, post: Post
) -> None:
    from hearth.safety.models import CrisisAlert

    response = client_for(volunteer).post(
        reverse("care:worried"), {"content": "community.post", "id": post.pk, "noticed": CRISIS_ABOUT_ME_TOO}
    )
    assert response["Location"].startswith(reverse("safety:support"))
    assert {a.member for a in CrisisAlert.objects.all()} >= {volunteer}


def test_bad_input_gets_a_clear_error(client_for: ClientFor, volunteer: Member, member: Member, post: Post) -> None:
    client = client_for(volunteer)
    response = client.post(reverse("care:worried"), {"content": "community.post", "id": post.pk, "noticed": ""})
    assert response.status_code == 200 and "This field is required" in visible_text(response)
    response = client.post(reverse("care:worried"), {"about": "nonsense", "noticed": NOTICED})
    assert response.status_code == 400 and "The value for “about” should be a number" in visible_text(response)
    assert not Concern.objects.exists()


def test_nobody_raises_a_concern_about_themselves(volunteer: Member) -> None:
    with pytest.raises(ActionError, match="hard time yourself"):
        actions.do_raise_concern(volunteer, volunteer, NOTICED)


def test_one_person_can_only_raise_so_many_in_a_day(volunteer: Member, make_member: MakeMember) -> None:
    people = [make_member(f"Person {n}") for n in range(actions.CONCERNS_PER_DAY + 1)]
    for person in people[:-1]:
        actions.do_raise_concern(volunteer, person, NOTICED)
    with pytest.raises(ActionError, match="a lot of people today"):
        actions.do_raise_concern(volunteer, people[-1], NOTICED)


# --- Who may raise it about whom ---------------------------------------------------------------------


def test_a_member_can_raise_it_about_someone_in_their_group_from_the_people_list(
    client_for: ClientFor, member: Member, volunteer: Member, group: Group
) -> None:
    page = text(client_for(member).get(reverse("community:members", args=[group.pk])))
    assert worried_url(about=volunteer.pk) in page
    assert client_for(member).get(worried_url(about=volunteer.pk)).status_code == 200


def test_an_outsider_cannot_raise_it_about_someone_they_cannot_have_noticed(
    client_for: ClientFor, outsider: Member, member: Member, post: Post
) -> None:
    client = client_for(outsider)
    assert client.get(worried_url(about=member.pk)).status_code == 404
    assert client.get(worried_url(content="community.post", id=post.pk)).status_code == 404
    response = client.post(reverse("care:worried"), {"about": member.pk, "noticed": NOTICED})
    assert response.status_code == 404 and not Concern.objects.exists()


def test_supporters_can_raise_it_from_a_persons_profile(
    client_for: ClientFor, volunteer: Member, member: Member
) -> None:
    page = text(client_for(volunteer).get(reverse("members:member_detail", args=[member.pk])))
    assert "I'm worried about Robin" in page
    assert client_for(volunteer).get(worried_url(about=member.pk)).status_code == 200


def test_signed_out_people_are_sent_to_sign_in(client_for: ClientFor, member: Member) -> None:
    response = client_for(None).get(worried_url(about=member.pk))
    assert response.status_code == 302 and "/signin/" in response["Location"]


def test_a_chat_message_leads_to_it_for_the_people_in_the_room(
    client_for: ClientFor, volunteer: Member, member: Member, outsider: Member
) -> None:
    from hearth.chat.actions import do_open_conversation, do_send_message

    conversation = do_open_conversation(member, volunteer, opened_by=member)
    message, _ = do_send_message(member, conversation.room, "Not a great week, honestly.")
    page = text(client_for(volunteer).get(reverse("chat:room", args=[conversation.room_id])))
    assert f"content=chat.message&id={message.pk}" in page
    assert client_for(volunteer).get(worried_url(content="chat.message", id=message.pk)).status_code == 200
    assert client_for(outsider).get(worried_url(content="chat.message", id=message.pk)).status_code == 404


# --- Leaving ---------------------------------------------------------------------------------------------


def test_erasure_keeps_the_worry_for_the_team_without_the_raisers_name_or_words(
    volunteer: Member, member: Member
) -> None:
    from hearth.members.data_rights import erase_member, export_member

    actions.do_raise_concern(volunteer, member, NOTICED)
    exported = export_member(volunteer)
    assert exported["care"]["worries_you_told_us_about"][0]["what_you_noticed"] == NOTICED
    erase_member(volunteer)
    concern = Concern.objects.get()
    assert concern.raised_by is None and NOTICED not in concern.noticed()
    erase_member(member)
    assert not Concern.objects.exists()
