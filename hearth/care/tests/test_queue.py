"""The care queue: ranked, with reasons in plain words; claim, record, snooze, follow up."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries
from time_machine import TimeMachineFixture

from hearth.care import actions, queue
from hearth.care.models import CareItem, CheckInRecord, Source
from hearth.care.queue import Entry
from hearth.core.errors import ActionError
from hearth.core.models import AuditEntry
from hearth.members.models import Member
from hearth.testing import ClientFor, MakeMember, text


def test_ranked_with_reasons_in_plain_words(
    member: Member,
    outsider: Member,
    make_member: MakeMember,
    peer_worker: Member,
    share: Callable[..., None],
    clock: TimeMachineFixture,
) -> None:
    quiet = make_member("Lee")
    actions.add_care_item(quiet, source=Source.REFERRAL, reason="referral to money advice due for follow-up")
    actions.add_care_item(member, source=Source.TRIAGE, reason="Wrote something worrying: hopeless")
    share(outsider, Source.MOOD)
    CareItem.objects.create(member=outsider, source=Source.MOOD, reason="mood 1/5 three check-ins running", weight=40)
    actions.add_care_item(outsider, source=Source.CHECK_IN, reason="no reply to Tuesday's check-in after 2 days")
    entries = queue.build_queue(peer_worker)
    assert [e.member for e in entries] == [outsider, member, quiet]  # 40 + 15 > 50 > 15
    assert entries[0].reasons == ["mood 1/5 three check-ins running", "no reply to Tuesday's check-in after 2 days"]
    assert entries[2].reasons == ["referral to money advice due for follow-up"]


def test_waiting_longer_ranks_higher_among_equals(
    member: Member, outsider: Member, peer_worker: Member, clock: TimeMachineFixture
) -> None:
    actions.add_care_item(outsider, source=Source.REFERRAL, reason="referral to housing due")
    clock.shift(timedelta(hours=24))
    actions.add_care_item(member, source=Source.REFERRAL, reason="referral to money advice due")
    assert [e.member for e in queue.build_queue(peer_worker)] == [outsider, member]


def test_only_cues_shared_with_the_viewer_appear(
    member: Member,
    volunteer: Member,
    peer_worker: Member,
    counsellor: Member,
    share: Callable[..., None],
    clock: TimeMachineFixture,
) -> None:
    CareItem.objects.create(member=member, source=Source.MOOD, reason="mood 1/5 at their last check-in", weight=35)
    assert queue.build_queue(peer_worker) == []  # not shared: nobody sees it
    share(member, Source.MOOD, "usual_supporter")
    assert queue.build_queue(peer_worker) == []  # shared with a usual supporter, and there is none
    actions.do_set_usual_supporter(peer_worker, member, volunteer)
    assert [e.member for e in queue.build_queue(volunteer)] == [member]
    assert queue.build_queue(counsellor) == []
    share(member, Source.MOOD, "peer_team")  # takes effect at once
    assert [e.member for e in queue.build_queue(counsellor)] == [member]
    assert [e.member for e in queue.build_queue(volunteer)] == [member]  # the team includes the usual supporter


def test_volunteers_see_nobody_replied_only_for_groups_they_are_in(
    member: Member, volunteer: Member, peer_worker: Member, clock: TimeMachineFixture
) -> None:
    from hearth.community.models import Group, Membership

    mine = Group.objects.create(name="Crafts", purpose="x", who_for="x", state="active")
    other = Group.objects.create(name="Night owls", purpose="x", who_for="x", state="active")
    Membership.objects.create(group=mine, member=volunteer)
    actions.add_care_item(
        member, source=Source.NOBODY_REPLIED, reason="posted at 02:10 in Night owls", group_id=other.pk
    )
    actions.add_care_item(member, source=Source.TRIAGE, reason="Wrote something worrying")
    assert queue.build_queue(volunteer) == []
    Membership.objects.create(group=other, member=volunteer)
    [entry] = queue.build_queue(volunteer)
    assert entry.reasons == ["posted at 02:10 in Night owls"]  # never the triage concern
    assert len(queue.build_queue(peer_worker)[0].reasons) == 2


def test_claiming_is_one_supporter_at_a_time(
    member: Member, peer_worker: Member, counsellor: Member, clock: TimeMachineFixture
) -> None:
    actions.add_care_item(member, source=Source.TRIAGE, reason="Wrote something worrying")
    actions.do_claim(peer_worker, member.pk)
    with pytest.raises(ActionError, match="Priya is already reaching out to Robin"):
        actions.do_claim(counsellor, member.pk)
    assert queue.build_queue(counsellor)[0].claimed_by == peer_worker
    assert AuditEntry.objects.filter(action="care.item.claimed", actor=peer_worker).exists()


def test_two_supporters_claiming_at_the_same_moment_one_wins(
    member: Member, peer_worker: Member, counsellor: Member, monkeypatch: pytest.MonkeyPatch, clock: TimeMachineFixture
) -> None:
    """The worst interleaving, made deterministic: Dr Okafor reads the item as open, then Priya claims it
    completely, then Dr Okafor's claim goes ahead on what she read. Her conditional UPDATE changes no rows."""
    actions.add_care_item(member, source=Source.TRIAGE, reason="Wrote something worrying")
    real_entry_for = queue.entry_for
    interleaved: list[bool] = []

    def read_then_let_priya_in(viewer: Member, *args: Any, **kwargs: Any) -> Entry | None:
        entry = real_entry_for(viewer, *args, **kwargs)
        if viewer == counsellor and not interleaved:
            interleaved.append(True)
            assert entry is not None
            assert entry.claimed_by is None  # she saw it open...
            actions.do_claim(peer_worker, member.pk)  # ...and Priya got there first
        return entry

    monkeypatch.setattr(queue, "entry_for", read_then_let_priya_in)
    with pytest.raises(ActionError, match="Priya is already reaching out"):
        actions.do_claim(counsellor, member.pk)
    item = CareItem.objects.get()
    assert item.state == CareItem.State.CLAIMED and item.claimed_by == peer_worker
    assert AuditEntry.objects.filter(action="care.item.claimed").count() == 1


