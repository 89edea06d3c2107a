"""Every change to the volunteer pathway, training, checks, stepping back and supervision goes through here.

Reads of checks and of supervision notes by anyone but the person they are about are audited
(:func:`read_checks`, :func:`read_supervision`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone

from hearth.core import audit
from hearth.core.deliveries import send_email
from hearth.core.errors import ActionError
from hearth.members import policy
from hearth.members.actions import do_grant_role, do_revoke_role, register_grant_check
from hearth.members.models import Member, Role, RoleGrant
from hearth.members.policy import Perm
from hearth.team.models import (
    APPLICABLE_ROLES,
    Application,
    Check,
    DebriefRequest,
    Departure,
    SupervisionSession,
    TrainingModule,
    TrainingRecord,
    add_months,
)

audit.register(
    {
        "team.application.made": "{subject} applied to be a {role}",
        "team.application.withdrawn": "{subject} withdrew their application",
        "team.application.decided": "{actor} marked {subject}'s application: {state}",
        "team.module.saved": "{actor} saved the training module {name}",
        "team.training.recorded": "{actor} recorded that {subject} completed {module}",
        "team.training.removed": "{actor} removed a training record of {subject} ({module})",
        "team.check.recorded": "{actor} recorded a {kind} for {subject}: {outcome}",
        "team.checks.viewed": "{actor} looked at the checks of {subject}",
        "team.stepped_back": "{actor} recorded that {subject} stepped back ({roles}) and handed on {count} things",
        "team.supervision.recorded": "{actor} recorded {kind} for {subject}",
        "team.supervision.viewed": "{actor} read the supervision notes of {subject}",
        "team.debrief.asked": "{subject} asked for a debrief",
        "team.debrief.arranged": "{actor} arranged a debrief for {subject}",
    }
)

SUPPORTER_ROLES = (Role.VOLUNTEER, Role.PEER_WORKER, Role.COUNSELLOR, Role.COORDINATOR)


def _coordinators() -> list[Member]:
    return list(Member.objects.filter(role_grants__role=Role.COORDINATOR, is_active=True).distinct())


# --- Applications ---------------------------------------------------------------------------------


def check_can_apply(member: Member, role: str) -> None:
    policy.require(member, Perm.APPLY_TO_VOLUNTEER)
    if role not in dict(APPLICABLE_ROLES):
        raise ActionError("Choose what you'd like to apply for: volunteer or peer worker.")
    if role in member.roles:
        raise ActionError(f"You're already a {Role(role).label.lower()}. Thank you.")
    if Application.objects.filter(member=member, state__in=Application.OPEN_STATES).exists():
        raise ActionError("You've already applied; a coordinator will be in touch. You can withdraw it any time.")


def do_apply(member: Member, *, role: str, why: str, availability: str = "") -> Application:
    """A member who feels well enough asks to volunteer. The coordinators are told."""
    check_can_apply(member, role)
    why, availability = why.strip(), availability.strip()
    if len(why) < 10:
        raise ActionError("Tell us a little about what draws you to it: a sentence or two is plenty.")
    try:
        with transaction.atomic():
            application = Application.objects.create(
                member=member, role=role, why=why[:2000], availability=availability[:300]
            )
            from hearth.team.screening import screen_application

            application.screening = screen_application(application)
            audit.log_action(
                "team.application.made",
                actor=member,
                subject=member,
                obj=application,
                data={"role": Role(role).label.lower()},
            )
            for coordinator in _coordinators():
                send_email(
                    coordinator,
                    "team/email/application",
                    {"application": application},
                    kind="team.application.made",
                    about=application,
                )
    except IntegrityError:
        raise ActionError("You've already applied; a coordinator will be in touch.") from None
    return application


def do_withdraw_application(member: Member, application: Application) -> None:
    if application.member_id != member.pk:
        raise ActionError("That isn't your application.")
    with transaction.atomic():
        if not Application.objects.filter(pk=application.pk, state__in=Application.OPEN_STATES).update(
            state=Application.State.WITHDRAWN
        ):
            raise ActionError("That application has already been answered.")
        audit.log_action("team.application.withdrawn", actor=member, subject=member, obj=application)


def do_decide_application(actor: Member, application: Application, *, state: str, message: str = "") -> None:
    """Move an application on: in progress, welcomed (the role is given, which checks training), or not this time.

    Welcoming someone whose new role needs training they haven't done is refused with what is missing, so the
    coordinator records the training first.
    """
    policy.require(actor, Perm.MANAGE_PATHWAY)
    if state not in (Application.State.IN_PROGRESS, Application.State.ACCEPTED, Application.State.DECLINED):
        raise ActionError("Choose what happens next: in progress, welcome them, or not this time.")
    if not application.is_open:
        raise ActionError("That application has already been answered.")
    with transaction.atomic():
        if state == Application.State.ACCEPTED:
            do_grant_role(actor, application.member, application.role)
        application.state, application.message = state, message.strip()[:500]
        if state != Application.State.IN_PROGRESS:
            application.decided_by, application.decided_at = actor, timezone.now()
        application.save(update_fields=["state", "message", "decided_by", "decided_at"])
        audit.log_action(
            "team.application.decided",
            actor=actor,
            subject=application.member,
            obj=application,
            data={"state": application.get_state_display().lower()},
        )
        send_email(
            application.member,
            "team/email/application_decided",
            {"application": application},
            kind="team.application.decided",
            about=application,
        )


# --- Training ---------------------------------------------------------------------------------------------


def do_save_module(
    actor: Member,
    module: TrainingModule | None = None,
    *,
    name: str,
    description: str = "",
    required_for: list[str] | None = None,
    renew_every_months: int | None = None,
    active: bool = True,
) -> TrainingModule:
    policy.require(actor, Perm.MANAGE_PATHWAY)
    name = name.strip()
    if not name:
        raise ActionError("Give the training a name.")
    roles = sorted(set(required_for or []))
    if any(r not in SUPPORTER_ROLES for r in roles):
        raise ActionError("Choose roles from the list.")
    if renew_every_months is not None and not 1 <= renew_every_months <= 120:
        raise ActionError("Renewal is every 1 to 120 months, or never.")
    clash = TrainingModule.objects.filter(name__iexact=name)
    if module is not None:
        clash = clash.exclude(pk=module.pk)
    if clash.exists():
        raise ActionError(f"There is already training called {name}.")
    with transaction.atomic():
        module = module or TrainingModule()
        module.name, module.description = name[:80], description.strip()[:300]
        module.required_for, module.renew_every_months, module.active = roles, renew_every_months, active
        module.save()
        audit.log_action("team.module.saved", actor=actor, obj=module, data={"name": module.name})
    return module


def do_record_training(actor: Member, member: Member, module: TrainingModule, *, completed_on: date) -> TrainingRecord:
    policy.require(actor, Perm.MANAGE_PATHWAY)
    if completed_on > timezone.localdate():
        raise ActionError("Record training once it's done: the date can't be in the future.")
    expires = add_months(completed_on, module.renew_every_months) if module.renew_every_months else None
    with transaction.atomic():
        record = TrainingRecord.objects.create(
            member=member, module=module, completed_on=completed_on, expires_on=expires, recorded_by=actor
        )
        audit.log_action(
            "team.training.recorded", actor=actor, subject=member, obj=record, data={"module": module.name}
        )
    return record


def do_remove_training_record(actor: Member, record: TrainingRecord) -> None:
    policy.require(actor, Perm.MANAGE_PATHWAY)
    with transaction.atomic():
        record.delete()
        audit.log_action(
            "team.training.removed", actor=actor, subject=record.member, data={"module": record.module.name}
        )


def current_training(member: Member, today: date | None = None) -> dict[int, TrainingRecord]:
    """The latest record of each module ``member`` has, keyed by module id (expired ones included)."""
    today = today or timezone.localdate()
    latest: dict[int, TrainingRecord] = {}
    for record in TrainingRecord.objects.filter(member=member).select_related("module").order_by("completed_on"):
        latest[record.module_id] = record
    return latest


def missing_training(member: Member, role: str, today: date | None = None) -> list[TrainingModule]:
    """Modules ``role`` requires that ``member`` has no current record of."""
    today = today or timezone.localdate()
    have = current_training(member, today)
    return [
        m
        for m in TrainingModule.objects.filter(active=True)
        if role in m.required_for and not (m.pk in have and have[m.pk].current(today))
    ]


def check_training_for_role(member: Member, role: str) -> None:
    """The role-grant check (registered with ``members.actions``): named training first, then the role."""
    missing = missing_training(member, role)
    if missing:
        names = ", ".join(m.name for m in missing)
        raise ActionError(
            f"{member.display_name} needs this training before becoming a {Role(role).label.lower()}: {names}. "
            "Record it on their pathway page first."
        )


register_grant_check(check_training_for_role)


# --- Checks (references and background checks) -------------------------------------------------------------


def do_record_check(
    actor: Member,
    member: Member,
    check: Check | None = None,
    *,
    kind: str,
    outcome: str,
    requested_on: date | None = None,
    completed_on: date | None = None,
    expires_on: date | None = None,
) -> Check:
    """Add or update a check: dates and outcome only. Never the document or what the referee said."""
    policy.require(actor, Perm.MANAGE_PATHWAY)
    if kind not in Check.Kind.values or outcome not in Check.Outcome.values:
        raise ActionError("Choose the kind of check and its outcome from the lists.")
    if requested_on and completed_on and completed_on < requested_on:
        raise ActionError("A check can't be completed before it was asked for.")
    if expires_on and completed_on and expires_on <= completed_on:
        raise ActionError("A check expires after it was completed.")
    if check is not None and check.member_id != member.pk:
        raise ActionError("That check is someone else's.")
    with transaction.atomic():
        check = check or Check(member=member)
        check.kind, check.outcome = kind, outcome
        check.requested_on, check.completed_on, check.expires_on = requested_on, completed_on, expires_on
        check.recorded_by, check.warned_at = actor, None
        check.save()
        audit.log_action(
            "team.check.recorded",
            actor=actor,
            subject=member,
            obj=check,
            data={"kind": check.get_kind_display().lower(), "outcome": check.get_outcome_display().lower()},
        )
    return check


def read_checks(actor: Member, member: Member) -> list[Check]:
    """A person's checks: for themselves, or for the coordinator (each look audited). Never for anyone else."""
    if actor.pk != member.pk:
        policy.require(actor, Perm.MANAGE_PATHWAY)
        audit.log_action("team.checks.viewed", actor=actor, subject=member)
    return list(Check.objects.filter(member=member))


