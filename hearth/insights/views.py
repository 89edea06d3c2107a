"""The service dashboard, CSV downloads, research export, settings, and a member's own picture. Thin views."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from hearth.core import audit
from hearth.core.web import MemberRequest, show_errors
from hearth.insights import actions, charts, measures, mine, registry, rollup
from hearth.insights.access import OUTCOMES, TAKING_PART, access_member_outcomes, takes_part
from hearth.insights.forms import SettingsForm, SpanForm, answers_from, questionnaire_form
from hearth.insights.models import InsightsSettings, OutcomeInvitation
from hearth.insights.research import do_research_export
from hearth.members import policy
from hearth.members.actions import do_set_consent
from hearth.members.models import Member
from hearth.members.policy import Perm

# --- Staff: the dashboard -----------------------------------------------------------------


@login_required
def dashboard(request: MemberRequest) -> HttpResponse:
    policy.require(request.member, Perm.VIEW_INSIGHTS)
    form = SpanForm(request.GET or None)
    span = form.span()
    sections = []
    skipped = []
    for metric in registry.metrics():
        reason = metric.unavailable()
        if reason:
            skipped.append((metric, reason))
            continue
        table = metric.compute(span)
        sections.append(
            {"metric": metric, "table": table, "chart": charts.build(metric, table), "rows": charts.table_body(table)}
        )
    counted, days = rollup.counted_days(span)
    context = {"form": form, "span": span, "sections": sections, "skipped": skipped, "query": _span_query(span)}
    return render(request, "insights/dashboard.html", {**context, "uncounted": days - counted})


def _span_query(span: registry.Span) -> str:
    return f"start={span.start.isoformat()}&end={span.end.isoformat()}"


@login_required
def metric_csv(request: MemberRequest, key: str) -> HttpResponse:
    me = request.member
    policy.require(me, Perm.VIEW_INSIGHTS)
    metric = registry.get(key)
    if metric is None or metric.unavailable():
        raise Http404
    span = SpanForm(request.GET or None).span()
    table = metric.compute(span)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(table.header())
    writer.writerows([[str(c) for c in row] for row in table.cells()])
    audit.log_action(
        "insights.metric.downloaded",
        actor=me,
        data={"metric": metric.title, "start": span.start.isoformat(), "end": span.end.isoformat()},
    )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{key}-{span.start}-{span.end}.csv"'
    return response


@login_required
def research(request: MemberRequest) -> HttpResponse:
    me = request.member
    policy.require(me, Perm.EXPORT_RESEARCH)
    form = SpanForm(request.POST or request.GET or None, default_days=365)
    if request.method == "POST":
        span = form.span()
        with show_errors(request) as attempt:
            data = do_research_export(me, span)
        if attempt.failed:
            return redirect("insights:research")
        response = HttpResponse(data, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="hearth-research-{span.start}-{span.end}.zip"'
        return response
    from hearth.insights.research import DICTIONARY

    return render(request, "insights/research.html", {"form": form, "dictionary": DICTIONARY})


@login_required
def settings_view(request: MemberRequest) -> HttpResponse:
    me = request.member
    policy.require(me, Perm.MANAGE_ORGANISATION)
    current = InsightsSettings.load()
    form = SettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        actions.do_update_settings(me, **{name: form.cleaned_data[name] for name in form.fields})
        messages.success(request, "Saved.")
        return redirect("insights:settings")
    return render(request, "insights/settings.html", {"form": form})


@login_required
def member_outcomes(request: MemberRequest, member_id: int) -> HttpResponse:
    """A member's results for staff they allowed (the member's own are on their picture page)."""
    me = request.member
    member, responses = access_member_outcomes(me, member_id)
    if member.pk == me.pk:
        return redirect("insights:mine")
    actions.log_outcomes_viewed(me, member)
    return render(
        request, "insights/member_outcomes.html", {"person": member, "outcomes": mine.outcome_charts(responses)}
    )


# --- Members: their own picture and the questionnaires ---------------------------------------


@login_required
def my_picture(request: MemberRequest) -> HttpResponse:
    me = request.member
    return render(request, "insights/mine.html", mine.picture(me))


@login_required
def questionnaire(request: MemberRequest, measure: str) -> HttpResponse:
    me = request.member
    if measure not in measures.QUESTIONNAIRES or measure not in InsightsSettings.load().measures_on():
        raise Http404
    q = measures.get(measure)
    if not takes_part(me):
        return redirect("insights:mine")
    form = questionnaire_form(q, request.POST or None)
    if request.method == "POST" and form.is_valid():
        with show_errors(request, form=form) as attempt:
            done = actions.do_submit_outcome(me, measure, answers_from(form, q))
        if attempt.ok:
            return render(
                request,
                "insights/answered.html",
                {"q": q, "response": done.response, "band": q.band(done.response.score), "done": done},
            )
    return render(request, "insights/questionnaire.html", {"q": q, "form": form})


@login_required
@require_POST
def set_aside(request: MemberRequest, measure: str) -> HttpResponse:
    if measure not in measures.QUESTIONNAIRES:
        raise Http404
    actions.do_set_aside(request.member, measure)
    messages.info(request, "That's fine. We'll ask again in a few weeks; you can always answer from 'Your picture'.")
    return redirect("core:home")


@login_required
@require_POST
def take_part(request: MemberRequest) -> HttpResponse:
    """The home panel's one-time question: answer questionnaires, or not (a consent centre choice)."""
    choice = request.POST.get("audience", "")
    with show_errors(request) as attempt:
        do_set_consent(request.member, OUTCOMES.key, choice)
    if attempt.ok:
        messages.info(
            request,
            "Thank you. The questionnaires are on your home page when you're ready."
            if choice in TAKING_PART
            else "Understood: we won't offer questionnaires. You can change this in your sharing choices.",
        )
    return redirect("core:home")


def open_invitations(member: Member) -> list[OutcomeInvitation]:
    return list(
        OutcomeInvitation.objects.filter(member=member, answered_at__isnull=True, set_aside_at__isnull=True).order_by(
            "measure"
        )
    )
