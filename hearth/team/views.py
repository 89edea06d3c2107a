"""The volunteer pathway, stepping back and supervision: thin views over the actions."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from hearth.core import params
from hearth.core.errors import ActionError
from hearth.core.web import MemberRequest, show_errors
from hearth.members import policy
from hearth.members.models import Member
from hearth.members.policy import Perm
from hearth.team import actions
from hearth.team.access import (
    access_application,
    access_check,
    access_debrief,
    access_module,
    access_person,
    access_record,
)
from hearth.team.forms import (
    ApplicationForm,
    CheckForm,
    DebriefForm,
    DecisionForm,
    ModuleForm,
    StepBackForm,
    SupervisionForm,
    TrainingRecordForm,
)
from hearth.team.models import APPLICABLE_ROLES, Application, Check, DebriefRequest, TrainingModule


def _screened(request: HttpRequest, made: Any, next_url: str, done: str) -> HttpResponse:
    from hearth.core.screening import respond_to_screening

    return respond_to_screening(request, getattr(made, "screening", None), next_url, done)


# --- A member's own page -------------------------------------------------------------------------


def _open_roles(member: Member) -> list[tuple[str, str]]:
    return [(value, label) for value, label in APPLICABLE_ROLES if value not in member.roles]


@login_required
def mine(request: MemberRequest) -> HttpResponse:
    """Volunteering: apply when you feel ready; your training, checks and supervision when you're on the team."""
    me = request.member
    policy.require(me, Perm.APPLY_TO_VOLUNTEER)
    applications = list(Application.objects.filter(member=me))
    current = next((a for a in applications if a.is_open), None)
    roles = _open_roles(me)
    form = ApplicationForm(request.POST or None, roles=roles)
    if request.method == "POST" and form.is_valid():
        with show_errors(request, form=form) as attempt:
            made = actions.do_apply(me, **form.cleaned_data)
        if attempt.ok:
            return _screened(
                request, made, reverse("team:mine"), "Thank you. A coordinator will be in touch about next steps."
            )
    today = timezone.localdate()
    supporter = policy.is_supporter(me)
    return render(
        request,
        "team/mine.html",
        {
            "form": form if roles and current is None else None,
            "current": current,
            "past": [a for a in applications if not a.is_open][:3],
            "supporter": supporter,
            "training": sorted(actions.current_training(me, today).values(), key=lambda r: r.module.name),
            "checks": actions.read_checks(me, me) if supporter or Check.objects.filter(member=me).exists() else [],
            "sessions": actions.read_supervision(me, me) if supporter else [],
            "today": today,
        },
    )


@login_required
@require_POST
def withdraw(request: MemberRequest, application_id: int) -> HttpResponse:
    application = access_application(request.member, application_id)
    with show_errors(request) as attempt:
        actions.do_withdraw_application(request.member, application)
    if attempt.ok:
        messages.info(request, "Your application is withdrawn. You're welcome to apply again whenever you like.")
    return redirect("team:mine")


@login_required
def debrief(request: MemberRequest) -> HttpResponse:
    """After a heavy shift: ask to talk it through."""
    me = request.member
    policy.require(me, Perm.TAKE_SHIFTS)
    form = DebriefForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with show_errors(request, form=form) as attempt:
            actions.do_ask_for_debrief(me, **form.cleaned_data)
        if attempt.ok:
            messages.success(
                request, "Thank you for saying. Someone will be in touch to talk it through. Be kind to yourself today."
            )
            return redirect("team:mine")
    asked = DebriefRequest.objects.filter(supporter=me).exclude(state=DebriefRequest.State.DONE).first()
    return render(request, "team/debrief.html", {"form": form, "asked": asked})


# --- The coordinator's pathway pages ------------------------------------------------------------------


@login_required
def people(request: MemberRequest) -> HttpResponse:
    me = request.member
    policy.require(me, Perm.MANAGE_PATHWAY)
    return render(
        request,
        "team/people.html",
        {
            "applications": Application.objects.filter(state__in=Application.OPEN_STATES).select_related("member"),
            "renewals": actions.renewals_due(),
            "supporters": actions.supporters(),
            "modules": TrainingModule.objects.filter(active=True).count(),
        },
    )


