"""Thin views: parse input, call the access helper and one action, render or redirect."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from hearth.community.models import JoinRequest
from hearth.core import params
from hearth.core.errors import ActionError
from hearth.core.web import MemberRequest, show_errors
from hearth.intake import access, actions, gatekeeping, questionnaire
from hearth.intake.forms import QuestionnaireForm, RequirementForm, ScopeForm
from hearth.intake.models import PATH_ORDER, Assessment, Path, QuestionnaireVersion, Scope
from hearth.members import policy
from hearth.members.models import Member
from hearth.members.policy import Perm
from hearth.signposting.access import by_topic, directory

PATH_LABELS = dict(Path.choices)


# --- The scope --------------------------------------------------------------------------------------


def scope(request: HttpRequest) -> HttpResponse:
    """Who the service is for and what it doesn't cover: for anyone, before or after joining."""
    return render(request, "intake/scope.html", {"scope": Scope.load()})


@login_required
def scope_edit(request: MemberRequest) -> HttpResponse:
    policy.require(request.member, Perm.EDIT_SCOPE)
    form = ScopeForm(request.POST or None, instance=Scope.load())
    if request.method == "POST" and form.is_valid():
        with show_errors(request, form=form) as attempt:
            actions.do_save_scope(request.member, **{f: form.cleaned_data[f] for f in ScopeForm.Meta.fields})
        if attempt.ok:
            messages.success(request, "The description of the service is saved.")
            return redirect("intake:scope")
    return render(request, "intake/scope_edit.html", {"form": form})


# --- The self-assessment ------------------------------------------------------------------------------


def _posted_answers(request: HttpRequest, definition: dict[str, Any]) -> dict[str, Any]:
    """The answers in a POST, keyed by question id (``q_<id>`` fields; unknown ones are kept for the check)."""
    kinds = {q["id"]: q["kind"] for q in definition["questions"]}
    answers: dict[str, Any] = {}
    for key in request.POST:
        if not key.startswith("q_"):
            continue
        qid = key[2:]
        answers[qid] = request.POST.get(key, "") if kinds.get(qid) == "text" else request.POST.getlist(key)
    return answers


@login_required
def start(request: MemberRequest) -> HttpResponse:
    member = request.member
    version = access.current_version()
    answers: dict[str, Any] = {}
    error = ""
    if request.method == "POST":
        answers = _posted_answers(request, version.definition)
        version_number = params.get_id(request.POST, "version") or 0
        try:
            outcome = actions.do_submit_assessment(member, version_number=version_number, answers=answers)
        except ActionError as exc:
            error = str(exc)
        else:
            result_url = reverse("intake:result", args=[outcome.assessment.pk])
            if outcome.alert is not None:
                return redirect(f"{reverse('safety:support')}?{urlencode({'next': result_url})}")
            return redirect(result_url)
    return render(
        request,
        "intake/start.html",
        {
            "version": version,
            "questions": _questions_for_form(version.definition, answers),
            "error": error,
            "scope": Scope.load(),
            "last": access.latest_assessment(member),
        },
    )


def _questions_for_form(definition: dict[str, Any], answers: dict[str, Any]) -> list[dict[str, Any]]:
    """Questions with what was already chosen, so a refused submission keeps the person's answers."""
    rows = []
    for q in definition["questions"]:
        given = answers.get(q["id"])
        chosen = set(given) if isinstance(given, list) else set()
        rows.append(
            {
                **q,
                "field": f"q_{q['id']}",
                "text_value": given if isinstance(given, str) else "",
                "options": [{**o, "checked": o["id"] in chosen} for o in q["options"]],
                "max_length": questionnaire.MAX_TEXT_ANSWER,
            }
        )
    return rows


@login_required
def result(request: MemberRequest, assessment_id: int) -> HttpResponse:
    """What the member's own self-assessment suggests, in kind words, with the next steps ready."""
    member = request.member
    assessment = access.access_own_assessment(member, assessment_id)
    answers = assessment.answers()
    routing = questionnaire.route(assessment.version.definition, answers)
    paths = assessment.path_list()
    context: dict[str, Any] = {
        "assessment": assessment,
        "paths": [{"key": p, "label": PATH_LABELS[p], "reasons": routing.reasons.get(p, [])} for p in paths],
        "answers": questionnaire.explain(assessment.version.definition, answers),
        "scope": Scope.load(),
    }
    if Path.GROUPS in paths:
        context["groups"] = access.suggested_groups(member, routing.tags)
    if Path.ONE_TO_ONE in paths:
        context["talk"] = _talk_request(member, assessment)
    if Path.OUTSIDE_SCOPE in paths:
        topics = routing.topics or []
        context["signposts"] = by_topic(directory(topics), topics) if topics else []
    return render(request, "intake/result.html", context)


