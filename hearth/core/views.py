from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from hearth.core import audit
from hearth.core.actions import do_update_organisation_settings
from hearth.core.home import panels_for
from hearth.core.models import AuditEntry, OrganisationSettings
from hearth.members import policy
from hearth.members.forms import OrganisationSettingsForm
from hearth.members.policy import Perm


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "core/welcome.html", {"open_signup": OrganisationSettings.load().open_signup})
    return render(request, "core/home.html", {"panels": panels_for(request)})


def need_help_now(request: HttpRequest) -> HttpResponse:
    """Crisis resources: open to everyone, signed in or not, and never behind anything else."""
    return render(request, "core/help.html")


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, Perm.VIEW_AUDIT_LOG)
    action = request.GET.get("action", "")
    entries = AuditEntry.objects.select_related("actor", "subject")
    if action in audit.registered_actions():
        entries = entries.filter(action=action)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    rows = [{"entry": e, "text": audit.describe(e)} for e in page]
    return render(
        request,
        "core/audit_log.html",
        {"page": page, "rows": rows, "actions": audit.registered_actions(), "action": action},
    )


@login_required
def organisation_settings(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, Perm.MANAGE_ORGANISATION)
    org = OrganisationSettings.load()
    form = OrganisationSettingsForm(
        request.POST or None,
        initial={"open_signup": org.open_signup, "require_staff_two_factor": org.require_staff_two_factor},
    )
    if request.method == "POST" and form.is_valid():
        do_update_organisation_settings(request.user, **form.cleaned_data)  # type: ignore[arg-type]
        messages.success(request, "Organisation settings are saved.")
        return redirect("core:settings")
    return render(request, "core/settings.html", {"form": form})


@login_required
def team(request: HttpRequest) -> HttpResponse:
    """One page listing the team's tools (what each person's roles allow), so the main menu stays short."""
    policy.require(request.user, Perm.TAKE_SHIFTS)
    return render(request, "core/team.html")
