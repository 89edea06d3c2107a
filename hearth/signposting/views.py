"""Thin views: parse a form, call the access helper and one action, render or redirect."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from hearth.core import params
from hearth.core.screening import respond_to_screening
from hearth.core.web import MemberRequest, show_errors
from hearth.members import policy
from hearth.members.models import Member
from hearth.members.policy import Perm
from hearth.signposting import access, actions
from hearth.signposting.forms import ReferralForm, ReferralUpdateForm, ResourceForm
from hearth.signposting.models import Referral, Topic

# --- The directory (members) -------------------------------------------------------------------------


@login_required
def directory_page(request: MemberRequest) -> HttpResponse:
    topic = request.GET.get("topic", "")
    topics = [topic] if topic in Topic.values else []
    resources = access.directory(topics)
    return render(
        request,
        "signposting/directory.html",
        {"sections": access.by_topic(resources, topics), "topic": topic, "topic_choices": Topic.choices},
    )


@login_required
def resource(request: MemberRequest, resource_id: int) -> HttpResponse:
    me = request.member
    place = access.access_resource(me, resource_id)
    if request.method == "POST":
        with show_errors(request) as attempt:
            actions.do_create_referral(me, me, place, status=Referral.Status.MADE)
        if attempt.ok:
            messages.success(
                request, f"Noted. We'll check in with you in a couple of weeks about how it went with {place.name}."
            )
            return redirect("signposting:my_referrals")
    open_referral = access.referrals_of(me).filter(resource=place, status__in=Referral.OPEN).first()
    return render(request, "signposting/resource.html", {"resource": place, "open_referral": open_referral})


@login_required
def my_referrals(request: MemberRequest) -> HttpResponse:
    return render(request, "signposting/my_referrals.html", {"referrals": access.referrals_of(request.member)})


@login_required
def my_referral(request: MemberRequest, referral_id: int) -> HttpResponse:
    me = request.member
    referral = access.access_referral(me, referral_id)
    if referral.member_id != me.pk:  # staff use their own page, with notes
        return redirect("signposting:staff_referral", referral_id=referral.pk)
    form = ReferralUpdateForm(
        request.POST or None, self_service=True, initial={"status": referral.status, "note": referral.note}
    )
    del form.fields["follow_up_on"]
    if request.method == "POST" and form.is_valid():
        with show_errors(request, form=form) as attempt:
            referral = actions.do_update_referral(
                me, referral, status=form.cleaned_data["status"], follow_up_on=None, note=form.cleaned_data["note"]
            )
        if attempt.ok:
            return respond_to_screening(
                request, referral.screening, reverse("signposting:my_referrals"), "Thanks for letting us know."
            )
    return render(
        request,
        "signposting/my_referral.html",
        {"referral": referral, "form": form, "can_update": referral.self_referred and referral.is_open},
    )


# --- Staff ---------------------------------------------------------------------------------------------------


@login_required
def resource_edit(request: MemberRequest, resource_id: int | None = None) -> HttpResponse:
    policy.require(request.member, Perm.EDIT_DIRECTORY)
    place = access.access_resource(request.member, resource_id, for_editing=True) if resource_id else None
    form = ResourceForm(request.POST or None, instance=place)
    if request.method == "POST" and form.is_valid():
        with show_errors(request, form=form) as attempt:
            saved = actions.do_save_resource(request.member, place, **form.cleaned_data)
        if attempt.ok:
            messages.success(request, f"{saved.name} is saved.")
            return redirect("signposting:directory")
    return render(request, "signposting/resource_edit.html", {"form": form, "resource": place})


@login_required
def staff_referrals(request: MemberRequest) -> HttpResponse:
    policy.require(request.member, Perm.MANAGE_REFERRALS)
    show = request.GET.get("show", "due")
    if show == "due":
        rows: Any = actions.referrals_due()
    else:
        rows = Referral.objects.select_related("member", "resource").order_by("closed_at", "follow_up_on", "id")
        if show == "open":
            rows = rows.filter(status__in=Referral.OPEN)
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    return render(
        request, "signposting/staff_referrals.html", {"page": page, "show": show, "today": timezone.localdate()}
    )


@login_required
def staff_referral_new(request: MemberRequest) -> HttpResponse:
    policy.require(request.member, Perm.MANAGE_REFERRALS)
    initial: dict[str, Any] = {}
    person_id = params.get_id(request.GET, "member")
    if person_id is not None:
        person = Member.objects.filter(pk=person_id, is_active=True).first()
        if person is not None:
            initial["member"] = person.display_name
    form = ReferralForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with show_errors(request, form=form) as attempt:
            referral = actions.do_create_referral(
                request.member,
                data["member"],
                data["resource"],
                status=data["status"],
                follow_up_on=data["follow_up_on"],
                note=data["note"],
            )
        if attempt.ok:
            messages.success(
                request, f"Referral to {referral.resource.name} saved, follow up on {referral.follow_up_on:%-d %B}."
            )
            return redirect("signposting:staff_referrals")
    return render(request, "signposting/staff_referral_new.html", {"form": form})


@login_required
def staff_referral(request: MemberRequest, referral_id: int) -> HttpResponse:
    policy.require(request.member, Perm.MANAGE_REFERRALS)
    referral = access.access_referral(request.member, referral_id)
    form = ReferralUpdateForm(
        request.POST or None,
        initial={"status": referral.status, "follow_up_on": referral.follow_up_on, "note": referral.note},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with show_errors(request, form=form) as attempt:
            actions.do_update_referral(
                request.member,
                referral,
                status=data["status"],
                follow_up_on=data["follow_up_on"] or referral.follow_up_on,
                note=data["note"],
            )
        if attempt.ok:
            messages.success(request, "The referral is updated.")
            return redirect("signposting:staff_referrals")
    return render(request, "signposting/staff_referral.html", {"referral": referral, "form": form})
