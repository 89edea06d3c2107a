"""Download/erase cover care; referrals due (from signposting, when it's there) become queue items."""

from __future__ import annotations

import sys
import types
from collections.abc import Callable
from datetime import date

import pytest
from time_machine import TimeMachineFixture

from hearth.care import actions, queue
from hearth.care.models import CareItem, MoodEntry, Source, Visit
from hearth.members.data_rights import erase_member, export_member
from hearth.members.models import Member


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


class _Referral:
    def __init__(self, pk: int, member: Member, resource_name: str, follow_up_on: date) -> None:
        self.pk, self.member, self.resource_name, self.follow_up_on = pk, member, resource_name, follow_up_on


def test_referrals_due_become_queue_items_once(
    member: Member, peer_worker: Member, clock: TimeMachineFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = types.ModuleType("hearth.signposting.actions")
    monkeypatch.setattr(
        module,
        "referrals_due",
        lambda now=None: [_Referral(7, member, "money advice", date(2026, 11, 24))],
        raising=False,
    )
    monkeypatch.setitem(sys.modules, "hearth.signposting.actions", module)
    assert actions.referrals_due_items() == 1
    assert actions.referrals_due_items() == 0
    assert queue.build_queue(peer_worker)[0].reasons == ["referral to money advice due for follow-up"]


def test_the_queue_works_without_signposting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "hearth.signposting.actions", None)  # import fails
    assert actions.referrals_due_items() == 0