def test_recording_a_check_in_closes_the_entry_and_encrypts_the_note(
    member: Member, peer_worker: Member, counsellor: Member, clock: TimeMachineFixture
) -> None:
    actions.add_care_item(member, source=Source.TRIAGE, reason="Wrote something worrying")
    actions.do_claim(peer_worker, member.pk)
    note = "Talked about her sister's wedding; sleeping badly"
    record = actions.do_record_check_in(peer_worker, member.pk, how="phone", outcome="glad", note=note)
    assert queue.build_queue(counsellor) == []
    with connection.cursor() as cursor:
        cursor.execute("SELECT note_encrypted FROM care_checkinrecord WHERE id = %s", [record.pk])
        [raw] = cursor.fetchone()
    assert raw and "wedding" not in raw and "sister" not in raw
    assert CheckInRecord.objects.get().note == note
    assert CareItem.objects.get().state == CareItem.State.DONE
    assert [r.note for r in actions.care_record(counsellor, member)] == [note]
    assert AuditEntry.objects.filter(action="care.record.viewed", actor=counsellor).exists()


def test_someone_elses_claim_cant_be_recorded_over(
    member: Member, peer_worker: Member, counsellor: Member, clock: TimeMachineFixture
) -> None:
    actions.add_care_item(member, source=Source.TRIAGE, reason="Wrote something worrying")
    actions.do_claim(peer_worker, member.pk)
    with pytest.raises(ActionError, match="Someone else"):
        actions.do_record_check_in(counsellor, member.pk, how="phone", outcome="ok")


def test_no_answer_leaves_it_on_the_queue_for_another_try(
    member: Member, peer_worker: Member, clock: TimeMachineFixture
) -> None:
    actions.add_care_item(member, source=Source.TRIAGE, reason="Wrote something worrying")
    actions.do_claim(peer_worker, member.pk)
    actions.do_record_check_in(peer_worker, member.pk, how="no_contact", outcome="no_contact")
    [entry] = queue.build_queue(peer_worker)
    assert entry.claimed_by is None


def test_snooze_needs_a_reason_and_hides_until_then(
    member: Member, peer_worker: Member, clock: TimeMachineFixture
) -> None:
    actions.add_care_item(member, source=Source.REFERRAL, reason="referral to money advice due")
    with pytest.raises(ActionError, match="why"):
        actions.do_snooze(peer_worker, member.pk, days=3, reason=" ")
    actions.do_snooze(peer_worker, member.pk, days=3, reason="Away at her sister's, said so")
    assert queue.build_queue(peer_worker) == []
    clock.shift(timedelta(days=3, minutes=1))
    assert [e.member for e in queue.build_queue(peer_worker)] == [member]


def test_follow_up_comes_back_on_its_day(member: Member, peer_worker: Member, clock: TimeMachineFixture) -> None:
    from hearth.care.tests.conftest import TODAY

    actions.add_care_item(member, source=Source.TRIAGE, reason="Wrote something worrying")
    actions.do_claim(peer_worker, member.pk)
    actions.do_record_check_in(
        peer_worker, member.pk, how="phone", outcome="more_support", follow_up_on=TODAY + timedelta(days=2)
    )
    assert queue.build_queue(peer_worker) == []
    clock.shift(timedelta(days=2))
    [entry] = queue.build_queue(peer_worker)
    assert entry.reasons == ["follow-up Priya planned (needs more support)"]


@pytest.mark.parametrize("people", [3, 12])
def test_queue_page_runs_a_constant_number_of_queries(
    client_for: ClientFor,
    make_member: MakeMember,
    peer_worker: Member,
    volunteer: Member,
    share: Callable[..., None],
    clock: TimeMachineFixture,
    django_assert_num_queries: DjangoAssertNumQueries,
    people: int,
) -> None:
    client = client_for(peer_worker)
    client.get(reverse("care:queue"))  # warm the session and caches
    for i in range(people):
        person = make_member(f"Person {i}")
        share(person, Source.MOOD)
        actions.do_set_usual_supporter(peer_worker, person, volunteer)
        CareItem.objects.create(member=person, source=Source.MOOD, reason="mood 2/5", weight=35)
        actions.add_care_item(person, source=Source.TRIAGE, reason="Wrote something worrying")
    with django_assert_num_queries(QUEUE_QUERIES):
        response = client.get(reverse("care:queue"))
    assert response.status_code == 200
    assert response.content.decode().count("mood 2/5") == people


# Session, person, roles, the header's energy control and counts, the open crisis alerts (staff's banners);
# then items, consent choices, usual supporters, messages.
QUEUE_QUERIES = 10


def test_each_reason_says_where_it_came_from(
    client_for: ClientFor, member: Member, peer_worker: Member, clock: TimeMachineFixture
) -> None:
    actions.add_care_item(member, source="hand-off", reason="Offered a one-to-one from Tuesday drop-in")
    page = text(client_for(peer_worker).get(reverse("care:queue")))
    assert "· facilitator hand-off," in page and "· ," not in page


def test_the_person_page_has_no_repeated_field_ids(
    client_for: ClientFor, member: Member, peer_worker: Member, clock: TimeMachineFixture
) -> None:
    page = text(client_for(peer_worker).get(reverse("care:person", args=[member.pk])))
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
