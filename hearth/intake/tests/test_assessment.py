"""Completing the self-assessment: each path, bad input, encryption at rest, versions and who reads answers."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoCaptureOnCommitCallbacks, Settings

from hearth.availability.models import DutySession, TalkRequest
from hearth.community.models import Group
from hearth.core.errors import ActionError
from hearth.core.models import AuditEntry
from hearth.intake import actions
from hearth.intake.access import current_version
from hearth.intake.actions import Outcome
from hearth.intake.defaults import DEFAULT_QUESTIONNAIRE
from hearth.intake.models import Assessment
from hearth.intake.tests.conftest import GOOD
from hearth.members.models import Member
from hearth.members.policy import Perm
from hearth.safety.models import CrisisAlert
from hearth.testing import ClientFor, ClientResponse, text, visible_text


def submit(member: Member, answers: dict[str, Any], version: int | None = None) -> Outcome:
    return actions.do_submit_assessment(member, version_number=version or current_version().number, answers=answers)


def post(client: Client, answers: dict[str, Any], version: int | None = None) -> ClientResponse:
    data = {f"q_{qid}": value for qid, value in answers.items()}
    data["version"] = str(version or current_version().number)
    return client.post(reverse("intake:start"), data)


def nothing_saved() -> bool:
    return not Assessment.objects.exists() and not TalkRequest.objects.exists() and not CrisisAlert.objects.exists()


# --- The four paths ---------------------------------------------------------------------------------------


def test_ready_for_groups_suggests_groups_that_match(client_for: ClientFor, member: Member, group: Group) -> None:
    response = post(client_for(member), {**GOOD, "wants": ["group"], "interests": ["making"]})
    assessment = Assessment.objects.get(member=member)
    assert response.status_code == 302 and response["Location"] == reverse("intake:result", args=[assessment.pk])
    page = visible_text(client_for(member).get(response["Location"]))
    assert "Ready for groups" in page and "Tuesday Makers" in page
    assert not TalkRequest.objects.exists() and not CrisisAlert.objects.exists()
    assert AuditEntry.objects.filter(action="intake.assessment.completed", subject=member).count() == 1


def test_one_to_one_first_asks_for_a_talk_with_their_preferences(
    member: Member, peer_worker: Member, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    DutySession.objects.create(supporter=peer_worker)
    outcome = submit(
        member,
        {**GOOD, "wants": ["talk"], "talk_how": ["video"], "talk_gender": ["woman"], "talk_experience": ["carer"]},
    )
    request = TalkRequest.objects.get(member=member)
    assert outcome.talk_request == request and outcome.assessment.talk_request_id == request.pk
    assert (request.mode, request.prefer_gender, request.prefer_experience) == ("video", "woman", "carer")
    assert request.state == TalkRequest.State.WAITING and not request.urgent


def test_with_nobody_on_duty_the_one_to_one_becomes_a_message_and_we_say_so_kindly(
    client_for: ClientFor, member: Member
) -> None:
    response = post(client_for(member), {**GOOD, "wants": ["talk"], "talk_how": ["in_person"]})
    request = TalkRequest.objects.get(member=member)
    assert request.state == TalkRequest.State.MESSAGE
    assert "in person" in request.message
    page = visible_text(client_for(member).get(response["Location"]))
    assert "the next supporter on duty will see it first" in page


def test_asking_for_a_call_without_a_phone_number_asks_for_text_chat_instead(outsider: Member) -> None:
    outcome = submit(outsider, {**GOOD, "wants": ["talk"], "talk_how": ["phone"]})
    assert outcome.phone_missing and outcome.talk_request.mode == "text"


def test_someone_already_waiting_to_talk_keeps_their_request(member: Member, peer_worker: Member) -> None:
    DutySession.objects.create(supporter=peer_worker)
    first = submit(member, {**GOOD, "wants": ["talk"]})
    second = submit(member, {**GOOD, "wants": ["talk"]})
    assert second.already_waiting and TalkRequest.objects.filter(member=member).count() == 1
    assert Assessment.objects.filter(member=member).count() == 2 and first.talk_request is not None


def test_urgent_raises_exactly_one_crisis_alert_through_safety_and_shows_crisis_support(
    client_for: ClientFor,
    member: Member,
    peer_worker: Member,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    from hearth.core.events import capture_events
    from hearth.testing import run_deliveries

    DutySession.objects.create(supporter=peer_worker)
    with capture_events() as events, django_capture_on_commit_callbacks(execute=True):
        response = post(client_for(member), {**GOOD, "safety": ["not_safe"]})
        run_deliveries()
    (alert,) = CrisisAlert.objects.all()
    assert alert.member == member and alert.origin == CrisisAlert.Origin.INTAKE
    assert f"member.{peer_worker.pk}" in events.recipients_of("safety.alert")
    assessment = Assessment.objects.get(member=member)
    assert assessment.crisis_alert_id == alert.pk
    assert response["Location"].startswith(reverse("safety:support"))
    # Urgent and a one-to-one at once: the talk request is marked urgent (peer workers and counsellors only).
    assert TalkRequest.objects.get(member=member).urgent
    result = visible_text(client_for(member).get(reverse("intake:result", args=[assessment.pk])))
    assert "Samaritans" in result and "Support right now" in result


def test_outside_scope_shows_signposts_from_the_directory_and_a_welcome(client_for: ClientFor, member: Member) -> None:
    response = post(client_for(member), {**GOOD, "wants": ["not_sure"], "substance": ["main"]})
    page = visible_text(client_for(member).get(response["Location"]))
    assert "Other services that can help" in page and "FRANK" in page and "Drinkline" in page
    assert "still welcome here to browse and hang out" in page
    assert "Ready for groups" in page  # several paths at once


# --- Bad input: a clear message, nothing half-saved -----------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({**GOOD, "wants": ["teleport"]}, "isn't one of its options"),
        ({"brings": ["meet"], "today": ["okay"]}, "Please answer “What would you like from us?”"),
        ({**GOOD, "anything_else": "x" * 5000}, "Please keep it under 1000"),
        ({**GOOD, "invented": ["yes"]}, "don't match the questions"),
        ({**GOOD, "safety": ["not_safe"], "wants": ["bogus"]}, "isn't one of its options"),
    ],
)
def test_bad_submissions_say_what_to_fix_and_save_nothing(
    client_for: ClientFor, member: Member, answers: dict[str, Any], message: str
) -> None:
    response = post(client_for(member), answers)
    assert response.status_code == 200
    assert message in text(response)
    assert nothing_saved()


def test_a_stale_version_is_refused_and_the_answers_are_kept_on_the_page(
    client_for: ClientFor, member: Member, coordinator: Member
) -> None:
    old = current_version().number
    edited = copy.deepcopy(DEFAULT_QUESTIONNAIRE)
    edited["questions"][0]["text"] = "What brings you to us?"
    actions.do_publish_questionnaire(coordinator, edited, "Friendlier first question")
    response = post(client_for(member), {**GOOD, "wants": ["talk"]}, version=old)
    assert response.status_code == 200
    assert "The questions were updated while you were answering" in text(response)
    assert 'value="talk" checked' in text(response)
    assert nothing_saved()


def test_a_failure_after_the_alert_would_be_raised_rolls_everything_back(
    member: Member, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hearth.intake import actions as intake_actions

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the talk queue is down")

    monkeypatch.setattr(intake_actions, "_ask_for_one_to_one", broken)
    with pytest.raises(RuntimeError):
        submit(member, {**GOOD, "safety": ["not_safe"]})
    assert nothing_saved()


# --- Encryption at rest ----------------------------------------------------------------------------------------


def test_answers_are_encrypted_at_rest(member: Member) -> None:
    secret = "my sister Alison's flat in Leeds"
    outcome = submit(member, {**GOOD, "anything_else": secret, "worries": ["housing"]})
    with connection.cursor() as cursor:
        cursor.execute("SELECT answers_encrypted FROM intake_assessment WHERE id = %s", [outcome.assessment.pk])
        (raw,) = cursor.fetchone()
    for plaintext in (secret, "Alison", "housing", "brings", "meet"):
        assert plaintext not in raw
    assert outcome.assessment.answers()["anything_else"] == secret


def test_a_different_key_cannot_read_the_answers(member: Member, settings: Settings) -> None:
    outcome = submit(member, GOOD)
    from hearth.core import crypto

    settings.HEARTH_FIELD_KEY = "ZmllbGQta2V5LWZvci10ZXN0cy0zMi1ieXRlcy0wMDA="
    crypto._fernet.cache_clear()
    with pytest.raises(ValueError, match="can't be decrypted"):
        Assessment.objects.get(pk=outcome.assessment.pk).answers()


def test_keys_rotate_new_key_first_old_key_still_reads(member: Member, settings: Settings) -> None:
    from cryptography.fernet import Fernet

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.HEARTH_FIELD_KEY = old
    outcome = submit(member, GOOD)
    settings.HEARTH_FIELD_KEY = f"{new},{old}"
    assert Assessment.objects.get(pk=outcome.assessment.pk).answers() == GOOD


# --- Versions ----------------------------------------------------------------------------------------------------


def test_old_answers_are_still_explained_by_the_version_they_answered(
    member: Member, coordinator: Member, peer_worker: Member
) -> None:
    v1 = submit(member, {**GOOD, "wants": ["hang_out"]}).assessment
    edited = copy.deepcopy(DEFAULT_QUESTIONNAIRE)
    wants = edited["questions"][1]
    wants["text"] = "What are you hoping for?"
    wants["options"] = [o for o in wants["options"] if o["id"] != "hang_out"] + [
        {"id": "browse", "label": "Just browse"}
    ]
    edited["rules"] = [
        {**r, "any": [t for t in r.get("any", []) if t != "wants.hang_out"] or ["wants.browse"]}
        for r in edited["rules"]
    ]
    v2 = actions.do_publish_questionnaire(coordinator, edited, "Hang out is now browse")
    assert v2.number == v1.version.number + 1 and current_version() == v2
    rows = actions.do_read_answers(peer_worker, v1)
    assert {
        "question": "What would you like from us?",
        "answer": "Hang out and see what's going on",
        "answered": True,
    } in rows
    # The old option no longer exists: the same answers under the new version are refused.
    with pytest.raises(ActionError, match="isn't one of its options"):
        submit(member, {**GOOD, "wants": ["hang_out"]})


def test_publishing_needs_a_change_and_the_coordinator(coordinator: Member, peer_worker: Member) -> None:
    with pytest.raises(ActionError, match="Nothing has changed"):
        actions.do_publish_questionnaire(coordinator, copy.deepcopy(DEFAULT_QUESTIONNAIRE))
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        actions.do_publish_questionnaire(peer_worker, {"questions": []})


def test_the_editor_publishes_a_new_version_and_explains_mistakes(client_for: ClientFor, coordinator: Member) -> None:
    import json

    client = client_for(coordinator)
    broken = client.post(reverse("intake:editor"), {"definition": '{"questions": [', "note": ""})
    assert "This isn't valid JSON" in text(broken)
    edited = copy.deepcopy(DEFAULT_QUESTIONNAIRE)
    edited["rules"].append({"path": "groups", "any": ["wants.nope"]})
    wrong = client.post(reverse("intake:editor"), {"definition": json.dumps(edited)})
    assert "isn't a question.option" in text(wrong)
    edited["rules"][-1]["any"] = ["brings.meet"]
    response = client.post(reverse("intake:editor"), {"definition": json.dumps(edited), "note": "Meeting people"})
    assert response.status_code == 302
    assert current_version().number == 2 and current_version().note == "Meeting people"
    assert AuditEntry.objects.filter(action="intake.questionnaire.published", actor=coordinator).count() == 1


# --- Who may read answers ------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["peer_worker", "counsellor", "coordinator"])
def test_staff_read_answers_and_each_read_is_audited(
    request: pytest.FixtureRequest, client_for: ClientFor, member: Member, who: str
) -> None:
    reader = request.getfixturevalue(who)
    assessment = submit(member, {**GOOD, "anything_else": "Sleeping badly"}).assessment
    client = client_for(reader)
    page = text(client.get(reverse("intake:staff_detail", args=[assessment.pk])))
    assert "Sleeping badly" not in page  # not until they ask, and it's recorded
    assert not AuditEntry.objects.filter(action="intake.answers.viewed").exists()
    shown = text(client.post(reverse("intake:staff_detail", args=[assessment.pk]), {"show": "answers"}))
    assert "Sleeping badly" in shown
    entry = AuditEntry.objects.get(action="intake.answers.viewed")
    assert entry.actor == reader and entry.subject == member


@pytest.mark.parametrize("who", ["volunteer", "outsider"])
def test_volunteers_and_other_members_cannot_read_answers(
    request: pytest.FixtureRequest, client_for: ClientFor, member: Member, who: str
) -> None:
    reader = request.getfixturevalue(who)
    assessment = submit(member, {**GOOD, "anything_else": "Sleeping badly"}).assessment
    client = client_for(reader)
    assert client.post(reverse("intake:staff_detail", args=[assessment.pk]), {"show": "answers"}).status_code == 404
    assert client.get(reverse("intake:result", args=[assessment.pk])).status_code == 404
    assert not AuditEntry.objects.filter(action="intake.answers.viewed").exists()
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        actions.do_read_answers(reader, assessment)


def test_the_policy_line_is_staff_only() -> None:
    from hearth.members.policy import RULES, STAFF

    assert RULES[Perm.READ_INTAKE_ANSWERS] == STAFF


# --- Data rights -----------------------------------------------------------------------------------------------------


def test_export_has_the_answers_and_results_and_erasure_removes_them(member: Member) -> None:
    from hearth.members import data_rights

    submit(member, {**GOOD, "anything_else": "Sleeping badly", "wants": ["talk"]})
    exported = data_rights.export_member(member)["self_assessments"]
    assert exported[0]["suggested"] == ["A one-to-one first"]
    assert {
        "question": "Is there anything else you'd like us to know?",
        "answer": "Sleeping badly",
        "answered": True,
    } in exported[0]["answers"]
    data_rights.erase_member(member)
    assert not Assessment.objects.exists()


def test_suggestions_stay_on_the_home_page_until_taken_up(client_for: ClientFor, member: Member, group: Group) -> None:
    from hearth.community.models import Membership

    home = visible_text(client_for(member).get(reverse("core:home")))
    assert "Tell us a bit about what you'd like" in home  # before: the invitation
    post(client_for(member), {**GOOD, "wants": ["group"], "interests": ["making"]})
    home = visible_text(client_for(member).get(reverse("core:home")))
    assert "Suggested for you" in home and "Tuesday Makers" in home
    Membership.objects.create(group=group, member=member)
    assert "Suggested for you" not in visible_text(client_for(member).get(reverse("core:home")))
