"""Every post and reply is triaged as it is written, and each result has its consequence."""

from __future__ import annotations

import pytest
from django.urls import reverse
from pytest_django import DjangoCaptureOnCommitCallbacks

from hearth.availability import actions as availability
from hearth.care.models import CareItem
from hearth.community import actions as community
from hearth.community.models import Comment, Group, Membership, Post
from hearth.community.tests.conftest import make_group
from hearth.core.errors import ActionError
from hearth.core.events import capture_events, member_group
from hearth.core.models import Notification
from hearth.members.models import Member
from hearth.safety import actions
from hearth.safety.models import CrisisAlert, ModerationItem, TriageRecord
from hearth.testing import ClientFor, MakeMember, run_deliveries, text

CRISIS = "I've written the letters and I'm going to take all my tablets tonight after everyone's asleep"
CONCERN = "Honestly I wish I could just go to sleep and not wake up. Everyone would be better off."
HOSTILE = "You're pathetic and everyone here hates you, just leave"
PRACTICAL = "Got an eviction notice today and I can't pay the rent arrears, no idea what to do"


@pytest.fixture
def group(volunteer: Member, member: Member, outsider: Member) -> Group:
    group = make_group(volunteer)
    Membership.objects.create(group=group, member=member)
    return group


def post(member: Member, group: Group, body: str) -> Post:
    return community.do_create_post(member, group, body=body)


def test_ordinary_posts_are_triaged_and_nothing_else_happens(member: Member, group: Group) -> None:
    p = post(member, group, "Finished the scarf at last, photo later")
    assert TriageRecord.objects.get(content_key="community.post", object_id=p.pk).risk == "none"
    assert not ModerationItem.objects.exists() and not CrisisAlert.objects.exists()


