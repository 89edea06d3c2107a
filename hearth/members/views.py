"""Thin views: parse a form, call the access helper and one action, render or redirect."""

from __future__ import annotations

import json
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from hearth.core import audit, params, throttle
from hearth.core import data_rights as core_data_rights
from hearth.core.errors import ActionError
from hearth.core.models import AuditEntry, OrganisationSettings
from hearth.core.screening import respond_to_screening
from hearth.core.web import MemberRequest, show_errors
from hearth.members import actions, consent, data_rights, policy
from hearth.members.forms import (
    CodeForm,
    DeleteAccountForm,
    InvitationForm,
    JoinForm,
    OrganisationSettingsForm,
    PreferencesForm,
    ProfileForm,
    ResetPasswordForm,
    RoleForm,
    SignInForm,
)
from hearth.members.models import Invitation, Member, Role
from hearth.members.policy import Perm

_PENDING = "hearth.pending_two_factor"


def access_member(viewer: Member, member_id: int) -> Member:
    """The member ``member_id`` if ``viewer`` may look them up; 404 otherwise."""
    if not policy.can(viewer, Perm.VIEW_MEMBER_LIST):
        raise Http404
    member = Member.objects.filter(pk=member_id, is_active=True).prefetch_related("role_grants").first()
    if member is None:
        raise Http404
    return member


def _safe_next(request: HttpRequest) -> str:
    return params.safe_next(request, reverse("core:home"))


# --- Joining and signing in ---------------------------------------------------------


def join_with_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = Invitation.objects.filter(token=token).select_related("created_by").first()
    try:
        actions.check_invitation_usable(invitation)
    except ActionError as exc:
        return render(request, "members/join_unavailable.html", {"reason": str(exc)}, status=410)
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with show_errors(request, form=form) as attempt:
            member = actions.do_sign_up_with_invitation(token, **form.cleaned_data)
        if attempt.ok:
            login(request, member, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome, {member.display_name}. Take your time looking around.")
            return redirect("core:home")
    return render(request, "members/join.html", {"form": form, "invitation": invitation})


def open_sign_up(request: HttpRequest) -> HttpResponse:
    if not OrganisationSettings.load().open_signup:
        return render(
            request,
            "members/join_unavailable.html",
            {"reason": "Joining is by invitation here. Ask a member or the team for an invitation link."},
            status=403,
        )
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with show_errors(request, form=form) as attempt:
            actions.do_open_sign_up(**form.cleaned_data)
        if attempt.ok:
            return render(request, "members/check_email.html", {"email": form.cleaned_data["email"]})
    return render(request, "members/signup.html", {"form": form})


def confirm_email(request: HttpRequest, token: str) -> HttpResponse:
    try:
        member = actions.do_confirm_email(token)
    except ActionError as exc:
        return render(request, "members/join_unavailable.html", {"reason": str(exc)}, status=400)
    messages.success(request, "Thank you — your email address is confirmed. You can sign in now.")
    return redirect(f"{reverse('members:signin')}?email={member.email}")


def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None, initial={"email": request.GET.get("email", "")})
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        address = throttle.client_address(request)
        wait = actions.sign_in_wait(email, address)
        if wait:
            form.add_error(
                None,
                f"Too many tries to sign in. Please try again {throttle.when(wait)}, or reset your password by email.",
            )
            return render(
                request, "members/signin.html", {"form": form, "next": params.safe_next(request, "")}, status=429
            )
        member = authenticate(request, username=email, password=form.cleaned_data["password"])
        if member is None:
            actions.note_failed_sign_in(email, address)
            form.add_error(None, "That email and password don't match an account. Check both and try again.")
        elif actions.confirmed_totp_device(member) is not None:
            request.session[_PENDING] = {"id": member.pk, "next": _safe_next(request)}
            return redirect("members:verify")
        else:
            login(request, member)
            return redirect(_safe_next(request))
    return render(request, "members/signin.html", {"form": form, "next": params.safe_next(request, "")})


def password_reset(request: HttpRequest) -> HttpResponseBase:
    """Django's reset page, limited per account and per address; over the limit, it says when to try again."""
    if request.method == "POST":
        form = ResetPasswordForm(request.POST)
        if form.is_valid():
            wait = actions.password_reset_wait(form.cleaned_data["email"], throttle.client_address(request))
            if wait:
                form.add_error(
                    None,
                    f"We've sent several reset emails lately. Check your inbox (and spam folder), or try again "
                    f"{throttle.when(wait)}.",
                )
                return render(request, "members/password_reset.html", {"form": form}, status=429)
    return _reset_view(request)


_reset_view = auth_views.PasswordResetView.as_view(
    template_name="members/password_reset.html",
    form_class=ResetPasswordForm,
    email_template_name="members/email/password_reset.txt",
    subject_template_name="members/email/password_reset_subject.txt",
    success_url=reverse_lazy("members:password_reset_done"),
)


