"""Every insights write: outcome answers (with the PHQ-9 item-9 safety path), invitations, settings, rollups.

The research export is in :mod:`hearth.insights.research` (a read, but audited).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from hearth.core import audit
from hearth.core.errors import ActionError
from hearth.insights import measures, rollup, specs
from hearth.insights.access import OUTCOMES, TAKING_PART, takes_part
from hearth.insights.models import (
    ActivityWeeks,
    CountedAnswer,
    InsightsSettings,
    OutcomeInvitation,
    OutcomeResponse,
    RolledUpDay,
    Rollup,
    RollupCursor,
)
from hearth.insights.registry import week_of
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
    from hearth.safety.actions import raise_crisis_alert
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


# --- Rollups (issue 21): the worker's counting of the dashboard's figures ------------------------------------------

CHUNK_WEEKS = 4  # a long run of days is counted and stored four weeks at a time (one transaction each)
RECOUNT_DAYS = 14  # days this recent are counted again once a day: rows change after their day (answers, replies)
BACKFILL_DAYS = 366  # after an upgrade, the job counts the days of the last year never counted...
BACKFILL_PER_RUN = 28  # ...this many a run, newest first


def do_roll_up(first: date, last: date, now: datetime | None = None) -> int:
    """Count every figure for the days ``first``..``last`` and store it (weekly figures for their whole weeks).

    Replaces what was stored for those days; returns the number of days counted.
    """
    now = now or timezone.now()
    done = 0
    start = first
    while start <= last:
        end = min(last, week_of(start) + timedelta(weeks=CHUNK_WEEKS, days=-1))
        _store(rollup.count_days(start, end), now)
        done += (end - start).days + 1
        start = end + timedelta(days=1)
    return done


def _store(counted: rollup.Counted, now: datetime) -> None:
    weekly = rollup.WEEKLY_KEYS
    days = rollup.days_between(counted.first, counted.last)
    with transaction.atomic():
        Rollup.objects.filter(day__gte=counted.first, day__lte=counted.last).exclude(key__in=weekly).delete()
        Rollup.objects.filter(day__in=counted.mondays, key__in=weekly).delete()
        Rollup.objects.bulk_create(
            [Rollup(day=day, key=key, count=n, values=values) for (day, key), (n, values) in counted.figures.items()],
            batch_size=2000,
        )
        _store_weeks(counted)
        _store_answers(counted.answers)
        RolledUpDay.objects.filter(day__in=days).delete()
        RolledUpDay.objects.bulk_create([RolledUpDay(day=d, counted_at=now) for d in days])


def _store_answers(answers: list[rollup.AnswerLinks]) -> None:
    """Write the answers counted (each with its links to the person's answers before and after), replacing them."""
    CountedAnswer.objects.bulk_create(
        [
            CountedAnswer(
                response_id=a.response_id,
                measure=a.measure,
                band=a.band,
                score=a.score,
                answered_at=a.answered_at,
                previous_at=a.previous_at,
                next_at=a.next_at,
            )
            for a in answers
        ],
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["response"],
        update_fields=["measure", "band", "score", "answered_at", "previous_at", "next_at"],
    )


def _store_weeks(counted: rollup.Counted) -> None:
    """Write each member's character for the counted weeks into their ActivityWeeks rows."""
    by_block: dict[date, list[tuple[int, date]]] = defaultdict(list)
    for monday in counted.mondays:
        block, position = rollup.block_of(monday)
        by_block[block].append((position, monday))
    for block, positions in by_block.items():
        existing = {row.member_id: row for row in ActivityWeeks.objects.filter(first_week=block)}
        changed: list[ActivityWeeks] = []
        new: list[ActivityWeeks] = []
        for member_id in existing.keys() | counted.weeks.keys():
            row = existing.get(member_id) or ActivityWeeks(
                member_id=member_id, first_week=block, weeks=specs.NOT_SEEN * rollup.BLOCK
            )
            chars = list(row.weeks)
            for position, monday in positions:
                chars[position] = counted.weeks.get(member_id, {}).get(monday, specs.NOT_SEEN)
            weeks = "".join(chars)
            if row.pk is None:
                if weeks != specs.NOT_SEEN * rollup.BLOCK:
                    row.weeks = weeks
                    new.append(row)
            elif weeks != row.weeks:
                row.weeks = weeks
                changed.append(row)
        ActivityWeeks.objects.bulk_update(changed, ["weeks"], batch_size=2000)
        ActivityWeeks.objects.bulk_create(new, batch_size=2000)


def roll_up_due(now: datetime | None = None) -> int:
    """The ``roll_up_insights`` job: count the days that need it (see ``rollup.py``); returns days counted."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = {today, today - timedelta(days=1)} | late_days(today)
    counted = dict(
        RolledUpDay.objects.filter(day__gte=today - timedelta(days=BACKFILL_DAYS)).values_list("day", "counted_at")
    )
    recent = today - timedelta(days=RECOUNT_DAYS)
    due |= {d for d, at in counted.items() if d >= recent and at < now - timedelta(days=1)}
    never = [today - timedelta(days=i) for i in range(2, BACKFILL_DAYS)]
    due |= set([d for d in never if d not in counted][:BACKFILL_PER_RUN])
    done = 0
    for first, last in _runs(sorted(due)):
        done += do_roll_up(first, last, now)
    return done


def _runs(days: list[date]) -> list[tuple[date, date]]:
    """Consecutive days as (first, last) runs."""
    runs: list[tuple[date, date]] = []
    for d in days:
        if runs and runs[-1][1] + timedelta(days=1) == d:
            runs[-1] = (runs[-1][0], d)
        else:
            runs.append((d, d))
    return runs


def late_days(today: date) -> set[date]:
    """Past days that tables gained rows for since the last run (by each table's highest id): late arrivals."""
    whens: dict[str, set[str]] = defaultdict(set)
    sources: list[specs.Figure | specs.Action] = [*specs.FIGURES, *specs.ACTIONS]
    for spec in sources:
        if rollup.available(spec.app, spec.model):
            whens[spec.model].add(spec.when)
    whens["insights.OutcomeResponse"].add("created_at")  # questionnaire answers (rollup.answers_of_people_who_answered)
    late: set[date] = set()
    for label, fields in whens.items():
        model = rollup.model_of(label)
        cursor, first_run = RollupCursor.objects.get_or_create(table=label)
        newest = model._default_manager.order_by("-pk").values_list("pk", flat=True).first() or 0
        if not first_run and newest > cursor.last_id:  # on the first run, the backfill counts what is there
            for row in model._default_manager.filter(pk__gt=cursor.last_id, pk__lte=newest).values_list(*fields):
                late |= {rollup.day_of(v) for v in row if v is not None}
        if newest != cursor.last_id:
            RollupCursor.objects.filter(pk=cursor.pk).update(last_id=newest)
    return {d for d in late if d < today}
