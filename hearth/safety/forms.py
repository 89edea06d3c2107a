from __future__ import annotations

from django import forms


class ReportForm(forms.Form):
    reason = forms.CharField(
        label="What's wrong? (only moderators see this)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        help_text="The person you're reporting isn't told who reported them.",
    )


class LabelForm(forms.Form):
    risk = forms.ChoiceField(
        label="What was it really? (teaches triage; kept encrypted, on this server)",
        choices=[("crisis", "This was a crisis"), ("concern", "This needed care"), ("none", "This was fine")],
        widget=forms.RadioSelect,
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[
            ("dismiss", "Leave it up"),
            ("hide", "Hide it"),
            ("restore", "Restore it"),
            ("note", "Add a moderator note"),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label="Reason (kept in the audit log; for reports, told to the reporter)", max_length=500)


class SanctionForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[
            ("warn", "Warn"),
            ("mute", "Mute (can read, can't post)"),
            ("suspend", "Suspend (can't sign in)"),
            ("ban", "Ban"),
        ],
        widget=forms.RadioSelect,
    )
    days = forms.IntegerField(label="For how many days (mute or suspend)", min_value=1, max_value=365, required=False)
    reason = forms.CharField(label="Reason the member will see", max_length=500)
    message = forms.CharField(
        label="A kind message to them (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )


class AppealForm(forms.Form):
    text = forms.CharField(
        label="Why do you think the decision should change?", widget=forms.Textarea(attrs={"rows": 5}), max_length=2000
    )


class AppealDecisionForm(forms.Form):
    overturn = forms.BooleanField(label="Change the decision (lift it)", required=False)
    response = forms.CharField(label="Reply to the member", widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)