def verify_two_factor(request: HttpRequest) -> HttpResponse:
    """Second step of sign-in, or re-verification when staff two-factor becomes required."""
    pending = request.session.get(_PENDING)
    if pending:
        member = Member.objects.filter(pk=pending["id"], is_active=True).first()
    elif request.user.is_authenticated:
        member = request.user
    else:
        member = None
    device = actions.confirmed_totp_device(member) if member else None
    if member is None or device is None:
        return redirect("members:signin")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            # django-otp doubles the wait after each wrong code, against guessing.
            form.add_error("code", "Too many wrong codes in a row. Wait a little, then try the newest code.")
        elif device.verify_token(form.cleaned_data["code"]):
            if not request.user.is_authenticated:
                login(request, member, backend="django.contrib.auth.backends.ModelBackend")
            otp_login(request, device)
            request.session.pop(_PENDING, None)
            return redirect(pending["next"] if pending else "core:home")
        else:
            form.add_error("code", "That code didn't work. Wait for a new one and try again.")
    return render(request, "members/verify.html", {"form": form})


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, "You've signed out. Take care.")
    return redirect("core:home")


# --- Your account --------------------------------------------------------------------


@login_required
def profile(request: MemberRequest) -> HttpResponse:
    member = request.member
    form = ProfileForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        with show_errors(request, form=form) as attempt:
            screening = actions.do_update_profile(member, {f: form.cleaned_data[f] for f in form.changed_data})
        if attempt.ok:
            return respond_to_screening(request, screening, reverse("members:profile"), "Your profile is saved.")
    if form.errors:
        member.refresh_from_db()
    return render(request, "members/profile.html", {"form": form})


@login_required
def preferences(request: MemberRequest) -> HttpResponse:
    member = request.member
    form = PreferencesForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        actions.do_update_profile(member, {f: form.cleaned_data[f] for f in form.changed_data})
        messages.success(request, "Your preferences are saved.")
        return redirect("members:preferences")
    return render(request, "members/preferences.html", {"form": form})


@login_required
def consent_centre(request: MemberRequest) -> HttpResponse:
    member = request.member
    if request.method == "POST":
        with show_errors(request) as attempt:
            actions.do_set_consent(member, request.POST.get("kind", ""), request.POST.get("audience", ""))
        if attempt.ok:
            messages.success(request, "Your sharing choice is saved.")
        return redirect("members:consent")
    chosen = consent.choices_for(member)
    rows = [{"kind": kind, "audience": chosen[kind.key]} for kind in consent.kinds()]
    return render(request, "members/consent.html", {"rows": rows})


@login_required
def invitations(request: MemberRequest) -> HttpResponse:
    member = request.member
    form = InvitationForm(request.POST or None)
    if request.method == "POST":
        if "revoke" in request.POST:
            inv = Invitation.objects.filter(pk=params.require_id(request.POST, "revoke"), created_by=member).first()
            if inv is None:
                raise Http404
            with show_errors(request) as attempt:
                actions.do_revoke_invitation(member, inv)
            if attempt.ok:
                messages.success(request, "That link has been withdrawn.")
            return redirect("members:invitations")
        if form.is_valid():
            with show_errors(request, form=form) as attempt:
                invitation = actions.do_create_invitation(member, form.cleaned_data["note"])
            if attempt.ok:
                return respond_to_screening(
                    request,
                    invitation.screening,
                    reverse("members:invitations"),
                    "Here's a new invitation link. Copy it and send it to them.",
                )
    now = timezone.now()
    rows = [
        {
            "invitation": inv,
            "state": inv.state(now),
            "url": request.build_absolute_uri(reverse("members:join", args=[inv.token])),
        }
        for inv in Invitation.objects.filter(created_by=member).select_related("used_by")[:50]
    ]
    return render(request, "members/invitations.html", {"form": form, "rows": rows})


@login_required
def security(request: MemberRequest) -> HttpResponse:
    """Two-factor sign-in: set up, confirm, or turn off."""
    member = request.member
    form = CodeForm(request.POST or None) if request.POST.get("step") == "confirm" else CodeForm()
    if request.method == "POST":
        step = request.POST.get("step")
        with show_errors(request, form=form if step == "confirm" else None):
            if step == "start":
                actions.do_start_totp(member)
            elif step == "confirm" and form.is_valid():
                device = actions.do_confirm_totp(member, form.cleaned_data["code"])
                otp_login(request, device)
                messages.success(request, "Two-factor sign-in is on. You'll be asked for a code when you sign in.")
                return redirect("members:two_factor")
            elif step == "disable":
                actions.do_disable_totp(member)
                messages.success(request, "Two-factor sign-in is off.")
                return redirect("members:two_factor")
    from django_otp.plugins.otp_totp.models import TOTPDevice

    pending = TOTPDevice.objects.filter(user=member, confirmed=False).first()
    context: dict[str, Any] = {
        "form": form,
        "enabled": actions.confirmed_totp_device(member) is not None,
        "required": policy.is_staff(member) and OrganisationSettings.load().require_staff_two_factor,
        "is_staff_member": policy.is_staff(member),
        "pending": pending,
    }
    if pending:
        context["qr_svg"] = segno.make(pending.config_url).svg_inline(scale=4, dark="#1f2a30", light="#ffffff")
        context["secret"] = _base32(pending.bin_key)
    return render(request, "members/security.html", context)


