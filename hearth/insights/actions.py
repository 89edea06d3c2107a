"""Every insights write: outcome answers (with the PHQ-9 item-9 safety path), invitations, settings.

The research export is in :mod:`hearth.insights.research` (a read, but audited).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from hearth.core import audit
from hearth.core.errors import ActionError
from hearth.insights import measures
from hearth.insights.access import OUTCOMES, TAKING_PART, takes_part
from hearth.insights.models import InsightsSettings, OutcomeInvitation, OutcomeResponse
from hearth.members import consent, policy
from hearth.members.models import Consent, Member
from hearth.members.policy import Perm

audit.register(
    {
        "insights.settings.changed": "{actor} changed the insights settings ({changes})",
        "insights.outcome.flagged": "{subject}'s questionnaire answer about self-harm was passed to the team ({what})",
        "insights.outcomes.viewed": "{actor} viewed {subject}'s questionnaire results",
        "insights.research.exported": "{actor} downloaded a research export ({people} people, {start} to {end})",
        "insights.metric.downloaded": "{actor} downloaded the '{metric}' figures ({start} to {end})",
    }
)

CARE_SOURCE = "outcome"  # the care queue's source for questionnaire answers


@dataclass(frozen=True)
class Submitted:
    response: OutcomeResponse
    # What the member is shown at once: crisis resources when item 9 was answered above 0.
    show_support: bool
    alerted: bool


def check_answers(member: Member, measure: str, answers: list[int]) -> measures.Questionnaire:
    if measure not in InsightsSettings.load().measures_on():
        raise ActionError("That questionnaire isn't offered here at the moment.")
    if not takes_part(member):
        raise ActionError("You haven't chosen to answer questionnaires. You can change that in your sharing choices.")
    q = measures.get(measure)
    try:
        q.score(answers)
    except ValueError:
        raise ActionError("Please choose an answer for every question.") from None
    return q


def do_submit_outcome(member: Member, measure: str, answers: list[int], now: datetime | None = None) -> Submitted:
    """Score and keep a questionnaire; PHQ-9 item 9 above 0 goes down the same path as triage.

    Item 9 ("thoughts that you would be better off dead, or of hurting yourself"):
    - 2 or 3 (more than half the days, nearly every day): a live crisis alert to whoever is on
      duty (``raise_crisis_alert``, origin "self-assessment") *and* a care item, so someone
      follows up after the alert is acknowledged;
    - 1 (several days): a care item, so a person reaches out soon without a live alarm;
    - any answer above 0: crisis resources on the member's screen at once.
    This happens whoever the member chose to share results with (they are told beforehand).
    """
    from hearth.care.actions import add_care_item
    from hearth.safety.alerts import raise_crisis_alert
    from hearth.safety.models import CrisisAlert

    q = check_answers(member, measure, answers)
    now = now or timezone.now()
    score = q.score(answers)
    band = q.band(score)
    with transaction.atomic():
        invitation = (
            OutcomeInvitation.objects.select_for_update()
            .filter(member=member, measure=measure, answered_at__isnull=True, set_aside_at__isnull=True)
            .first()
        )
        if invitation is not None:
            invitation.answered_at = now
            invitation.save(update_fields=["answered_at"])
        response = OutcomeResponse.objects.create(
            member=member,
            measure=measure,
            answers=list(answers),
            score=score,
            band=band.key,
            invitation=invitation,
            created_at=now,
        )
        item9 = measures.item9(measure, answers)
        alerted = False
        if item9 > 0:
            said = dict(q.options)[item9].lower()
            what = f"PHQ-9 question 9 (thoughts of being better off dead or of self-harm) answered '{said}'"
            if item9 >= measures.ITEM9_ALERT_FROM:
                raise_crisis_alert(member, origin=CrisisAlert.Origin.INTAKE, summary=f"Questionnaire: {what}.", now=now)
                alerted = True
            add_care_item(member, source=CARE_SOURCE, reason=f"Questionnaire: {what}", now=now)
            audit.log_action(
                "insights.outcome.flagged",
                actor=None,
                subject=member,
                obj=response,
                data={"what": "crisis alert and care queue" if alerted else "care queue"},
            )
    return Submitted(response=response, show_support=item9 > 0, alerted=alerted)


def do_set_aside(member: Member, measure: str, now: datetime | None = None) -> None:
    """'Not now': the invitation goes; the next comes after the usual interval."""
    OutcomeInvitation.objects.filter(
        member=member, measure=measure, answered_at__isnull=True, set_aside_at__isnull=True
    ).update(set_aside_at=now or timezone.now())


def on_outcomes_consent_changed(member: Member, audience: consent.Audience) -> None:
    """Called inside ``do_set_consent``: saying yes offers the questionnaires now (the baseline);
    saying no withdraws open invitations and deletes every answer."""
    if audience.key in TAKING_PART:
        _offer(member.pk, InsightsSettings.load().measures_on(), timezone.now())
    else:
        OutcomeInvitation.objects.filter(member=member).delete()
        OutcomeResponse.objects.filter(member=member).delete()


def _offer(member_id: int, measure_keys: list[str], now: datetime) -> None:
    for measure in measure_keys:
        try:
            with transaction.atomic():
                OutcomeInvitation.objects.create(member_id=member_id, measure=measure, created_at=now)
        except IntegrityError:
            pass  # already has an open one


def offer_due_questionnaires(now: datetime | None = None) -> int:
    """Offer each switched-on questionnaire to members taking part whose last offer is ``interval_days`` old.

    Run by the ``offer_questionnaires`` periodic job. Returns how many invitations were made.
    """
    now = now or timezone.now()
    s = InsightsSettings.load()
    taking_part = Consent.objects.filter(
        kind=OUTCOMES.key, audience__in=TAKING_PART, member__is_active=True
    ).values_list("member_id", flat=True)
    made = 0
    cutoff = now - timedelta(days=s.interval_days)
    for measure in s.measures_on():
        recent = OutcomeInvitation.objects.filter(measure=measure).filter(
            Q(created_at__gt=cutoff) | Q(answered_at__isnull=True, set_aside_at__isnull=True)
        )
        due = set(taking_part) - set(recent.values_list("member_id", flat=True))
        OutcomeInvitation.objects.bulk_create(
            [OutcomeInvitation(member_id=m, measure=measure, created_at=now) for m in sorted(due)],
            ignore_conflicts=True,
        )
        made += len(due)
    return made


SETTINGS_FIELDS = (
    "phq9_on",
    "gad7_on",
    "ucla3_on",
    "interval_days",
    "talk_target_minutes",
    "alert_target_minutes",
)


def do_update_settings(actor: Member, **fields: Any) -> InsightsSettings:
    policy.require(actor, Perm.MANAGE_ORGANISATION)
    with transaction.atomic():
        s = InsightsSettings.load()
        changes = []
        for name in SETTINGS_FIELDS:
            if name in fields and getattr(s, name) != fields[name]:
                setattr(s, name, fields[name])
                changes.append(f"{getattr(s._meta.get_field(name), 'verbose_name', name)}: {fields[name]}")
        if changes:
            s.updated_by = actor
            s.save()
            audit.log_action("insights.settings.changed", actor=actor, data={"changes": "; ".join(changes)})
    return s


def log_outcomes_viewed(viewer: Member, member: Member) -> None:
    """Staff reading someone's results is a sensitive read (the member themselves is not logged)."""
    if viewer.pk != member.pk:
        audit.log_action("insights.outcomes.viewed", actor=viewer, subject=member)
