"""Forms parse and validate input; actions decide and change. Messages say what to fix."""

from __future__ import annotations

from typing import Any

from django import forms

from hearth.core.forms import field_of
from hearth.members.models import Member
from hearth.signposting.actions import RESOURCE_FIELDS
from hearth.signposting.models import Referral, Resource, Topic


class DateInput(forms.DateInput):
    input_type = "date"


class ResourceForm(forms.ModelForm[Resource]):
    topics = forms.MultipleChoiceField(
        choices=Topic.choices, widget=forms.CheckboxSelectMultiple, required=False, help_text="What they help with."
    )

    class Meta:
        model = Resource
        fields = list(RESOURCE_FIELDS)  # what do_save_resource takes
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "kind": forms.RadioSelect}


class ReferralForm(forms.Form):
    member = forms.CharField(label="Who is it for? (display name)", max_length=40)
    resource = forms.ModelChoiceField(queryset=Resource.objects.filter(active=True), empty_label=None)
    status = forms.ChoiceField(
        choices=[(Referral.Status.SUGGESTED, "Suggested to them"), (Referral.Status.MADE, "Referral made")],
        widget=forms.RadioSelect,
        initial=Referral.Status.SUGGESTED,
    )
    follow_up_on = forms.DateField(
        label="Follow up on", widget=DateInput, required=False, help_text="Leave empty for two weeks from today."
    )
    note = forms.CharField(
        label="Note (optional)",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Only staff and the person it's about see this.",
    )

    def clean_member(self) -> Member:
        name = " ".join(self.cleaned_data["member"].split())
        person = Member.objects.filter(display_name__iexact=name, is_active=True).first()
        if person is None:
            raise forms.ValidationError("We couldn't find anyone here with that display name. Check the spelling.")
        return person


class ReferralUpdateForm(forms.Form):
    status = forms.ChoiceField(choices=Referral.Status.choices, widget=forms.RadioSelect)
    follow_up_on = forms.DateField(label="Next follow-up", widget=DateInput, required=False)
    note = forms.CharField(label="Note", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, self_service: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self_service:
            # Members update their own self-referrals in their words; staff notes stay staff's.
            field_of(self, "status", forms.ChoiceField).choices = [
                (Referral.Status.MADE, "I've been in touch with them"),
                (Referral.Status.ACCEPTED, "They're helping me"),
                (Referral.Status.DECLINED, "It wasn't for me"),
                (Referral.Status.CLOSED, "I don't need this any more"),
            ]
