from __future__ import annotations

from django import forms

from hearth.availability.models import Mode, ShiftPattern
from hearth.members.forms import clean_phone_number
from hearth.members.models import AgeBand


class TalkRequestForm(forms.Form):
    mode = forms.ChoiceField(
        label="How would you like to talk?", choices=Mode.choices, initial=Mode.TEXT, widget=forms.RadioSelect
    )
    phone_for_callback = forms.CharField(
        label="Phone number for a call back", max_length=30, required=False, help_text="Only if you chose a phone call."
    )
    prefer_gender = forms.CharField(
        label="I'd prefer to talk to a… (optional)",
        max_length=40,
        required=False,
        help_text="For example: woman, man, non-binary person.",
    )
    prefer_age_band = forms.ChoiceField(
        label="Age group I'd prefer (optional)", choices=AgeBand.choices, required=False
    )
    prefer_experience = forms.CharField(
        label="Someone with experience of… (optional)",
        max_length=60,
        required=False,
        help_text="For example: caring, bereavement.",
    )
    prefer_previous = forms.BooleanField(label="Someone I've talked to before, if they're on", required=False)
    strict_match = forms.BooleanField(
        label="Wait for someone who matches (otherwise whoever is free first)", required=False
    )
    message = forms.CharField(
        label="Anything you'd like them to know first? (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def clean_phone_for_callback(self) -> str:
        return clean_phone_number(self.cleaned_data["phone_for_callback"])


class MessageForm(forms.Form):
    message = forms.CharField(
        label="Your message",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text="The next supporter on duty sees messages first.",
    )


class ShiftPatternForm(forms.ModelForm[ShiftPattern]):
    class Meta:
        model = ShiftPattern
        fields = ["weekday", "starts", "ends"]
        widgets = {"starts": forms.TimeInput(attrs={"type": "time"}), "ends": forms.TimeInput(attrs={"type": "time"})}
        labels = {"starts": "From", "ends": "Until"}


class DayForm(forms.Form):
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(max_length=200, required=False)


class SkipForm(forms.Form):
    reason = forms.CharField(label="Why are you skipping this request?", max_length=200)