def test_crisis_post_stays_up_alerts_staff_and_the_writer_sees_support(
    client_for: ClientFor,
    member: Member,
    group: Group,
    peer_worker: Member,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    availability.do_check_in(peer_worker)
    client = client_for(member)
    response = client.post(reverse("community:new_post", args=[group.pk]), {"kind": "text", "body": CRISIS})
    with capture_events() as events:
        run_deliveries()
    assert response["Location"].startswith(reverse("safety:support"))
    page = text(client.get(response["Location"]))
    assert "You don't have to go through this alone" in page and "Talk to someone now" in page
    p = Post.objects.get(body=CRISIS)
    assert not p.hidden  # still posted: the group isn't pre-moderated
    alert = CrisisAlert.objects.get()
    assert alert.item is not None
    assert alert.member == member and alert.item.risk == "crisis"
    assert events.recipients_of("safety.alert") == {member_group(peer_worker.pk)}


def test_crisis_with_nobody_on_duty_tells_the_writer_honestly(
    client_for: ClientFor, member: Member, group: Group, coordinator: Member
) -> None:
    client = client_for(member)
    response = client.post(
        reverse("community:new_post", args=[group.pk]), {"kind": "text", "body": CRISIS}, follow=True
    )
    page = text(response)
    assert "Our team isn't online right now" in page and "116 123" in page
    assert "Nobody from the team has seen this yet" in page  # true now; it changes when someone acknowledges
    assert CrisisAlert.objects.get().nobody_on_duty


def test_concern_puts_the_writer_on_the_care_queue_with_the_reason(member: Member, group: Group) -> None:
    post(member, group, CONCERN)
    item = CareItem.objects.get(member=member)
    assert item.source == "triage" and "worrying" in item.reason
    assert not CrisisAlert.objects.exists()


def test_hostility_in_a_premoderated_group_is_held_until_reviewed(
    client_for: ClientFor, member: Member, outsider: Member, group: Group, volunteer: Member
) -> None:
    group.premoderated = True
    group.save()
    Membership.objects.create(group=group, member=outsider)
    p = post(outsider, group, HOSTILE)
    assert Post.objects.get(pk=p.pk).hidden
    assert HOSTILE not in text(client_for(member).get(reverse("community:group", args=[group.pk])))
    assert HOSTILE in text(client_for(outsider).get(reverse("community:group", args=[group.pk])))  # the writer sees it
    assert client_for(member).get(reverse("community:post", args=[p.pk])).status_code == 404
    item = ModerationItem.objects.get(content_key="community.post", object_id=p.pk)
    actions.do_moderate(volunteer, item.pk, "restore", "Banter between old friends, checked with both")
    assert HOSTILE in text(client_for(member).get(reverse("community:group", args=[group.pk])))


def test_hostility_elsewhere_is_shown_with_a_review_item_and_repeats_slow_the_writer(
    outsider: Member, group: Group
) -> None:
    Membership.objects.create(group=group, member=outsider)
    p = post(outsider, group, HOSTILE)
    assert not Post.objects.get(pk=p.pk).hidden
    assert "hostility" in ModerationItem.objects.get(object_id=p.pk).flags
    post(outsider, group, "You're all pathetic losers, nobody wants you")
    post(outsider, group, "Go away you idiots, I hate every one of you")
    with pytest.raises(ActionError, match="pause for a few minutes"):
        post(outsider, group, "Anyone for the quiz later?")


def test_practical_worries_get_a_quiet_signpost(client_for: ClientFor, member: Member, group: Group) -> None:
    response = client_for(member).post(
        reverse("community:new_post", args=[group.pk]), {"kind": "text", "body": PRACTICAL}, follow=True
    )
    page = text(response)
    assert "Shared with the group." in page and "places that can help with money, housing and forms" in page
    assert "Citizens Advice" in text(client_for(member).get(reverse("safety:signposts") + "?topic=practical"))


def test_replies_are_triaged_too(member: Member, group: Group, peer_worker: Member) -> None:
    p = post(member, group, "Rough week")
    comment = community.do_comment(member, p, CRISIS)
    assert comment.screening.show_crisis_support
    alert = CrisisAlert.objects.get()
    assert alert.item is not None and alert.item.content_key == "community.comment"


def test_several_members_reporting_a_post_hides_it_pending_review(
    client_for: ClientFor,
    make_member: MakeMember,
    member: Member,
    group: Group,
    volunteer: Member,
) -> None:
    p = post(member, group, "Some unkind words")
    reporters = [make_member(f"Reporter {i}") for i in range(3)]
    for r in reporters:
        Membership.objects.create(group=group, member=r)
    for r in reporters[:2]:
        actions.do_report(r, content_key="community.post", object_id=p.pk, reason="unkind to another member")
    assert not Post.objects.get(pk=p.pk).hidden
    actions.do_report(reporters[2], content_key="community.post", object_id=p.pk, reason="unkind")
    assert Post.objects.get(pk=p.pk).hidden  # until a moderator decides
    item = ModerationItem.objects.get(object_id=p.pk)
    actions.do_moderate(volunteer, item.pk, "restore", "Not unkind in context")
    assert not Post.objects.get(pk=p.pk).hidden


def test_outsiders_cannot_report_what_they_cannot_see(
    client_for: ClientFor, outsider: Member, member: Member, group: Group
) -> None:
    p = post(member, group, "Hello all")
    assert client_for(outsider).get(reverse("safety:report") + f"?content=community.post&id={p.pk}").status_code == 404
    with pytest.raises(ActionError, match="couldn't find"):
        actions.do_report(outsider, content_key="community.post", object_id=p.pk, reason="just because")


def test_volunteers_see_that_staff_have_crisis_items_in_hand_not_the_details(
    client_for: ClientFor, member: Member, group: Group, volunteer: Member, peer_worker: Member
) -> None:
    post(member, group, CRISIS)
    item = ModerationItem.objects.get()
    queue = text(client_for(volunteer).get(reverse("safety:queue")))
    assert "Staff have this in hand" in queue and "tablets" not in queue
    assert client_for(volunteer).get(reverse("safety:item", args=[item.pk])).status_code == 403
    page = text(client_for(peer_worker).get(reverse("safety:item", args=[item.pk])))
    assert "tablets tonight" in page
    from hearth.core.models import AuditEntry

    assert AuditEntry.objects.filter(action="safety.details.viewed", actor=peer_worker).exists()


def test_members_never_see_triage_reasons(client_for: ClientFor, member: Member, group: Group) -> None:
    p = post(member, group, CONCERN)
    page = text(client_for(member).get(reverse("community:post", args=[p.pk])))
    for reason in TriageRecord.objects.get(object_id=p.pk).reasons:
        assert reason not in page


def test_muted_members_cannot_post_or_reply(member: Member, group: Group, peer_worker: Member) -> None:
    p = post(member, group, "hi")
    actions.do_sanction(peer_worker, member, "mute", reason="Taking a breather after a heated thread.", days=1)
    with pytest.raises(ActionError, match="can't post"):
        post(member, group, "hello?")
    with pytest.raises(ActionError, match="can't post"):
        community.do_comment(member, p, "hello?")
    assert not Comment.objects.exists()


def test_group_mood_alert_fires_on_a_run_of_distress_with_few_supportive_replies(
    make_member: MakeMember,
    group: Group,
    volunteer: Member,
    peer_worker: Member,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    from hearth.safety.actions import alert_drifting_groups
    from hearth.safety.mood import group_mood

    availability.do_check_in(peer_worker)
    writers = [make_member(f"Writer {i}") for i in range(4)]
    for i, w in enumerate(writers):
        Membership.objects.create(group=group, member=w)
        post(w, group, f"Everything feels hopeless, I'm a burden to everyone ({i})")
    mood = group_mood(group.pk)
    assert mood.heavy_posts == 4 and mood.drifting
    with capture_events() as events, django_capture_on_commit_callbacks(execute=True):
        assert alert_drifting_groups() == [group.pk]
    # The group's host and the staff on duty hear; members of the group don't.
    assert events.recipients_of("notification.new") == {member_group(volunteer.pk), member_group(peer_worker.pk)}
    assert set(Notification.objects.filter(kind="safety.mood_alert").values_list("member_id", flat=True)) == {
        volunteer.pk,
        peer_worker.pk,
    }
    assert alert_drifting_groups() == []  # at most once a day


def test_supportive_replies_keep_a_group_from_drifting(make_member: MakeMember, member: Member, group: Group) -> None:
    from hearth.safety.mood import group_mood

    posts = []
    for i in range(4):
        posts.append(post(member, group, f"I feel so hopeless and worthless today {i}"))
    for p in posts:
        community.do_comment(member, p, "Sending love, you're not alone in this")
    mood = group_mood(group.pk)
    assert mood.supportive_replies == 4 and not mood.drifting


def test_chat_messages_are_triaged_and_a_crisis_alerts_staff(
    member: Member,
    group: Group,
    peer_worker: Member,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    from hearth.chat import actions as chat
    from hearth.chat.models import Message

    availability.do_check_in(peer_worker)
    room = chat.do_open_group_room(member, group.pk)
    with capture_events() as events, django_capture_on_commit_callbacks(execute=True):
        message, created = chat.do_send_message(member, room, CRISIS, "c-1")
        run_deliveries()
    assert created and message.screening.show_crisis_support
    alert = CrisisAlert.objects.get()
    assert alert.item is not None and alert.item.content_key == "chat.message"
    assert events.recipients_of("safety.alert") == {member_group(peer_worker.pk)}
    assert Message.objects.get(pk=message.pk).visible  # still in the room: not pre-moderated


def test_hostile_chat_in_a_premoderated_group_is_kept_from_the_room(
    outsider: Member,
    group: Group,
    volunteer: Member,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    from hearth.chat import actions as chat
    from hearth.chat.access import room_channel
    from hearth.chat.models import Message

    group.premoderated = True
    group.save()
    Membership.objects.create(group=group, member=outsider)
    room = chat.do_open_group_room(outsider, group.pk)
    with capture_events() as events, django_capture_on_commit_callbacks(execute=True):
        message, _ = chat.do_send_message(outsider, room, HOSTILE, "h-1")
    assert not Message.objects.get(pk=message.pk).visible
    assert HOSTILE not in str(events.events_for(room_channel(room.pk)))
    item = ModerationItem.objects.get(content_key="chat.message", object_id=message.pk)
    actions.do_moderate(volunteer, item.pk, "restore", "Checked: a quote from a film")
    assert Message.objects.get(pk=message.pk).visible


def test_muted_members_cannot_chat(member: Member, group: Group, peer_worker: Member) -> None:
    from hearth.chat import actions as chat

    room = chat.do_open_group_room(member, group.pk)
    actions.do_sanction(peer_worker, member, "mute", reason="A short pause after a heated evening.", days=1)
    with pytest.raises(ActionError, match="can't post or send messages"):
        chat.do_send_message(member, room, "hello", "m-1")


def test_hosts_and_staff_see_the_group_atmosphere_members_do_not(
    client_for: ClientFor,
    make_member: MakeMember,
    member: Member,
    group: Group,
    volunteer: Member,
    peer_worker: Member,
) -> None:
    for i in range(4):
        writer = make_member(f"Heavy {i}")
        Membership.objects.create(group=group, member=writer)
        post(writer, group, f"Everything feels hopeless and I'm a burden to everyone ({i})")
    host_page = text(client_for(volunteer).get(reverse("community:group", args=[group.pk])))
    assert "Atmosphere, last 3 days" in host_page and "4 of 4 posts heavy or worrying" in host_page
    assert "may be sliding into a run of distress" in host_page
    assert "Atmosphere" in text(client_for(peer_worker).get(reverse("community:group", args=[group.pk])))
    assert "Atmosphere" not in text(client_for(member).get(reverse("community:group", args=[group.pk])))


def test_members_can_report_a_chat_message_they_can_see(
    client_for: ClientFor, member: Member, outsider: Member, group: Group, volunteer: Member
) -> None:
    from hearth.chat import actions as chat

    room = chat.do_open_group_room(volunteer, group.pk)
    message, _ = chat.do_send_message(volunteer, room, "Come to mine later, here's my number 07700 900555", "r-1")
    page = text(client_for(member).get(reverse("chat:room", args=[room.pk])))
    assert f"content=chat.message&id={message.pk}" in page
    client_for(member).post(
        reverse("safety:report"), {"content": "chat.message", "id": message.pk, "reason": "sharing a number"}
    )
    assert ModerationItem.objects.get(content_key="chat.message", object_id=message.pk).source == "report"
    assert (
        client_for(outsider).get(reverse("safety:report") + f"?content=chat.message&id={message.pk}").status_code == 404
    )