def _base32(key: bytes) -> str:
    import base64

    raw = base64.b32encode(key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


@login_required
def download_data(request: MemberRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "members/data.html", {"sections": core_data_rights.sections()})
    member = request.member
    payload = data_rights.export_member(member)
    response = HttpResponse(json.dumps(payload, indent=2, ensure_ascii=False), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="hearth-my-data-{timezone.localdate():%Y-%m-%d}.json"'
    return response


@login_required
def delete_account(request: MemberRequest) -> HttpResponse:
    member = request.member
    form = DeleteAccountForm(member, request.POST or None)
    last_coordinator = (
        Role.COORDINATOR in member.roles
        and not Member.objects.filter(role_grants__role=Role.COORDINATOR, is_active=True).exclude(pk=member.pk).exists()
    )
    if request.method == "POST" and form.is_valid() and not last_coordinator:
        data_rights.erase_member(member)
        logout(request)
        return render(request, "members/deleted.html")
    return render(
        request,
        "members/delete.html",
        {"form": form, "sections": core_data_rights.sections(), "last_coordinator": last_coordinator},
    )


# --- Staff pages ------------------------------------------------------------------------


@login_required
def member_list(request: MemberRequest) -> HttpResponse:
    policy.require(request.member, Perm.VIEW_MEMBER_LIST)
    query = params.get_text(request.GET, "q", max_length=200)[:40]
    role = request.GET.get("role", "")
    members = Member.objects.filter(is_active=True).prefetch_related("role_grants").order_by("display_name")
    if query:
        members = members.filter(display_name__icontains=query)
    if role in Role.values and role != Role.MEMBER:
        members = members.filter(role_grants__role=role)
    page = Paginator(members, 25).get_page(request.GET.get("page"))
    actions.record_member_list_read(request.member)
    return render(
        request,
        "members/member_list.html",
        {"page": page, "query": query, "role": role, "roles": [c for c in Role.choices if c[0] != Role.MEMBER]},
    )


@login_required
def member_detail(request: MemberRequest, member_id: int) -> HttpResponse:
    viewer = request.member
    member = access_member(viewer, member_id)
    contact = None
    if request.method == "POST" and request.POST.get("show") == "contact":
        contact = actions.do_view_contact_details(viewer, member)
    choices = consent.choices_for(member)
    shared = {
        key: audience
        for key, audience in choices.items()
        if audience.key in (consent.SUPPORTERS.key, consent.MEMBERS.key)
    }
    return render(
        request,
        "members/member_detail.html",
        {
            "member": member,
            "contact": contact,
            "shared": shared,
            "role_form": RoleForm(),
            "can_manage_roles": policy.can(viewer, Perm.MANAGE_ROLES),
            "can_view_contact": policy.can(viewer, Perm.VIEW_CONTACT_DETAILS),
        },
    )


@login_required
@require_POST
def change_role(request: MemberRequest, member_id: int) -> HttpResponse:
    viewer = request.member
    policy.require(viewer, Perm.MANAGE_ROLES)
    member = access_member(viewer, member_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a role from the list.")
    else:
        with show_errors(request) as attempt:
            if form.cleaned_data["grant"]:
                actions.do_grant_role(viewer, member, form.cleaned_data["role"])
            else:
                actions.do_revoke_role(viewer, member, form.cleaned_data["role"])
        if attempt.ok:
            messages.success(request, f"Roles for {member.display_name} are updated.")
    return redirect("members:member_detail", member_id=member.pk)


# --- The organisation's staff pages: audit log, settings, team tools -----------------------------


@login_required
def audit_log(request: MemberRequest) -> HttpResponse:
    policy.require(request.member, Perm.VIEW_AUDIT_LOG)
    action = request.GET.get("action", "")
    entries = AuditEntry.objects.select_related("actor", "subject")
    if action in audit.registered_actions():
        entries = entries.filter(action=action)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    rows = [{"entry": e, "text": audit.describe(e)} for e in page]
    return render(
        request,
        "members/audit_log.html",
        {"page": page, "rows": rows, "actions": audit.registered_actions(), "action": action},
    )


@login_required
def organisation_settings(request: MemberRequest) -> HttpResponse:
    policy.require(request.member, Perm.MANAGE_ORGANISATION)
    org = OrganisationSettings.load()
    form = OrganisationSettingsForm(
        request.POST or None,
        initial={
            "open_signup": org.open_signup,
            "require_staff_two_factor": org.require_staff_two_factor,
            "member_messages": org.member_messages,
        },
    )
    if request.method == "POST" and form.is_valid():
        actions.do_update_organisation_settings(request.member, **form.cleaned_data)
        messages.success(request, "Organisation settings are saved.")
        return redirect("members:settings")
    return render(request, "members/settings.html", {"form": form, "two_factor_required": org.require_staff_two_factor})


@login_required
def team(request: MemberRequest) -> HttpResponse:
    """One page listing the team's tools (what each person's roles allow), so the main menu stays short."""
    policy.require(request.member, Perm.TAKE_SHIFTS)
    return render(request, "members/team.html")