def _talk_request(member: Member, assessment: Assessment) -> Any:
    from hearth.availability.access import access_own_request

    if assessment.talk_request_id is None:
        from hearth.availability.actions import my_requests

        return next(iter(my_requests(member)), None)
    try:
        return access_own_request(member, assessment.talk_request_id)
    except Http404:
        return None


# --- Group requirements (hosts and staff) -------------------------------------------------------------------


@login_required
def group_requirement(request: MemberRequest, group_id: int) -> HttpResponse:
    me = request.member
    group, requirement = access.access_group_requirement(me, group_id)
    form = RequirementForm(
        request.POST or None,
        initial={"needs_intake": requirement.needs_intake, "needs_one_to_one": requirement.needs_one_to_one},
    )
    if request.method == "POST" and form.is_valid():
        with show_errors(request, form=form) as attempt:
            actions.do_set_group_requirement(me, requirement, **form.cleaned_data)
        if attempt.ok:
            messages.success(request, f"Saved what {group.name} asks before joining.")
            return redirect("intake:requirement", group_id=group.pk)
    waiting = [
        {"member": jr.member, "status": gatekeeping.status(jr.member, group, requirement)}
        for jr in JoinRequest.objects.filter(group=group, decided_at__isnull=True).select_related("member")[:50]
    ]
    return render(
        request,
        "intake/requirement.html",
        {"group": group, "requirement": requirement, "form": form, "waiting": waiting},
    )


# --- Staff: reading answers --------------------------------------------------------------------------------


@login_required
def staff_list(request: MemberRequest) -> HttpResponse:
    assessments = access.assessments_for_staff(request.member)
    path = request.GET.get("path", "")
    if path in Path.values:
        assessments = assessments.filter(paths__contains=path)
    page = Paginator(assessments, 25).get_page(request.GET.get("page"))
    rows = [{"a": a, "paths": [PATH_LABELS[p] for p in a.path_list()]} for a in page]
    return render(
        request,
        "intake/staff_list.html",
        {"page": page, "rows": rows, "path": path, "path_choices": [(p.value, p.label) for p in PATH_ORDER]},
    )


@login_required
def staff_detail(request: MemberRequest, assessment_id: int) -> HttpResponse:
    me = request.member
    assessment = access.access_assessment_for_staff(me, assessment_id)
    answers = None
    if request.method == "POST" and request.POST.get("show") == "answers":
        answers = actions.do_read_answers(me, assessment)
    return render(
        request,
        "intake/staff_detail.html",
        {"a": assessment, "answers": answers, "paths": [PATH_LABELS[p] for p in assessment.path_list()]},
    )


# --- Coordinators: editing the questionnaire ---------------------------------------------------------------


@login_required
def editor(request: MemberRequest) -> HttpResponse:
    policy.require(request.member, Perm.EDIT_QUESTIONNAIRE)
    current = access.current_version()
    form = QuestionnaireForm(
        request.POST or None, initial={"definition": json.dumps(current.definition, indent=2, ensure_ascii=False)}
    )
    if request.method == "POST" and form.is_valid():
        with show_errors(request, form=form, field="definition") as attempt:
            version = actions.do_publish_questionnaire(
                request.member, form.cleaned_data["definition"], form.cleaned_data["note"]
            )
        if attempt.ok:
            messages.success(request, f"Version {version.number} is published. New self-assessments use it now.")
            return redirect("intake:editor")
    return render(
        request,
        "intake/editor.html",
        {
            "form": form,
            "current": current,
            "versions": QuestionnaireVersion.objects.select_related("created_by")[:30],
            "topics": questionnaire.TOPICS,
            "paths": [p.value for p in Path],
            "preferences": questionnaire.PREFERENCES,
        },
    )


@login_required
def version(request: MemberRequest, number: int) -> HttpResponse:
    shown = access.access_version(request.member, number)
    return render(request, "intake/version.html", {"version": shown, "path_labels": PATH_LABELS})
