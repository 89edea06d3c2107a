"""Questionnaires with consent: offering, answering, the PHQ-9 item-9 safety path, withdrawing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from hearth.care.models import CareItem
from hearth.core.errors import ActionError
from hearth.core.models import AuditEntry
from hearth.insights import actions
from hearth.insights.access import ONLY_ME, OUTCOMES, WITH_STAFF
from hearth.insights.models import InsightsSettings, OutcomeInvitation, OutcomeResponse
from hearth.members.actions import do_set_consent
from hearth.members.models import Member
from hearth.safety.models import CrisisAlert
from hearth.testing import ClientFor, visible_text

pytestmark = pytest.mark.usefixtures("measures_on")


def _phq9(item9: int, rest: int = 1) -> list[int]:
    return [rest] * 8 + [item9]


@pytest.fixture
def taking_part(member: Member) -> Member:
    do_set_consent(member, OUTCOMES.key, ONLY_ME.key)
    return member


def test_saying_yes_offers_every_switched_on_questionnaire_at_once(member: Member) -> None:
    do_set_consent(member, OUTCOMES.key, ONLY_ME.key)
    assert sorted(OutcomeInvitation.objects.filter(member=member).values_list("measure", flat=True)) == [
        "gad7",
        "phq9",
        "ucla3",
    ]


def test_answering_scores_it_and_closes_the_offer(taking_part: Member) -> None:
    done = actions.do_submit_outcome(taking_part, "gad7", [2, 2, 2, 2, 1, 1, 1])
    assert (done.response.score, done.response.band) == (11, "moderate")
    assert not OutcomeInvitation.objects.filter(member=taking_part, measure="gad7", answered_at__isnull=True).exists()
    assert not done.show_support


def test_someone_who_has_not_said_yes_cannot_answer(member: Member) -> None:
    with pytest.raises(ActionError, match="haven't chosen"):
        actions.do_submit_outcome(member, "phq9", _phq9(0))
    assert not OutcomeResponse.objects.exists()


def test_a_questionnaire_the_organisation_switched_off_is_refused(taking_part: Member) -> None:
    InsightsSettings.objects.update(gad7_on=False)
    with pytest.raises(ActionError, match="isn't offered"):
        actions.do_submit_outcome(taking_part, "gad7", [0] * 7)


def test_item9_answered_not_at_all_goes_nowhere(taking_part: Member) -> None:
    done = actions.do_submit_outcome(taking_part, "phq9", _phq9(0, rest=3))
    assert done.response.band == "severe" or done.response.score == 24
    assert not CrisisAlert.objects.exists()
    assert not CareItem.objects.exists()


def test_item9_several_days_puts_them_on_the_care_queue_without_a_live_alert(taking_part: Member) -> None:
    done = actions.do_submit_outcome(taking_part, "phq9", _phq9(1))
    assert done.show_support and not done.alerted
    assert not CrisisAlert.objects.exists()
    item = CareItem.objects.get(member=taking_part)
    assert item.source == "outcome" and "several days" in item.reason
    assert AuditEntry.objects.filter(action="insights.outcome.flagged", subject=taking_part).exists()


@pytest.mark.parametrize(("item9", "said"), [(2, "more than half the days"), (3, "nearly every day")])
def test_item9_two_or_more_raises_a_crisis_alert_and_a_care_item(
    taking_part: Member, peer_worker: Member, item9: int, said: str
) -> None:
    done = actions.do_submit_outcome(taking_part, "phq9", _phq9(item9, rest=0))
    assert done.show_support and done.alerted
    alert = CrisisAlert.objects.get(member=taking_part)
    assert alert.origin == CrisisAlert.Origin.INTAKE
    assert said in alert.summary and "PHQ-9 question 9" in alert.summary
    assert AuditEntry.objects.filter(action="safety.alert.raised", subject=taking_part).exists()
    assert CareItem.objects.get(member=taking_part).source == "outcome"


def test_item9_safety_path_applies_even_when_results_are_only_for_the_member(taking_part: Member) -> None:
    actions.do_submit_outcome(taking_part, "phq9", _phq9(3))
    assert CrisisAlert.objects.filter(member=taking_part).exists()


def test_the_member_sees_crisis_resources_at_once(taking_part: Member, client_for: ClientFor) -> None:
    data = {f"item_{i}": "1" for i in range(1, 9)} | {"item_9": "2"}
    page = visible_text(client_for(taking_part).post("/me/questionnaires/phq9/", data))
    assert "you don't have to carry it alone" in page
    assert "Samaritans" in page and "116 123" in page
    assert "someone will reach out" in page


def test_an_ordinary_result_is_shown_kindly_without_crisis_lines(taking_part: Member, client_for: ClientFor) -> None:
    page = visible_text(
        client_for(taking_part).post("/me/questionnaires/ucla3/", {"item_1": "1", "item_2": "2", "item_3": "1"})
    )
    assert "4 out of 9: not often lonely" in page
    assert "Samaritans" not in page.split("Need help now?")[1].split("If you are in danger")[0]


def test_saying_no_later_deletes_answers_and_offers(taking_part: Member) -> None:
    actions.do_submit_outcome(taking_part, "gad7", [0] * 7)
    do_set_consent(taking_part, OUTCOMES.key, "nobody")
    assert not OutcomeResponse.objects.filter(member=taking_part).exists()
    assert not OutcomeInvitation.objects.filter(member=taking_part).exists()


def test_offers_come_again_after_the_interval_and_not_before(taking_part: Member, member: Member) -> None:
    OutcomeInvitation.objects.filter(member=taking_part).update(answered_at=timezone.now())
    assert actions.offer_due_questionnaires() == 0
    later = timezone.now() + timedelta(days=29)
    assert actions.offer_due_questionnaires(now=later) == 3
    assert actions.offer_due_questionnaires(now=later) == 0  # one open offer at a time


def test_not_now_sets_the_offer_aside(taking_part: Member, client_for: ClientFor) -> None:
    client_for(taking_part).post("/me/questionnaires/phq9/not-now/")
    assert OutcomeInvitation.objects.get(member=taking_part, measure="phq9").set_aside_at is not None


def test_home_asks_once_then_shows_what_is_waiting(member: Member, client_for: ClientFor) -> None:
    client = client_for(member)
    assert "Would you like to see how you're doing over time?" in visible_text(client.get("/"))
    client.post("/me/questionnaires/take-part/", {"audience": WITH_STAFF.key})
    page = visible_text(client.get("/"))
    assert "Would you like" not in page and "A short questionnaire, when you're ready" in page
    client.post("/me/questionnaires/take-part/", {"audience": "nobody"})
    client.get("/")  # the confirmation message
    page = visible_text(client.get("/"))
    assert "Would you like" not in page and "A short questionnaire" not in page


def test_staff_see_results_only_when_the_member_allowed_it_and_it_is_audited(
    taking_part: Member, peer_worker: Member, client_for: ClientFor
) -> None:
    actions.do_submit_outcome(taking_part, "gad7", [1] * 7)
    url = f"/insights/people/{taking_part.pk}/outcomes/"
    assert client_for(peer_worker).get(url).status_code == 404
    do_set_consent(taking_part, OUTCOMES.key, WITH_STAFF.key)
    response = client_for(peer_worker).get(url)
    assert response.status_code == 200 and "GAD-7" in visible_text(response)
    assert AuditEntry.objects.filter(action="insights.outcomes.viewed", actor=peer_worker, subject=taking_part).exists()