# --- Renewals and expiry warnings ---------------------------------------------------------------------------


def warn_expiring(now: datetime | None = None) -> int:
    """Warn once about training and checks expiring within ``HEARTH_RENEWAL_WARNING_DAYS``.

    Each row is claimed with a conditional UPDATE on ``warned_at``, so two workers never warn twice. The person
    hears about their training; the coordinators hear about both. Returns how many warnings went.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    horizon = today + timedelta(days=settings.HEARTH_RENEWAL_WARNING_DAYS)
    coordinators = _coordinators()
    sent = 0
    due_training = TrainingRecord.objects.filter(
        warned_at__isnull=True, expires_on__isnull=False, expires_on__lte=horizon, member__is_active=True
    ).select_related("member", "module")
    for record in due_training:
        if _latest_of(record) and TrainingRecord.objects.filter(pk=record.pk, warned_at__isnull=True).update(
            warned_at=now
        ):
            with transaction.atomic():
                context = {"record": record, "expires": _day_words(record.expires_on)}
                send_email(record.member, "team/email/training_expiring", context, kind="team.renewal", about=record)
                for coordinator in coordinators:
                    send_email(coordinator, "team/email/renewals", context, kind="team.renewal", about=record)
            sent += 1
    due_checks = Check.objects.filter(
        warned_at__isnull=True, expires_on__isnull=False, expires_on__lte=horizon, member__is_active=True
    ).select_related("member")
    for check in due_checks:
        if Check.objects.filter(pk=check.pk, warned_at__isnull=True).update(warned_at=now):
            with transaction.atomic():
                context = {"check": check, "expires": _day_words(check.expires_on)}
                for coordinator in coordinators:
                    send_email(coordinator, "team/email/renewals", context, kind="team.renewal", about=check)
            sent += 1
    return sent


def _day_words(day: date | None) -> str:
    """ "Monday 7 December" (deliveries carry plain words, not dates)."""
    return f"{day:%A} {day.day} {day:%B}" if day else ""


def _latest_of(record: TrainingRecord) -> bool:
    """Is this the person's latest record of the module? (A renewed one needs no warning.)"""
    return not TrainingRecord.objects.filter(
        member_id=record.member_id, module_id=record.module_id, completed_on__gt=record.completed_on
    ).exists()


