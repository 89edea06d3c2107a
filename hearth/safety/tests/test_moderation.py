"""Reports, decisions, sanctions, appeals and moderator workload."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoCaptureOnCommitCallbacks
from time_machine import TimeMachineFixture

from hearth.availability import actions as availability
from hearth.core.errors import ActionError
from hearth.core.events import capture_events, member_group
from hearth.core.models import AuditEntry
from hearth.members.models import Member
from hearth.safety import actions
from hearth.safety.contact import contact_risks
from hearth.safety.models import Appeal, ModerationItem, Report, Sanction
from hearth.testing import ClientFor, MakeMember, run_deliveries, text


def report_member(reporter: Member, member: Member, reason: str = "Sending me unkind messages") -> Report:
    return actions.do_report(reporter, member=member, reason=reason)


def test_a_report_reaches_the_queue_and_the_reported_person_is_not_told(
    member: Member,
    outsider: Member,
    volunteer: Member,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    availability.do_check_in(volunteer)
    with capture_events() as events, django_capture_on_commit_callbacks(execute=True):
        report = report_member(outsider, member)
    assert report.item.assigned_to == volunteer
    assert all(member_group(member.pk) not in groups for groups, _ in events.sent)
    assert [i.subject for i in actions.queue_for(volunteer)] == [member]


def test_reports_are_rate_limited_per_member_and_the_refusal_says_when_to_send_the_next(
    member: Member, outsider: Member, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to("2026-11-24T20:00:00+00:00", tick=False)
    for i in range(actions.REPORTS_PER_HOUR):
        report_member(outsider, member, reason=f"reason number {i}")
        time_machine.shift(timedelta(minutes=5))
    with pytest.raises(ActionError, match="several reports") as refused:
        report_member(outsider, member)
    # The first report was 25 minutes ago: it leaves the hour in 35 minutes.
    assert "You can send another in 35 minutes" in str(refused.value)
    time_machine.shift(timedelta(minutes=35))
    assert report_member(outsider, member).pk


def test_a_report_needs_a_reason(member: Member, outsider: Member) -> None:
    with pytest.raises(ActionError, match="what's wrong"):
        report_member(outsider, member, reason="")


def test_reporter_is_told_the_outcome_and_members_never_see_reasons(
    client_for: ClientFor, member: Member, outsider: Member, peer_worker: Member
) -> None:
    report = report_member(outsider, member, reason="private reason words")
    actions.do_moderate(peer_worker, report.item_id, "dismiss", "Friendly banter between friends")
    report.refresh_from_db()
    assert report.state == Report.State.LEFT_UP
    page = text(client_for(outsider).get(reverse("safety:my_reports")))
    assert "We looked at this and left it up: Friendly banter between friends" in page
    assert "private reason words" not in text(client_for(member).get(reverse("safety:my_reports")))


@pytest.mark.parametrize("who", ["member", "outsider"])
def test_members_cannot_open_the_queue_or_items(
    request: pytest.FixtureRequest, client_for: ClientFor, who: str, volunteer: Member
) -> None:
    person = request.getfixturevalue(who)
    item = report_member(volunteer, Member.objects.get(display_name="Sam")).item
    client = client_for(person)
    assert client.get(reverse("safety:queue")).status_code == 403
    assert client.get(reverse("safety:item", args=[item.pk])).status_code == 403


def test_no_automated_sanctions_a_person_decides_and_it_is_audited(
    member: Member, peer_worker: Member, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        sanction = actions.do_sanction(
            peer_worker, member, "mute", reason="Repeated insults in the gaming group", days=2
        )
    assert sanction.by == peer_worker
    with pytest.raises(ActionError, match="can't post"):
        actions.check_can_write(member)
    entry = AuditEntry.objects.get(action="safety.sanction.mute")
    assert entry.actor == peer_worker and entry.subject == member and "insults" in entry.data["reason"]
    run_deliveries()
    (email,) = mail.outbox
    assert "appeal here" in email.body


def test_volunteers_can_warn_but_not_mute_suspend_or_ban(member: Member, volunteer: Member) -> None:
    actions.do_sanction(volunteer, member, "warn", reason="Please keep it kind")
    for kind in ("mute", "suspend", "ban"):
        with pytest.raises(PermissionDenied):
            actions.do_sanction(volunteer, member, kind, reason="x" * 5, days=1)
    assert Sanction.objects.filter(member=member).count() == 1


def test_suspension_signs_the_member_out_and_ends_by_itself(
    client_for: ClientFor, member: Member, peer_worker: Member, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to("2026-11-24T20:00:00+00:00", tick=False)
    client = client_for(member)
    actions.do_sanction(peer_worker, member, "suspend", reason="Cooling off", days=1)
    assert client.get(reverse("members:profile")).status_code == 302  # signed out
    time_machine.shift(timedelta(days=1, minutes=1))
    assert actions.lift_expired_suspensions() != []
    assert Member.objects.get(pk=member.pk).is_active


def test_appeal_by_emailed_link_decided_by_someone_else(
    client: Client,
    member: Member,
    peer_worker: Member,
    coordinator: Member,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        sanction = actions.do_sanction(peer_worker, member, "suspend", reason="Cooling off", days=3)
    run_deliveries()  # the suspended member still gets the email with the appeal link
    found = re.search(r"/appeal/[^/\s]+/", str(mail.outbox[0].body))
    assert found is not None
    link = found.group(0)
    response = client.post(link, {"text": "I was quoting a song, not threatening anyone."})
    assert "Your appeal is with a coordinator" in text(response)
    appeal = Appeal.objects.get(sanction=sanction)
    with pytest.raises(ActionError, match="already appealed"):
        actions.do_appeal(sanction, "And another thing about it")
    actions.do_decide_appeal(coordinator, appeal.pk, overturn=True, response="You're right, sorry.")
    assert Member.objects.get(pk=member.pk).is_active
    assert Sanction.objects.get(pk=sanction.pk).lifted_at is not None
    assert AuditEntry.objects.filter(action="safety.appeal.decided", actor=coordinator).exists()


def test_the_decider_cannot_judge_their_own_appeal(member: Member, coordinator: Member) -> None:
    sanction = actions.do_sanction(coordinator, member, "warn", reason="Please keep it kind")
    appeal = actions.do_appeal(sanction, "I don't think I was unkind at all.")
    with pytest.raises(ActionError, match="Someone other than"):
        actions.do_decide_appeal(coordinator, appeal.pk, overturn=True, response="ok then")


def test_tampered_appeal_link_is_refused(client: Client, db: None) -> None:
    assert client.get("/appeal/not-a-token/").status_code == 400


def test_work_is_shared_and_stepping_away_reassigns(
    make_member: MakeMember, volunteer: Member, peer_worker: Member, outsider: Member
) -> None:
    availability.do_check_in(volunteer)
    availability.do_check_in(peer_worker)
    people = [make_member(f"Reported {i}") for i in range(4)]
    items = [report_member(outsider, p, reason=f"reason {i}").item for i, p in enumerate(people)]
    owners = [ModerationItem.objects.get(pk=i.pk).assigned_to for i in items]
    assert owners.count(volunteer) == 2 and owners.count(peer_worker) == 2
    assert actions.do_step_away(volunteer) == 2
    assert set(ModerationItem.objects.values_list("assigned_to", flat=True)) == {peer_worker.pk}
    new = report_member(volunteer, make_member("Another")).item
    assert new.assigned_to == peer_worker  # no new items while away


def test_coordinator_sees_load_across_the_team(
    client_for: ClientFor,
    coordinator: Member,
    volunteer: Member,
    outsider: Member,
    member: Member,
) -> None:
    availability.do_check_in(volunteer)
    report_member(outsider, member)
    page = text(client_for(coordinator).get(reverse("safety:workload")))
    assert "Sam" in page
    assert client_for(volunteer).get(reverse("safety:workload")).status_code == 403


@pytest.mark.parametrize(
    ("message", "found"),
    [
        ("ring me on 07700 900123 later", ["a phone number"]),
        ("add me on snapchat, it's easier", ["an off-platform handle", "pressure to meet or move elsewhere"]),
        ("let's meet up on saturday, where do you live?", ["pressure to meet or move elsewhere"]),
        ("I live at 12 Acacia Road", ["a home address"]),
        ("my email is kit@example.org", ["an email address"]),
        ("I slept 7 hours and walked 2 miles today", []),
        ("The 3 things that helped me were music, walks and this group", []),
    ],
)
def test_contact_sharing_detection(message: str, found: list[str]) -> None:
    assert contact_risks(message) == found


def test_a_crisis_is_never_cut_off_the_bottom_of_a_long_queue(
    monkeypatch: pytest.MonkeyPatch, make_member: MakeMember, outsider: Member, peer_worker: Member
) -> None:
    monkeypatch.setattr(actions, "QUEUE_LIMIT", 3)
    for i in range(4):
        report_member(outsider, make_member(f"Older {i}"), reason=f"older report {i}")
    newest = ModerationItem.objects.create(source="triage", risk="crisis", subject=outsider)
    queue = actions.queue_for(peer_worker)
    assert len(queue) == 3 and queue[0] == newest


def test_a_member_appeals_from_their_own_decisions_page_not_only_the_email(
    client_for: ClientFor, member: Member, peer_worker: Member, coordinator: Member
) -> None:
    actions.do_sanction(peer_worker, member, "warn", reason="Please keep it kind")
    robin = client_for(member)
    page = text(robin.get(reverse("safety:my_reports")))
    link = re.search(r'href="(/appeal/[^"]+/)"', page)
    assert link is not None and "Appeal this decision" in page
    response = robin.post(link.group(1), {"text": "I was quoting someone else, not being unkind."})
    assert response.status_code == 200 and Appeal.objects.filter(sanction__member=member).count() == 1
    page = text(robin.get(reverse("safety:my_reports")))
    assert "Waiting for a coordinator" in page and "Appeal this decision" not in page


def test_the_support_page_claims_nothing_about_the_team_it_doesnt_know(client_for: ClientFor, member: Member) -> None:
    """Opened with no alert of theirs (a link followed later, say): crisis lines, and no word about who has seen it."""
    page = text(client_for(member).get(reverse("safety:support")))
    assert "116 123" in page and "seen" not in page and "let know." not in page


def test_see_it_in_place_is_offered_only_to_moderators_the_group_would_let_in(
    client_for: ClientFor, member: Member, peer_worker: Member, volunteer: Member
) -> None:
    from hearth.community import actions as community
    from hearth.community.models import Membership
    from hearth.community.tests.conftest import make_group

    group = make_group(volunteer)
    Membership.objects.create(group=group, member=member)
    post = community.do_create_post(member, group, body="Nobody asked for your stupid opinions, newbie.")
    item = ModerationItem.objects.get(content_key="community.post", object_id=post.pk)
    in_place = reverse("community:post", args=[post.pk])
    # The host moderates from inside the group; a peer worker outside it reads the words but gets no link that
    # would refuse them (group content stays with the group).
    assert in_place in text(client_for(volunteer).get(reverse("safety:item", args=[item.pk])))
    outside = text(client_for(peer_worker).get(reverse("safety:item", args=[item.pk])))
    assert "Nobody asked for your stupid opinions" in outside and in_place not in outside
    assert client_for(peer_worker).get(in_place).status_code == 404
