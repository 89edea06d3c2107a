from __future__ import annotations

from typing import Any

from django import forms

from hearth.core.forms import field_of
from hearth.members.models import Member, Role
from hearth.team.models import APPLICABLE_ROLES, Application, Check, SupervisionSession

DATE = forms.DateInput(attrs={"type": "date"})
SUPPORTER_ROLE_CHOICES = [
    (r.value, r.label) for r in (Role.VOLUNTEER, Role.PEER_WORKER, Role.COUNSELLOR, Role.COORDINATOR)
]


class ApplicationForm(forms.Form):
    role = forms.ChoiceField(label="I'd like to apply to be a", choices=APPLICABLE_ROLES, widget=forms.RadioSelect)
    why = forms.CharField(
        label="What draws you to it?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text="A sentence or two is plenty. Your own experience counts: that's what peer support is.",
    )
    availability = forms.CharField(
        label="When could you help? (optional)",
        max_length=300,
        required=False,
        help_text="For example: Tuesday evenings, or an hour at weekends.",
    )

    def __init__(self, *args: Any, roles: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "role", forms.ChoiceField).choices = roles
        if roles:
            self.fields["role"].initial = roles[0][0]


class DecisionForm(forms.Form):
    state = forms.ChoiceField(
        label="What happens next",
        choices=[
            (Application.State.IN_PROGRESS, "In progress (checks and training under way)"),
            (Application.State.ACCEPTED, "Welcome them (gives the role)"),
            (Application.State.DECLINED, "Not this time"),
        ],
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label="A word to them (optional)", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ModuleForm(forms.Form):
    name = forms.CharField(label="Name", max_length=80)
    description = forms.CharField(label="What it covers (optional)", max_length=300, required=False)
    required_for = forms.MultipleChoiceField(
        label="Needed before someone can be a",
        choices=SUPPORTER_ROLE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    renew_every_months = forms.IntegerField(
        label="Renew every … months (optional)",
        min_value=1,
        max_value=120,
        required=False,
        help_text="Leave empty if it doesn't need renewing.",
    )
    active = forms.BooleanField(label="In use", required=False, initial=True)


class TrainingRecordForm(forms.Form):
    module = forms.ChoiceField(label="Training")
    completed_on = forms.DateField(label="Completed on", widget=DATE)

    def __init__(self, *args: Any, modules: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "module", forms.ChoiceField).choices = [(str(pk), name) for pk, name in modules]


class CheckForm(forms.Form):
    kind = forms.ChoiceField(label="Check", choices=Check.Kind.choices)
    outcome = forms.ChoiceField(label="Outcome", choices=Check.Outcome.choices)
    requested_on = forms.DateField(label="Asked for on (optional)", widget=DATE, required=False)
    completed_on = forms.DateField(label="Completed on (optional)", widget=DATE, required=False)
    expires_on = forms.DateField(
        label="Renew by (optional)", widget=DATE, required=False, help_text="Dates and the outcome only: no documents."
    )


class StepBackForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label="Stepping back from", choices=SUPPORTER_ROLE_CHOICES, widget=forms.CheckboxSelectMultiple
    )


class SupervisionForm(forms.Form):
    supporter = forms.IntegerField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(label="Kind", choices=SupervisionSession.Kind.choices)
    held_on = forms.DateField(label="Held on", widget=DATE)
    notes = forms.CharField(
        label="Notes (optional)",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        required=False,
        help_text="Encrypted. Read only by them, you and the coordinators.",
    )


class DebriefForm(forms.Form):
    urgency = forms.ChoiceField(
        label="When would you like to talk?",
        choices=[("soon", "In the next day or two"), ("today", "Today, if possible")],
        widget=forms.RadioSelect,
        initial="soon",
    )
    note = forms.CharField(
        label="Anything you'd like them to know first? (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
        help_text="Only the person who talks with you and the coordinators read this.",
    )


def member_choices(people: list[Member]) -> list[tuple[str, str]]:
    return [("", "Choose someone"), *[(str(p.pk), p.display_name) for p in people]]
