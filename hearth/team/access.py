"""Reads of the team's records, only through here. Everything about another person is the coordinator's
(or, for supervision, a supervisor's); a member reaches only their own."""

from __future__ import annotations

from django.http import Http404

from hearth.members import policy
from hearth.members.models import Member
from hearth.members.policy import Perm
from hearth.team.models import Application, Check, DebriefRequest, TrainingModule, TrainingRecord


def access_person(actor: Member, member_id: int, perm: Perm = Perm.MANAGE_PATHWAY) -> Member:
    """Someone whose pathway (or supervision) ``actor`` may manage; "not found" for anyone else."""
    policy.require(actor, perm)
    person = Member.objects.filter(pk=member_id, is_active=True).prefetch_related("role_grants").first()
    if person is None:
        raise Http404
    return person


def access_application(actor: Member, application_id: int) -> Application:
    application = Application.objects.select_related("member").filter(pk=application_id).first()
    if application is None or (application.member_id != actor.pk and not policy.can(actor, Perm.MANAGE_PATHWAY)):
        raise Http404
    return application


def access_check(actor: Member, check_id: int) -> Check:
    policy.require(actor, Perm.MANAGE_PATHWAY)
    check = Check.objects.select_related("member").filter(pk=check_id).first()
    if check is None:
        raise Http404
    return check


def access_record(actor: Member, record_id: int) -> TrainingRecord:
    policy.require(actor, Perm.MANAGE_PATHWAY)
    record = TrainingRecord.objects.select_related("member", "module").filter(pk=record_id).first()
    if record is None:
        raise Http404
    return record


def access_module(actor: Member, module_id: int) -> TrainingModule:
    policy.require(actor, Perm.MANAGE_PATHWAY)
    module = TrainingModule.objects.filter(pk=module_id).first()
    if module is None:
        raise Http404
    return module


def access_debrief(actor: Member, request_id: int) -> DebriefRequest:
    policy.require(actor, Perm.SUPERVISE)
    request = DebriefRequest.objects.select_related("supporter").filter(pk=request_id).first()
    if request is None or request.supporter_id == actor.pk:
        raise Http404
    return request