@dataclass
class Renewal:
    member: Member
    what: str
    expires_on: date
    expired: bool


def renewals_due(today: date | None = None) -> list[Renewal]:
    """Training (latest records only) and checks that have expired or expire within the warning window."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=settings.HEARTH_RENEWAL_WARNING_DAYS)
    out: list[Renewal] = []
    latest: dict[tuple[int, int], TrainingRecord] = {}
    for record in (
        TrainingRecord.objects.filter(member__is_active=True)
        .select_related("member", "module")
        .order_by("completed_on", "id")
    ):
        latest[(record.member_id, record.module_id)] = record
    for record in latest.values():
        if record.expires_on and record.expires_on <= horizon:
            out.append(Renewal(record.member, record.module.name, record.expires_on, record.expires_on <= today))
    for check in Check.objects.filter(member__is_active=True, expires_on__lte=horizon).select_related("member"):
        if check.expires_on is not None:
            out.append(Renewal(check.member, check.get_kind_display(), check.expires_on, check.expires_on <= today))
    return sorted(out, key=lambda r: (r.expires_on, r.member.display_name))


# --- Stepping back, gracefully -----------------------------------------------------------------------------


@dataclass
class HandOverPlan:
    """What the person stepping back had, read from each app."""

    groups: list[Any] = field(default_factory=list)
    conversations: list[Any] = field(default_factory=list)
    usual_for: list[Member] = field(default_factory=list)
    shifts: int = 0
    claimed: int = 0


def hand_over_plan(leaving: Member) -> HandOverPlan:
    from hearth.availability.models import ShiftException, ShiftPattern
    from hearth.care.actions import usual_supporter_of_whom
    from hearth.care.models import CareItem
    from hearth.chat.actions import supporter_conversations
    from hearth.community.actions import hosted_groups

    today = timezone.localdate()
    shifts = (
        ShiftPattern.objects.filter(supporter=leaving)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .count()
        + ShiftException.objects.filter(supporter=leaving, kind="extra", date__gte=today).count()
    )
    return HandOverPlan(
        groups=hosted_groups(leaving),
        conversations=supporter_conversations(leaving),
        usual_for=usual_supporter_of_whom(leaving),
        shifts=shifts,
        claimed=CareItem.objects.filter(claimed_by=leaving, state=CareItem.State.CLAIMED)
        .values("member_id")
        .distinct()
        .count(),
    )


def do_step_back(
    actor: Member,
    leaving: Member,
    *,
    roles: list[str],
    hosts: dict[int, Member],
    conversations: dict[int, Member],
    usual: dict[int, Member | None],
) -> Departure:
    """Someone stops being a supporter: hand on every group they host, every open one-to-one and every member
    they are the usual supporter of, end their shifts, put anyone they were reaching out to back on the care
    queue, then take away the roles. One transaction: all of it, or none of it.

    ``hosts`` maps group id → new host; ``conversations`` conversation id → new supporter; ``usual`` member id →
    new usual supporter (or None for nobody). Everything they had must have somewhere to go.
    """
    from hearth.availability.actions import do_step_off_rota
    from hearth.care.actions import do_release_claims_of, do_set_usual_supporter
    from hearth.chat.actions import do_hand_over_conversation
    from hearth.community.actions import do_hand_over_hosting_for

    policy.require(actor, Perm.MANAGE_PATHWAY)
    roles = [r for r in roles if r in leaving.roles and r in SUPPORTER_ROLES]
    if not roles:
        raise ActionError(f"Choose which roles {leaving.display_name} is stepping back from.")
    if leaving.pk == actor.pk and Role.COORDINATOR in roles:
        raise ActionError("Another coordinator records a coordinator stepping back.")
    plan = hand_over_plan(leaving)
    still_supporter = bool(set(leaving.roles) & set(SUPPORTER_ROLES) - set(roles))
    if not still_supporter:
        missing = [g.name for g in plan.groups if g.pk not in hosts]
        missing += [
            f"the one-to-one with {c.member.display_name}" for c in plan.conversations if c.pk not in conversations
        ]
        missing += [f"{m.display_name}'s usual supporter" for m in plan.usual_for if m.pk not in usual]
        if missing:
            raise ActionError("Choose who takes on: " + "; ".join(missing) + ".")
    handed: list[dict[str, Any]] = []
    with transaction.atomic():
        for group in plan.groups:
            if group.pk in hosts:
                do_hand_over_hosting_for(actor, leaving, group, hosts[group.pk])
                handed.append({"what": "group", "id": group.pk, "to": hosts[group.pk].pk})
        for conversation in plan.conversations:
            if conversation.pk in conversations:
                do_hand_over_conversation(actor, conversation, conversations[conversation.pk])
                handed.append({"what": "conversation", "id": conversation.pk, "to": conversations[conversation.pk].pk})
        for person in plan.usual_for:
            if person.pk in usual:
                new = usual[person.pk]
                do_set_usual_supporter(actor, person, new)
                handed.append({"what": "usual_supporter", "id": person.pk, "to": new.pk if new else None})
        if not still_supporter:
            do_step_off_rota(actor, leaving)
            do_release_claims_of(actor, leaving)
        for role in roles:
            do_revoke_role(actor, leaving, role)
        departure = Departure.objects.create(
            member=leaving, recorded_by=actor, roles=roles, handed_over=handed, left_on=timezone.localdate()
        )
        audit.log_action(
            "team.stepped_back",
            actor=actor,
            subject=leaving,
            obj=departure,
            data={"roles": ", ".join(Role(r).label.lower() for r in roles), "count": len(handed)},
        )
        send_email(leaving, "team/email/thank_you", {"departure": departure}, kind="team.stepped_back", about=departure)
    return departure


# --- Supervision and debriefs -------------------------------------------------------------------------------


def do_record_supervision(
    actor: Member,
    supporter: Member,
    *,
    kind: str,
    held_on: date,
    notes: str = "",
    debrief: DebriefRequest | None = None,
) -> SupervisionSession:
    policy.require(actor, Perm.SUPERVISE)
    if kind not in SupervisionSession.Kind.values:
        raise ActionError("Choose the kind of session.")
    if held_on > timezone.localdate():
        raise ActionError("Record a session once it has happened: the date can't be in the future.")
    if supporter.pk == actor.pk:
        raise ActionError("Someone else records your supervision.")
    if not policy.is_supporter(supporter):
        raise ActionError(f"{supporter.display_name} isn't a supporter.")
    with transaction.atomic():
        session = SupervisionSession(supporter=supporter, supervisor=actor, kind=kind, held_on=held_on)
        session.set_notes(notes.strip()[:5000])
        session.save()
        if debrief is not None:
            DebriefRequest.objects.filter(pk=debrief.pk, supporter=supporter).update(
                state=DebriefRequest.State.DONE, session=session, handled_by=actor
            )
        audit.log_action(
            "team.supervision.recorded",
            actor=actor,
            subject=supporter,
            obj=session,
            data={"kind": session.get_kind_display().lower()},
        )
    return session


def can_read_supervision(actor: Member, session: SupervisionSession) -> bool:
    """The supporter it is about, the supervisor who wrote it, and coordinators. Nobody else, ever."""
    return actor.pk in (session.supporter_id, session.supervisor_id) or policy.can(actor, Perm.MANAGE_PATHWAY)


def read_supervision(actor: Member, supporter: Member) -> list[tuple[SupervisionSession, str | None]]:
    """A supporter's sessions, each with its notes when ``actor`` may read them (None when not).

    Reads by anyone but the supporter are audited, once per look.
    """
    sessions = list(SupervisionSession.objects.filter(supporter=supporter).select_related("supervisor"))
    if actor.pk != supporter.pk:
        policy.require(actor, Perm.SUPERVISE)
        if any(can_read_supervision(actor, s) and s.notes_encrypted for s in sessions):
            audit.log_action("team.supervision.viewed", actor=actor, subject=supporter)
    return [(s, s.notes() if can_read_supervision(actor, s) else None) for s in sessions]


def do_ask_for_debrief(supporter: Member, *, note: str = "", urgency: str = "soon") -> DebriefRequest:
    """After a heavy shift: ask to talk it through. The supervisors (coordinators, counsellors) are told."""
    policy.require(supporter, Perm.TAKE_SHIFTS)
    if urgency not in ("soon", "today"):
        raise ActionError("Choose when you'd like to talk.")
    if DebriefRequest.objects.filter(supporter=supporter, state=DebriefRequest.State.OPEN).exists():
        raise ActionError("You've already asked; someone will be in touch. Thank you for saying.")
    with transaction.atomic():
        request = DebriefRequest(supporter=supporter, urgency=urgency)
        request.set_note(note.strip()[:1000])
        request.save()
        audit.log_action("team.debrief.asked", actor=supporter, subject=supporter, obj=request)
        supervisors = (
            Member.objects.filter(role_grants__role__in=sorted(policy.roles_with(Perm.SUPERVISE)), is_active=True)
            .exclude(pk=supporter.pk)
            .distinct()
        )
        for supervisor in supervisors:
            send_email(supervisor, "team/email/debrief", {"request": request}, kind="team.debrief.asked", about=request)
    return request


def do_arrange_debrief(actor: Member, request: DebriefRequest) -> None:
    policy.require(actor, Perm.SUPERVISE)
    with transaction.atomic():
        if not DebriefRequest.objects.filter(pk=request.pk, state=DebriefRequest.State.OPEN).update(
            state=DebriefRequest.State.ARRANGED, handled_by=actor
        ):
            raise ActionError("Someone is already arranging this debrief.")
        audit.log_action("team.debrief.arranged", actor=actor, subject=request.supporter, obj=request)
        send_email(
            request.supporter,
            "team/email/debrief_arranged",
            {"request": request, "by": actor},
            kind="team.debrief.arranged",
            about=request,
        )


@dataclass
class SupervisionDue:
    supporter: Member
    last: date | None
    weeks: int | None  # whole weeks since the last session; None if never


def supervision_overview(weeks: int, today: date | None = None) -> tuple[list[SupervisionDue], list[SupervisionDue]]:
    """Supporters who haven't had supervision (of any kind) in ``weeks`` weeks, longest first; and the rest."""
    today = today or timezone.localdate()
    supporters = list(
        Member.objects.filter(role_grants__role__in=[Role.VOLUNTEER, Role.PEER_WORKER, Role.COUNSELLOR], is_active=True)
        .distinct()
        .annotate(last=Max("supervisions__held_on"))
        .order_by("display_name")
    )
    rows = [SupervisionDue(s, s.last, (today - s.last).days // 7 if s.last else None) for s in supporters]
    cutoff = today - timedelta(weeks=weeks)
    due = [r for r in rows if r.last is None or r.last <= cutoff]
    due.sort(key=lambda r: (r.last is not None, r.last or today, r.supporter.display_name))
    return due, [r for r in rows if r not in due]


def supporters() -> list[Member]:
    """Everyone with a supporter role, by name (for the pathway list and the supervision form)."""
    return list(
        Member.objects.filter(pk__in=RoleGrant.objects.filter(role__in=SUPPORTER_ROLES).values("member_id"))
        .filter(is_active=True)
        .prefetch_related("role_grants")
        .order_by("display_name")
    )
