"""Forms parse and validate input; actions decide and change. Messages say what to fix."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordResetForm

from hearth.members.models import Member, Role

DISPLAY_NAME_HELP = "The name other members see. It doesn't need to be your real name."


def _clean_display_name(value: str) -> str:
    value = " ".join(value.split())
    if len(value) < 2:
        raise forms.ValidationError("Please use at least 2 characters.")
    if "@" in value:
        raise forms.ValidationError("A display name can't contain @, so your email stays private.")
    return value


def clean_phone_number(value: str) -> str:
    """Phone numbers as people type them (spaces, brackets, +44), checked for stray letters."""
    phone = value.strip()
    if phone and not all(ch.isdigit() or ch in " +()-" for ch in phone):
        raise forms.ValidationError("Use only digits, spaces and + ( ) - in a phone number.")
    return phone


class JoinForm(forms.Form):
    email = forms.EmailField(
        max_length=254,
        help_text="Only used to sign in and for messages you ask for. Other members never see it.",
        error_messages={"invalid": "Enter an email address like name@example.org."},
    )
    display_name = forms.CharField(max_length=40, help_text=DISPLAY_NAME_HELP)
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        max_length=128,
        help_text="At least 10 characters. A few unrelated words work well.",
    )

    def clean_display_name(self) -> str:
        return _clean_display_name(self.cleaned_data["display_name"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password"):
            probe = Member(email=data.get("email", ""), display_name=data.get("display_name", ""))
            try:
                password_validation.validate_password(data["password"], probe)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data


class SignInForm(forms.Form):
    email = forms.EmailField(
        max_length=254, error_messages={"invalid": "Enter an email address like name@example.org."}
    )
    password = forms.CharField(widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}), max_length=128)


class CodeForm(forms.Form):
    code = forms.CharField(
        label="6-digit code from your authenticator app",
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"]).replace(" ", "")
        if not code.isdigit() or len(code) != 6:
            raise forms.ValidationError("Enter the 6 digits shown in your authenticator app.")
        return code


class ProfileForm(forms.ModelForm[Member]):
    class Meta:
        model = Member
        fields = ["display_name", "pronouns", "age_band", "gender", "phone", "contact_notes"]
        help_texts = {
            "display_name": DISPLAY_NAME_HELP,
            "pronouns": "Optional, e.g. she/her, they/them.",
            "age_band": "Optional. Only used if you ask to be matched by age.",
            "gender": "Optional, in your own words. Only used if you ask to be matched by gender.",
            "phone": "Optional. Only staff who need to reach you can see it, and each time they look is recorded.",
            "contact_notes": "Optional, e.g. 'text first', 'not before 10am'. Staff only.",
        }

    def clean_display_name(self) -> str:
        return _clean_display_name(self.cleaned_data["display_name"])

    def clean_phone(self) -> str:
        return clean_phone_number(self.cleaned_data["phone"])


class PreferencesForm(forms.ModelForm[Member]):
    class Meta:
        model = Member
        fields = ["text_size", "email_notifications"]
        widgets = {"text_size": forms.RadioSelect}
        labels = {"text_size": "Text size", "email_notifications": "Email me notifications"}
        help_texts = {"email_notifications": "Choose which ones, and when, on your notifications page."}


class OrganisationSettingsForm(forms.Form):
    open_signup = forms.BooleanField(
        label="Anyone can join with a confirmed email address (otherwise: invitation links only)", required=False
    )
    require_staff_two_factor = forms.BooleanField(
        label="Peer workers, counsellors and coordinators must use two-factor sign-in", required=False
    )
    member_messages = forms.BooleanField(
        label="Members can message each other one-to-one, when both have chosen to (screened like every message; "
        "either can block or report)",
        required=False,
    )


class InvitationForm(forms.Form):
    note = forms.CharField(label="Who is it for? (optional, only you see this)", max_length=80, required=False)


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password, to confirm it's you",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        max_length=128,
    )
    confirm = forms.BooleanField(label="I understand this can't be undone")

    def __init__(self, member: Member, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.member = member

    def clean_password(self) -> str:
        password = str(self.cleaned_data["password"])
        if not self.member.check_password(password):
            raise forms.ValidationError("That password isn't right.")
        return password


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=[c for c in Role.choices if c[0] != Role.MEMBER])
    grant = forms.BooleanField(required=False)


class ResetPasswordForm(PasswordResetForm):
    """Django's reset form, but the email is a delivery (sent by the worker, retried), never sent in the request."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        from hearth.core.deliveries import send_email

        user = context["user"]
        keep = {k: context[k] for k in ("uid", "token", "protocol", "domain", "site_name", "user")}
        send_email(user, "members/email/password_reset", keep, kind="members.password_reset")
