"""A message read with what Hearth knows about its writer, and the review band reaching a person (issue 20)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from hearth.care.models import CareItem, Source
from hearth.community.models import Group, Membership
from hearth.community.tests.conftest import make_group
from hearth.core.screening import Screening
from hearth.members.actions import do_set_consent
from hearth.members.models import Member
from hearth.safety import actions
from hearth.safety.context import writer_context
from hearth.safety.models import CrisisAlert, ModerationItem, TriageRecord
from hearth.safety.tests.test_triage_model import EVERYDAY
from hearth.safety.triage import TriageResult, classify
from hearth.safety.triage.context import WriterContext, apply_context, context_could_matter

FLAGGED = WriterContext(recent_risk="concern", notes=("flagged as concern 1 day ago",))
# Written for these tests: goodbye-like acts that mean nothing from most people.
GOODBYE_LIKE = [
    "gave the dog to my sister today",
    "rehomed the cat this morning",
    "sorted out my will and the passwords today",
    "thank you all for everything",
    "handed my guitar over to my nephew, he'll get more use of it",
]


@pytest.mark.parametrize("text", GOODBYE_LIKE)
def test_goodbye_like_acts_are_crisis_only_from_someone_flagged(text: str) -> None:
    alone = classify(text)
    assert alone.risk != "crisis"
    read = apply_context(text, alone, FLAGGED)
    assert read.risk == "crisis"
    assert "writer's context" in read.reasons[0] and "flagged as concern 1 day ago" in read.reasons[0]


@pytest.mark.parametrize("text", [*EVERYDAY, "gave a talk to the group today", "my mum gave me a lift to the shops"])
def test_ordinary_chat_from_someone_flagged_stays_ordinary(text: str) -> None:
    result = classify(text)
    assert apply_context(text, result, FLAGGED) == result
    assert apply_context(text, result, WriterContext(recent_risk="crisis", open_alert=True)).risk == "none"


def test_no_context_or_a_quiet_one_changes_nothing() -> None:
    text = GOODBYE_LIKE[0]
    result = classify(text)
    assert apply_context(text, result, None) == result
    assert apply_context(text, result, WriterContext()) == result


def test_a_place_alone_from_someone_flagged_goes_to_review_not_alarm() -> None:
    text = "going for a walk by the river later"
    read = apply_context(text, classify(text), FLAGGED)
    assert read.risk == "none" and read.review
    assert "writer's context" in read.reasons[-1]


def test_the_context_is_looked_up_only_when_it_could_matter() -> None:
    assert not context_could_matter("Love this!", classify("Love this!"))
    assert context_could_matter(GOODBYE_LIKE[0], classify(GOODBYE_LIKE[0]))


# --- in the app ---------------------------------------------------------------------------------------


@pytest.fixture
def group(volunteer: Member, member: Member) -> Group:
    group = make_group(volunteer)
    Membership.objects.create(group=group, member=member)
    return group


def _screen(author: Member, text: str, now: datetime, object_id: int = 1) -> Screening:
    return actions.screen_writing(author=author, text=text, content_key="community.post", object_id=object_id, now=now)


def test_flagged_yesterday_then_a_goodbye_like_message_raises_the_alert(
    member: Member, outsider: Member, peer_worker: Member
) -> None:
    now = timezone.now()
    _screen(member, "Honestly I wish I could just go to sleep and not wake up.", now - timedelta(days=1), 1)
    assert TriageRecord.objects.get(object_id=1).risk == "concern"
    screening = _screen(member, "gave the dog to my sister today", now, 2)
    assert screening.risk == "crisis"
    alert = CrisisAlert.objects.get(member=member)
    assert "writer's context" in alert.summary
    # The same words from someone with nothing behind them stay ordinary.
    assert _screen(outsider, "gave the dog to my sister today", now, 3).risk == "none"
    assert CrisisAlert.objects.filter(member=outsider).count() == 0


def test_ordinary_chat_from_a_flagged_member_raises_nothing(member: Member, peer_worker: Member) -> None:
    now = timezone.now()
    _screen(member, "Honestly I wish I could just go to sleep and not wake up.", now - timedelta(hours=5), 1)
    items = ModerationItem.objects.count()
    for n, line in enumerate(EVERYDAY, start=10):
        assert _screen(member, line, now, n).risk == "none"
    assert ModerationItem.objects.count() == items
    assert not CrisisAlert.objects.exists()


def test_context_window_and_alerts(member: Member, peer_worker: Member) -> None:
    now = timezone.now()
    assert not writer_context(member, now).raised
    _screen(member, "Honestly I wish I could just go to sleep and not wake up.", now - timedelta(days=5), 1)
    assert not writer_context(member, now).raised  # older than the window
    CrisisAlert.objects.create(member=member, origin="message", summary="x", created_at=now - timedelta(hours=2))
    ctx = writer_context(member, now)
    assert ctx.open_alert and any("crisis alert" in n for n in ctx.notes)


def test_care_cues_count_only_when_shared_with_the_team(member: Member) -> None:
    now = timezone.now()
    CareItem.objects.create(member=member, source=Source.GOING_QUIET, reason="away longer than usual", created_at=now)
    do_set_consent(member, "care.cue.going_quiet", "usual_supporter")
    assert writer_context(member, now).cues == ()
    do_set_consent(member, "care.cue.going_quiet", "peer_team")
    assert writer_context(member, now).cues == ("shares that they have gone quiet",)


def test_the_review_band_reaches_the_moderation_queue_at_concern_without_an_alarm(
    member: Member, peer_worker: Member, monkeypatch: pytest.MonkeyPatch
) -> None:
    uncertain = TriageResult(risk="none", flags=(), reasons=("review: please look within the hour",), review=True)
    monkeypatch.setattr(actions, "classify", lambda text: uncertain)
    screening = _screen(member, "a message the model is unsure about, somewhere near the edge", timezone.now())
    assert screening.risk == "none"
    item = ModerationItem.objects.get()
    assert item.risk == "concern" and item.source == "triage"
    assert not CrisisAlert.objects.exists()
