"""Download/erase cover care; referrals due for follow-up (signposting's) become queue items."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone
from time_machine import TimeMachineFixture

from hearth.care import actions, queue
from hearth.care.models import CareItem, MoodEntry, Source, Visit
from hearth.members.data_rights import erase_member, export_member
from hearth.members.models import Member
from hearth.signposting.models import Referral, Resource


def test_export_and_erase(
    member: Member, peer_worker: Member, share: Callable[..., None], clock: TimeMachineFixture
) -> None:
    share(member, Source.MOOD)
    share(member, Source.GOING_QUIET)
    actions.do_check_in_mood(member, 2, "tired out")
    actions.record_visit(member)
    actions.add_care_item(member, source=Source.TRIAGE, reason="Wrote something worrying")
    actions.do_claim(peer_worker, member.pk)
    actions.do_record_check_in(peer_worker, member.pk, how="phone", outcome="ok", note="fine")
    data = export_member(member)["care"]
    assert data["mood_check_ins"][0]["words"] == "tired out"
    assert data["check_ins"][0]["outcome"] == "Doing OK" and "note" not in data["check_ins"][0]
    erase_member(member)
    assert not MoodEntry.objects.exists() and not Visit.objects.exists() and not CareItem.objects.exists()


def test_referrals_due_become_queue_items_once(member: Member, peer_worker: Member, clock: TimeMachineFixture) -> None:
    money = Resource.objects.create(name="Money advice", description="Debt and benefits")
    Referral.objects.create(
        member=member, resource=money, status=Referral.Status.MADE, follow_up_on=timezone.localdate()
    )
    Referral.objects.create(  # not due yet
        member=member, resource=money, status=Referral.Status.MADE, follow_up_on=timezone.localdate() + timedelta(1)
    )
    assert actions.referrals_due_items() == 1
    assert actions.referrals_due_items() == 0
    assert queue.build_queue(peer_worker)[0].reasons == ["referral to Money advice due for follow-up"]