@login_required
def person(request: MemberRequest, member_id: int) -> HttpResponse:
    """One person's pathway: application, training, checks (the look is audited), and stepping back."""
    me = request.member
    who = access_person(me, member_id)
    modules = list(TrainingModule.objects.filter(active=True))
    which = request.POST.get("form", "")
    training_form = TrainingRecordForm(
        request.POST if which == "training" else None, modules=[(m.pk, m.name) for m in modules]
    )
    check_form = CheckForm(request.POST if which == "check" else None)
    decision_form = DecisionForm(request.POST if which == "decide" else None)
    if request.method == "POST":
        with show_errors(request):
            if which == "training":
                if not training_form.is_valid():
                    raise ActionError("Choose the training and the date it was completed.")
                module = access_module(me, params.parse_id(training_form.cleaned_data["module"]) or 0)
                actions.do_record_training(me, who, module, completed_on=training_form.cleaned_data["completed_on"])
                messages.success(request, f"{module.name} is recorded for {who.display_name}.")
            elif which == "remove_training":
                record = access_record(me, params.require_id(request.POST, "record"))
                actions.do_remove_training_record(me, record)
                messages.success(request, "The training record is removed.")
            elif which == "check":
                if not check_form.is_valid():
                    raise ActionError("Check the dates: each needs a day, month and year.")
                check_id = params.get_id(request.POST, "check")
                existing = access_check(me, check_id) if check_id is not None else None
                actions.do_record_check(me, who, existing, **check_form.cleaned_data)
                messages.success(request, "The check is recorded.")
            elif which == "decide":
                application = access_application(me, params.require_id(request.POST, "application"))
                if not decision_form.is_valid():
                    raise ActionError("Choose what happens next.")
                actions.do_decide_application(me, application, **decision_form.cleaned_data)
                messages.success(request, "Saved, and they've been told.")
            else:
                raise ActionError("Something went wrong with that form. Please try again.")
        return redirect("team:person", member_id=who.pk)
    today = timezone.localdate()
    have = actions.current_training(who, today)
    return render(
        request,
        "team/person.html",
        {
            "who": who,
            "applications": Application.objects.filter(member=who),
            "training": [(m, have.get(m.pk)) for m in modules],
            "old_training": [r for r in have.values() if not r.module.active],
            "checks": actions.read_checks(me, who),
            "training_form": training_form,
            "check_form": check_form,
            "decision_form": decision_form,
            "today": today,
            "missing": {role: actions.missing_training(who, role, today) for role in ("volunteer", "peer_worker")},
        },
    )


@login_required
def step_back(request: MemberRequest, member_id: int) -> HttpResponse:
    """Someone is leaving a role: choose who takes on each group, one-to-one and member, then step back."""
    me = request.member
    who = access_person(me, member_id)
    plan = actions.hand_over_plan(who)
    everyone = [p for p in actions.supporters() if p.pk != who.pk]
    form = StepBackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        picked = {p.pk: p for p in everyone}
        with show_errors(request, form=form) as attempt:
            hosts = {
                g.pk: picked[chosen]
                for g in plan.groups
                if (chosen := params.get_id(request.POST, f"group-{g.pk}")) in picked
            }
            conversations = {
                c.pk: picked[chosen]
                for c in plan.conversations
                if (chosen := params.get_id(request.POST, f"conversation-{c.pk}")) in picked
            }
            usual: dict[int, Member | None] = {}
            for person in plan.usual_for:
                if request.POST.get(f"usual-{person.pk}") == "none":
                    usual[person.pk] = None
                elif (chosen := params.get_id(request.POST, f"usual-{person.pk}")) in picked:
                    usual[person.pk] = picked[chosen]
            actions.do_step_back(
                me, who, roles=form.cleaned_data["roles"], hosts=hosts, conversations=conversations, usual=usual
            )
        if attempt.ok:
            messages.success(
                request, f"Everything {who.display_name} looked after has been handed on. Thank them from all of us."
            )
            return redirect("team:people")
    group_members = _group_members(plan.groups)
    return render(
        request,
        "team/step_back.html",
        {
            "who": who,
            "plan": plan,
            "form": form,
            "everyone": everyone,
            "group_choices": [(g, [p for p in group_members.get(g.pk, []) if p.pk != who.pk]) for g in plan.groups],
            "held_roles": [r for r in who.roles if r != "member"],
        },
    )


