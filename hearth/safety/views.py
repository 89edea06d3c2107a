"""Safety pages: support after a crisis message, the moderation queue, alerts, reports and appeals."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from hearth.core import audit, deliveries, params
from hearth.core.errors import ActionError
from hearth.core.screening import respond_to_screening
from hearth.core.web import MemberRequest, show_errors
from hearth.members import policy
from hearth.members.models import Member
from hearth.members.policy import Perm
from hearth.safety import actions, alerts, content
from hearth.safety.access import access_alert, access_moderation_item
from hearth.safety.forms import AppealDecisionForm, AppealForm, DecisionForm, LabelForm, ReportForm, SanctionForm
from hearth.safety.models import Appeal, ModerationItem, ModeratorAway, Risk, Sanction, TriageLabel


def support(request: MemberRequest) -> HttpResponse:
    """What the writer of a crisis message sees at once: kind words, lines open now, and a person."""
    from hearth.availability.actions import on_duty_supporters

    on = [m for m in on_duty_supporters() if policy.is_supporter(m)]
    next_url = params.safe_next(request, "")
    alert = alerts.latest_for_member(request.member)
    return render(
        request,
        "safety/support.html",
        {
            "on_duty": len(on),
            "next": next_url,
            "alert": alert,
            "told": alerts.what_the_member_is_told(alert) if alert else None,
        },
    )


def signposts(request: HttpRequest) -> HttpResponse:
    """Places that help with what peer support can't: offered quietly, never pushed (from the resources directory)."""
    from hearth.signposting.access import by_topic, directory
    from hearth.signposting.models import Topic

    topic = request.GET.get("topic", "")
    topics = [topic] if topic in Topic.values else []
    return render(request, "safety/signposts.html", {"topics": by_topic(directory(topics), topics)})


@login_required
def report(request: MemberRequest) -> HttpResponse:
    content_key = request.GET.get("content") or request.POST.get("content", "")
    object_id = params.get_id(request.GET, "id") or params.get_id(request.POST, "id")
    reported_member = None
    if content_key == "members.member":
        reported_member = Member.objects.filter(pk=object_id or 0, is_active=True).first()
        if reported_member is None:
            raise Http404
        described = {"label": "member", "excerpt": reported_member.display_name}
    elif (
        content_key in content.registered()
        and object_id
        and content.get(content_key).visible_to(request.member, object_id)
    ):
        described = content.describe(content_key, object_id)
    else:
        raise Http404
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with show_errors(request, form=form) as attempt:
            if reported_member is not None:
                made = actions.do_report(request.member, member=reported_member, reason=form.cleaned_data["reason"])
            else:
                made = actions.do_report(
                    request.member, content_key=content_key, object_id=object_id, reason=form.cleaned_data["reason"]
                )
        if attempt.ok:
            if made.screening is not None and made.screening.show_crisis_support:
                return respond_to_screening(request, made.screening, reverse("safety:my_reports"), "")
            messages.success(request, "Thank you. A moderator will look at this, and we'll tell you what happened.")
            return redirect("safety:my_reports")
    return render(
        request,
        "safety/report.html",
        {"form": form, "described": described, "content_key": content_key, "object_id": object_id},
    )


@login_required
def my_reports(request: MemberRequest) -> HttpResponse:
    me = request.member
    return render(
        request,
        "safety/my_reports.html",
        {"reports": actions.my_reports(me), "sanctions": _sanctions_with_appeals(me)},
    )


def _sanctions_with_appeals(member: Member) -> list[Sanction]:
    """The member's own decisions, each with its latest appeal and a link to appeal while that's possible."""
    rows = list(member.sanctions.order_by("-created_at").prefetch_related("appeals"))
    since = timezone.now() - actions.APPEAL_WINDOW
    for s in rows:
        appeals = sorted(s.appeals.all(), key=lambda a: a.created_at)
        s.latest_appeal = appeals[-1] if appeals else None
        s.appeal_token = actions.appeal_token(s) if s.created_at >= since and not appeals else ""
    return rows


@login_required
def moderation_queue(request: MemberRequest) -> HttpResponse:
    me = request.member
    policy.require(me, Perm.MODERATE)
    if request.method == "POST":
        if request.POST.get("action") == "away":
            moved = actions.do_step_away(me)
            messages.info(
                request, f"You've stepped away. {moved} item{'s' if moved != 1 else ''} went to others. Take care."
            )
        else:
            actions.do_return_to_queue(me)
            messages.info(request, "Welcome back.")
        return redirect("safety:queue")
    filters = {k: request.GET.get(k, "") for k in ("risk", "source")}
    state = params.get_choice(request.GET, "state", ModerationItem.State.values, ModerationItem.State.OPEN)
    items = actions.queue_for(me, state=state, mine=request.GET.get("mine") == "1", **filters)
    from hearth.availability.models import DutySession

    session = DutySession.objects.filter(supporter=me, ended_at__isnull=True).first()
    return render(
        request,
        "safety/queue.html",
        {
            "items": items,
            "can_crisis": policy.can(me, Perm.HANDLE_CRISIS),
            "filters": filters,
            "state": state,
            "heavy_handled": actions.heavy_items_handled(me, session.started_at) if session else 0,
            "away": ModeratorAway.objects.filter(moderator=me).exists(),
            "risks": Risk.choices,
            "sources": ModerationItem.Source.choices,
        },
    )


