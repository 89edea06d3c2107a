"""Every change to the scope, the questionnaire, assessments and group requirements goes through here.

``check_*`` functions validate and authorise; ``do_*`` functions change state
in one transaction and write the audit entry. The urgent path uses the safety
app's one alert (:func:`hearth.safety.actions.raise_crisis_alert`) and the
one-to-one path availability's talk-now request: nothing here is a second copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from hearth.core import audit
from hearth.core.crypto import encrypt_json
from hearth.core.errors import ActionError
from hearth.core.screening import Screening, nothing_written, screen
from hearth.intake import questionnaire
from hearth.intake.defaults import DEFAULT_QUESTIONNAIRE
from hearth.intake.models import Assessment, GroupRequirement, Path, QuestionnaireVersion, Scope
from hearth.members import policy
from hearth.members.models import Member
from hearth.members.policy import Perm

audit.register(
    {
        "intake.scope.changed": "{actor} changed the description of the service's scope",
        "intake.questionnaire.published": "{actor} published version {number} of the self-assessment",
        "intake.assessment.completed": "{subject} completed the self-assessment (version {number})",
        "intake.answers.viewed": "{actor} read the self-assessment answers of {subject}",
        "intake.requirement.changed": "{actor} changed what {group} asks before joining: {summary}",
    }
)

SCOPE_FIELDS = ("who_for", "what_we_offer", "not_covered")
MAX_SCOPE_TEXT = 1500


# --- Scope -------------------------------------------------------------------------------------------


def do_save_scope(actor: Member, **fields: str) -> Scope:
    policy.require(actor, Perm.EDIT_SCOPE)
    unknown = set(fields) - set(SCOPE_FIELDS)
    if unknown:
        raise ValueError(f"not scope fields: {sorted(unknown)}")
    clean = {name: value.strip() for name, value in fields.items()}
    for value in clean.values():
        if not value:
            raise ActionError(
                "Please fill in each part: who the service is for, what it offers and what it doesn't cover."
            )
        if len(value) > MAX_SCOPE_TEXT:
            raise ActionError(f"Keep each part under {MAX_SCOPE_TEXT} characters: plain and short works best.")
    with transaction.atomic():
        scope = Scope.load()
        for name, value in clean.items():
            setattr(scope, name, value)
        scope.updated_by = actor
        scope.save()
        audit.log_action("intake.scope.changed", actor=actor, obj=scope)
    return scope


# --- The questionnaire ----------------------------------------------------------------------------------


def publish_default_version() -> QuestionnaireVersion:
    """Version 1 from :mod:`hearth.intake.defaults` (the data migration; nobody's action, so not audited)."""
    version, _ = QuestionnaireVersion.objects.get_or_create(
        number=1,
        defaults={
            "definition": questionnaire.check_definition(DEFAULT_QUESTIONNAIRE),
            "note": "The starting questions",
        },
    )
    return version


def do_publish_questionnaire(actor: Member, definition: Any, note: str = "") -> QuestionnaireVersion:
    """Publish an edited questionnaire as a new version; earlier answers keep pointing at theirs."""
    policy.require(actor, Perm.EDIT_QUESTIONNAIRE)
    clean = questionnaire.check_definition(definition)
    with transaction.atomic():
        latest = QuestionnaireVersion.objects.select_for_update().order_by("-number").first()
        if latest is not None and latest.definition == clean:
            raise ActionError("Nothing has changed, so there's no new version to publish.")
        number = (QuestionnaireVersion.objects.aggregate(n=Max("number"))["n"] or 0) + 1
        version = QuestionnaireVersion.objects.create(
            number=number, definition=clean, note=note.strip()[:200], created_by=actor
        )
        audit.log_action("intake.questionnaire.published", actor=actor, obj=version, data={"number": number})
    return version


# --- Completing a self-assessment ------------------------------------------------------------------------


@dataclass
class Outcome:
    """What completing the self-assessment did: the record, the routing, and what was asked for."""

    assessment: Assessment
    routing: questionnaire.Routing
    talk_request: Any = None  # availability.TalkRequest, when a one-to-one was asked for
    screening: Screening | None = None  # of the written answers, when there were any
    already_waiting: bool = False  # they already had a talk-now request open
    phone_missing: bool = False  # asked for a call but we have no number: asked for text chat instead
    alert: Any = None  # safety.CrisisAlert, on the urgent path


def do_submit_assessment(member: Member, *, version_number: int, answers: dict[str, Any]) -> Outcome:
    """Check, store (encrypted), route and act on a self-assessment, all in one transaction.

    Refuses a stale version (the questions changed while the member was
    answering) and anything :func:`questionnaire.check_answers` refuses; in
    every refusal nothing is saved. The urgent path raises the crisis alert; the
    one-to-one path asks for a talk with the member's stated preferences.
    """
    from hearth.intake.access import current_version

    with transaction.atomic():
        version = current_version()
        if version_number != version.number:
            raise ActionError(
                "The questions were updated while you were answering, sorry. Please look over them again: "
                "your answers to questions that haven't changed are kept."
            )
        clean = questionnaire.check_answers(version.definition, answers)
        routing = questionnaire.route(version.definition, clean)
        assessment = Assessment.objects.create(
            member=member,
            version=version,
            answers_encrypted=encrypt_json(clean),
            paths=",".join(routing.paths),
            created_at=timezone.now(),
        )
        outcome = Outcome(assessment=assessment, routing=routing)
        written = questionnaire.written_answers(version.definition, clean)
        if written:
            # Free text goes through the one screening path (an alert, signposts) like any writing.
            outcome.screening = screen(
                author=member, text="\n".join(written), path="intake.assessment", object_id=assessment.pk
            )
        else:
            nothing_written("intake.assessment", assessment.pk)  # only options chosen: no words to screen
        urgent = Path.URGENT.value in routing.paths
        if urgent:
            from hearth.safety.actions import raise_crisis_alert
            from hearth.safety.models import CrisisAlert

            outcome.alert = raise_crisis_alert(
                member,
                origin=CrisisAlert.Origin.INTAKE,
                summary="Their self-assessment says they may not be safe right now.",
            )
            assessment.crisis_alert_id = outcome.alert.pk
        if Path.ONE_TO_ONE.value in routing.paths:
            _ask_for_one_to_one(member, outcome, urgent=urgent)
        assessment.save(update_fields=["crisis_alert_id", "talk_request_id"])
        audit.log_action(
            "intake.assessment.completed",
            actor=member,
            subject=member,
            obj=assessment,
            data={"number": version.number},
        )
    return outcome


def _ask_for_one_to_one(member: Member, outcome: Outcome, *, urgent: bool) -> None:
    from hearth.availability.actions import do_request_talk
    from hearth.availability.models import Mode

    prefs = outcome.routing.preferences
    mode = prefs.get("mode", "")
    note = "Asked for a one-to-one in their self-assessment."
    if mode == "in_person":
        note += " They'd like to meet in person when that's possible."
        mode = Mode.TEXT
    if mode == Mode.PHONE and not member.phone:
        outcome.phone_missing = True
        mode = Mode.TEXT
    try:
        outcome.talk_request = do_request_talk(
            member,
            mode=mode or Mode.TEXT,
            prefer_gender=prefs.get("gender", ""),
            prefer_age_band=prefs.get("age_band", ""),
            prefer_experience=prefs.get("experience", ""),
            message=note,
            urgent=urgent,
        )
    except ActionError:
        # Already waiting to talk: that request stands (its own savepoint rolled back, nothing else did).
        outcome.already_waiting = True
        return
    outcome.assessment.talk_request_id = outcome.talk_request.pk


def do_read_answers(actor: Member, assessment: Assessment) -> list[dict[str, Any]]:
    """The answers, in the words of the version they answered, for staff who may read them. Audited."""
    policy.require(actor, Perm.READ_INTAKE_ANSWERS)
    with transaction.atomic():
        audit.log_action("intake.answers.viewed", actor=actor, subject=assessment.member, obj=assessment)
    return questionnaire.explain(assessment.version.definition, assessment.answers())


# --- Group requirements ----------------------------------------------------------------------------------


def do_set_group_requirement(
    actor: Member, requirement: GroupRequirement, *, needs_intake: bool, needs_one_to_one: bool
) -> GroupRequirement:
    """Set what a group asks before joining. Its hosts or staff (``access_group_requirement`` checked who)."""
    from hearth.intake.access import can_set_requirement

    if not can_set_requirement(actor, requirement.group):
        raise ActionError("Only this group's hosts and our staff can change what it asks before joining.")
    if requirement.pk and (requirement.needs_intake, requirement.needs_one_to_one) == (needs_intake, needs_one_to_one):
        return requirement
    with transaction.atomic():
        requirement.needs_intake = needs_intake
        requirement.needs_one_to_one = needs_one_to_one
        requirement.updated_by = actor
        requirement.save()
        parts = [p for p, on in (("the self-assessment", needs_intake), ("a one-to-one", needs_one_to_one)) if on]
        audit.log_action(
            "intake.requirement.changed",
            actor=actor,
            obj=requirement.group,
            data={"group": requirement.group.name, "summary": " and ".join(parts) or "nothing"},
        )
    return requirement