def _group_members(groups: list[Any]) -> dict[int, list[Member]]:
    """Who could host each group: its members (a new host must be in the group)."""
    from hearth.community.models import Membership

    out: dict[int, list[Member]] = {}
    for m in Membership.objects.filter(group__in=groups).select_related("member").order_by("member__display_name"):
        out.setdefault(m.group_id, []).append(m.member)
    return out


@login_required
def training(request: MemberRequest) -> HttpResponse:
    """The organisation's training modules: what each covers, which roles need it, when it's renewed."""
    me = request.member
    policy.require(me, Perm.MANAGE_PATHWAY)
    module_id = params.get_id(request.GET, "edit") or params.get_id(request.POST, "module")
    editing = access_module(me, module_id) if module_id is not None else None
    initial = (
        {
            "name": editing.name,
            "description": editing.description,
            "required_for": editing.required_for,
            "renew_every_months": editing.renew_every_months,
            "active": editing.active,
        }
        if editing
        else {"active": True}
    )
    form = ModuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with show_errors(request, form=form) as attempt:
            actions.do_save_module(me, editing, **form.cleaned_data)
        if attempt.ok:
            messages.success(request, "The training is saved.")
            return redirect("team:training")
    return render(
        request, "team/training.html", {"modules": TrainingModule.objects.all(), "form": form, "editing": editing}
    )


# --- Supervision ---------------------------------------------------------------------------------------


@login_required
def supervision(request: MemberRequest) -> HttpResponse:
    """Who hasn't had supervision in N weeks, debriefs people asked for, and recording a session."""
    me = request.member
    policy.require(me, Perm.SUPERVISE)
    try:
        weeks = params.get_int(request.GET, "weeks", settings.HEARTH_SUPERVISION_WEEKS, low=1, high=52)
    except params.BadParameter as error:  # typed by hand into the page's own box: say so, show the usual
        messages.error(request, str(error))
        weeks = settings.HEARTH_SUPERVISION_WEEKS
    due, fine = actions.supervision_overview(weeks)
    return render(
        request,
        "team/supervision.html",
        {
            "weeks": weeks,
            "due": due,
            "fine": fine,
            "debriefs": DebriefRequest.objects.exclude(state=DebriefRequest.State.DONE)
            .exclude(supporter=me)
            .select_related("supporter", "handled_by"),
        },
    )


@login_required
def supervision_person(request: MemberRequest, member_id: int) -> HttpResponse:
    """One supporter's sessions (notes for those who may read them; the look is audited) and a new one."""
    me = request.member
    who = access_person(me, member_id, Perm.SUPERVISE)
    debrief_request = None
    debrief_id = params.get_id(request.GET, "debrief") or params.get_id(request.POST, "debrief")
    if debrief_id is not None:
        debrief_request = access_debrief(me, debrief_id)
    initial = {"kind": "debrief" if debrief_request else "one_to_one", "held_on": timezone.localdate()}
    form = SupervisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with show_errors(request, form=form) as attempt:
            actions.do_record_supervision(
                me, who, kind=data["kind"], held_on=data["held_on"], notes=data["notes"], debrief=debrief_request
            )
        if attempt.ok:
            messages.success(request, "The session is recorded.")
            return redirect("team:supervision_person", member_id=who.pk)
    sessions = actions.read_supervision(me, who) if request.method == "GET" or not form.is_bound else []
    return render(
        request,
        "team/supervision_person.html",
        {"who": who, "sessions": sessions, "form": form, "debrief": debrief_request},
    )


@login_required
@require_POST
def arrange_debrief(request: MemberRequest, request_id: int) -> HttpResponse:
    me = request.member
    debrief_request = access_debrief(me, request_id)
    with show_errors(request) as attempt:
        actions.do_arrange_debrief(me, debrief_request)
    if attempt.ok:
        messages.success(request, f"{debrief_request.supporter.display_name} knows you'll be in touch.")
    return redirect("team:supervision")