@login_required
def moderation_item(request: MemberRequest, item_id: int) -> HttpResponse:
    me = request.member
    item = access_moderation_item(me, item_id)
    try:
        actions.check_can_see_item(me, item)
    except ActionError:
        return render(request, "safety/in_hand.html", status=403)
    decision_form, sanction_form, label_form = DecisionForm(), SanctionForm(), LabelForm()
    if request.method == "POST":
        with show_errors(request):
            if request.POST.get("form") == "label":
                label_form = LabelForm(request.POST)
                if label_form.is_valid():
                    actions.do_label_item(me, item.pk, label_form.cleaned_data["risk"])
                    messages.success(request, "Thank you: triage will learn from that.")
                    return redirect("safety:item", item_id=item.pk)
            elif request.POST.get("form") == "sanction":
                sanction_form = SanctionForm(request.POST)
                if sanction_form.is_valid() and item.subject is not None:
                    d = sanction_form.cleaned_data
                    actions.do_sanction(
                        me,
                        item.subject,
                        d["kind"],
                        reason=d["reason"],
                        message=d["message"],
                        days=d["days"],
                        item_id=item.pk,
                    )
                    messages.success(request, "Done. The member has been told, with how to appeal.")
                    return redirect("safety:queue")
            else:
                decision_form = DecisionForm(request.POST)
                if decision_form.is_valid():
                    actions.do_moderate(
                        me, item.pk, decision_form.cleaned_data["decision"], decision_form.cleaned_data["reason"]
                    )
                    messages.success(request, "Saved.")
                    return redirect("safety:queue")
    if item.risk == Risk.CRISIS:
        audit.log_action("safety.details.viewed", actor=me, subject=item.subject, obj=item)
    context: dict[str, Any] = {
        "item": item,
        "described": content.describe(item.content_key, item.object_id, me)
        if item.content_key in content.registered()
        else {},
        "reports": item.reports.select_related("reporter"),
        "notes": item.notes.select_related("author"),
        "decision_form": decision_form,
        "sanction_form": sanction_form,
        "label": TriageLabel.objects.filter(item=item).first(),
    }
    context["label_form"] = label_form if context["described"] else None
    return render(request, "safety/item.html", context)


@login_required
def alert_list(request: MemberRequest) -> HttpResponse:
    me = request.member
    policy.require(me, Perm.HANDLE_CRISIS)
    if request.method == "POST":
        with show_errors(request) as attempt:
            actions.do_acknowledge_alert(me, params.require_id(request.POST, "alert"))
        if attempt.ok:
            messages.success(request, "Acknowledged. Thank you — follow up with them now.")
        return redirect("safety:alerts")
    shown = alerts.open_alerts()
    recent = alerts.recently_acknowledged()
    alerts.record_alerts_read(me, shown)  # the recent list shows no summaries
    return render(request, "safety/alerts.html", {"alerts": shown, "recent": recent, "now": timezone.now()})


@login_required
def alert_detail(request: MemberRequest, alert_id: int) -> HttpResponse:
    """One alert: why, who has it, and what reached whom by each channel (live screens, email, push)."""
    me = request.member
    alert = access_alert(me, alert_id)
    alerts.record_alerts_read(me, [alert])
    return render(
        request,
        "safety/alert.html",
        {"alert": alert, "channels": deliveries.summary(alert), "rows": deliveries.deliveries_about(alert)},
    )


@login_required
@require_POST
def acknowledge(request: MemberRequest, alert_id: int) -> HttpResponse:
    """ "I've got this", from the banner on any page: clears the banner on every screen, then back where they were."""
    me = request.member
    policy.require(me, Perm.HANDLE_CRISIS)
    with show_errors(request) as attempt:
        alert = actions.do_acknowledge_alert(me, alert_id)
    if attempt.failed:
        return redirect("safety:alerts")
    who = alert.acknowledged_by.display_name if alert.acknowledged_by else "Someone"
    if alert.acknowledged_by_id == me.pk:
        messages.success(request, "Acknowledged. Thank you — follow up with them now.")
    else:
        messages.info(request, f"{who} already has this one.")
    return redirect(params.safe_next(request, reverse("safety:alert", args=[alert.pk])))


@login_required
def workload(request: MemberRequest) -> HttpResponse:
    policy.require(request.member, Perm.MANAGE_ROTA)
    month = timezone.localtime().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    context = {"rows": actions.workload(), "labels": actions.label_figures(month)}
    return render(request, "safety/workload.html", context)


def appeal(request: HttpRequest, token: str) -> HttpResponse:
    """Appeal a decision from the emailed link (works even when suspended or banned)."""
    try:
        sanction = actions.sanction_from_appeal_token(token)
    except ActionError as exc:
        return render(request, "members/join_unavailable.html", {"reason": str(exc)}, status=400)
    form = AppealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with show_errors(request, form=form) as attempt:
            made = actions.do_appeal(sanction, form.cleaned_data["text"])
        if attempt.ok:
            if made.screening is not None and made.screening.show_crisis_support:
                return respond_to_screening(request, made.screening, "/", "")
            return render(request, "safety/appeal_sent.html")
    return render(request, "safety/appeal.html", {"form": form, "sanction": sanction})


@login_required
def appeals(request: MemberRequest) -> HttpResponse:
    me = request.member
    policy.require(me, Perm.DECIDE_APPEALS)
    if request.method == "POST":
        form = AppealDecisionForm(request.POST)
        if form.is_valid():
            with show_errors(request) as attempt:
                actions.do_decide_appeal(me, params.require_id(request.POST, "appeal"), **form.cleaned_data)
            if attempt.ok:
                messages.success(request, "Decided. The member has been told.")
        else:
            messages.error(request, "Write the reply the member will see.")
        return redirect("safety:appeals")
    open_appeals = Appeal.objects.filter(state=Appeal.State.OPEN).select_related("sanction__member", "sanction__by")
    return render(request, "safety/appeals.html", {"appeals": open_appeals, "form": AppealDecisionForm()})
