"""Consent: cues start off, changes take effect at once, withdrawing deletes what was collected."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.urls import reverse
from pytest_django import DjangoCaptureOnCommitCallbacks
from time_machine import TimeMachineFixture

from hearth.care import actions, cues, queue
from hearth.care.models import (
    CareItem,
    CareProfile,
    CheckInRound,
    MoodEntry,
    Source,
    Visit,
    WellbeingReading,
    WellbeingToken,
)
from hearth.care.tests.conftest import TODAY, visits_every
from hearth.core.errors import ActionError
from hearth.members import consent
from hearth.members.models import Member
from hearth.testing import ClientFor


def test_every_cue_is_in_the_consent_centre_and_starts_off(client_for: ClientFor, member: Member) -> None:
    page = client_for(member).get(reverse("members:consent")).content.decode()
    for kind in cues.KINDS.values():
        assert kind.title in page
        assert kind.default == consent.NOBODY
    assert "My usual supporter" in page and "The peer-work team" in page


def test_nothing_is_collected_until_shared(member: Member, clock: TimeMachineFixture) -> None:
    assert not actions.mood_offered(member)
    assert not actions.record_visit(member)
    with pytest.raises(ActionError, match="off"):
        actions.do_check_in_mood(member, 3)
    assert not MoodEntry.objects.exists() and not Visit.objects.exists()


def test_withdrawn_cue_vanishes_from_the_queue_and_its_data_is_deleted(
    member: Member, peer_worker: Member, share: Callable[..., None], clock: TimeMachineFixture
) -> None:
    share(member, Source.GOING_QUIET)
    Visit.objects.all().delete()
    visits_every(member, 2, last=TODAY - timedelta(days=12))
    actions.do_refresh_cues()
    assert [e.reasons for e in queue.build_queue(peer_worker)] == [
        ["hasn't been in for 12 days — usually here every 2 days"]
    ]
    share(member, Source.GOING_QUIET, "nobody")
    assert queue.build_queue(peer_worker) == []
    assert not CareItem.objects.filter(member=member).exists()
    assert not Visit.objects.filter(member=member).exists()


def test_withdrawal_deletes_even_a_claimed_item(
    member: Member, peer_worker: Member, share: Callable[..., None], clock: TimeMachineFixture
) -> None:
    share(member, Source.MOOD)
    actions.do_check_in_mood(member, 1, "rough")
    actions.do_refresh_cues()
    actions.do_claim(peer_worker, member.pk)
    share(member, Source.MOOD, "nobody")
    assert not CareItem.objects.filter(member=member).exists()
    assert not MoodEntry.objects.filter(member=member).exists()


def test_mood_check_ins_stay_while_the_trend_is_still_shared(
    member: Member, share: Callable[..., None], clock: TimeMachineFixture
) -> None:
    share(member, Source.MOOD)
    share(member, Source.MOOD_TREND)
    actions.do_check_in_mood(member, 3)
    share(member, Source.MOOD, "nobody")
    assert MoodEntry.objects.filter(member=member).exists()
    share(member, Source.MOOD_TREND, "nobody")
    assert not MoodEntry.objects.filter(member=member).exists()


def test_mood_words_are_encrypted_at_rest(
    member: Member, share: Callable[..., None], clock: TimeMachineFixture
) -> None:
    from django.db import connection

    share(member, Source.MOOD)
    actions.do_check_in_mood(member, 2, "couldn't get out of bed")
    with connection.cursor() as cursor:
        cursor.execute("SELECT words_encrypted FROM care_moodentry")
        [raw] = cursor.fetchone()
    assert "bed" not in raw
    assert MoodEntry.objects.get().words == "couldn't get out of bed"


def test_withdrawing_wellbeing_deletes_scores_and_tokens(
    member: Member, share: Callable[..., None], clock: TimeMachineFixture
) -> None:
    share(member, Source.WELLBEING)
    actions.do_import_readings(member, [(TODAY, "stress", 50.0)])
    actions.do_create_token(member, "Watch")
    share(member, Source.WELLBEING, "nobody")
    assert not WellbeingReading.objects.filter(member=member).exists()
    assert not WellbeingToken.objects.filter(member=member).exists()


def test_switching_everything_off(
    member: Member, peer_worker: Member, share: Callable[..., None], clock: TimeMachineFixture
) -> None:
    for source in cues.KINDS:
        share(member, source)
    actions.do_check_in_mood(member, 2)
    actions.do_set_round(peer_worker, member, message="Hi, how's your week?")
    actions.do_ask_for_check_ins(member, "evenings")
    actions.do_switch_off(member)
    assert all(a == consent.NOBODY for k, a in consent.choices_for(member).items() if k.startswith("care."))
    assert not MoodEntry.objects.exists()
    assert not CheckInRound.objects.filter(active=True).exists()
    assert not CareItem.objects.filter(member=member).exclude(state="done").exists()
    assert CareProfile.objects.get(member=member).check_ins_off
    with pytest.raises(ActionError, match="switched check-ins off"):
        actions.do_set_round(peer_worker, member, message="Hi")


def test_sharing_works_the_cue_out_at_once(
    member: Member,
    peer_worker: Member,
    share: Callable[..., None],
    clock: TimeMachineFixture,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    Visit.objects.all().delete()
    visits_every(member, 2, last=TODAY - timedelta(days=12))
    with django_capture_on_commit_callbacks(execute=True):
        share(member, Source.GOING_QUIET)
    assert queue.build_queue(peer_worker)
