from __future__ import annotations

from typing import Any

from django import forms

from hearth.availability.models import (
    LANGUAGES,
    Gender,
    Mode,
    OnCallSlot,
    RuleRole,
    ShiftPattern,
    SupporterProfile,
    TimeOfDay,
    Weekday,
)
from hearth.availability.profiles import normalise_tags
from hearth.core.forms import field_of
from hearth.members import policy
from hearth.members.forms import clean_phone_number
from hearth.members.models import AgeBand, Member
from hearth.members.policy import Perm

NO_PREFERENCE = ("", "No preference")


class TalkRequestForm(forms.Form):
    mode = forms.ChoiceField(
        label="How would you like to talk?", choices=Mode.choices, initial=Mode.TEXT, widget=forms.RadioSelect
    )
    phone_for_callback = forms.CharField(
        label="Phone number for a call back", max_length=30, required=False, help_text="Only if you chose a phone call."
    )
    prefer_gender = forms.ChoiceField(
        label="I'd prefer to talk to… (optional)",
        choices=[NO_PREFERENCE, *[c for c in Gender.choices if c[0]]],
        required=False,
    )
    prefer_age_band = forms.ChoiceField(
        label="Age group I'd prefer (optional)",
        choices=[NO_PREFERENCE, *[c for c in AgeBand.choices if c[0]]],
        required=False,
    )
    prefer_language = forms.ChoiceField(
        label="Language I'd prefer (optional)", choices=[NO_PREFERENCE, *LANGUAGES], required=False
    )
    prefer_experience = forms.ChoiceField(
        label="Someone with experience of… (optional)", choices=[NO_PREFERENCE], required=False
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

    def __init__(
        self, *args: Any, known_tags: list[str] | None = None, modes_on: set[str] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "prefer_experience", forms.ChoiceField).choices = [
            NO_PREFERENCE,
            *[(t, t) for t in known_tags or []],
        ]
        if modes_on is not None:
            # Only the ways someone on duty can talk right now (never none: text chat stays if nobody says).
            offered = [c for c in Mode.choices if c[0] in modes_on] or [c for c in Mode.choices if c[0] == Mode.TEXT]
            field_of(self, "mode", forms.ChoiceField).choices = offered
            self.fields["mode"].initial = offered[0][0]
            missing = [label.lower() for value, label in Mode.choices if value not in modes_on]
            if missing:
                self.fields["mode"].help_text = "Nobody on duty right now can offer " + " or ".join(missing) + "."

    def clean_phone_for_callback(self) -> str:
        return clean_phone_number(self.cleaned_data["phone_for_callback"])


class ModeForm(forms.Form):
    mode = forms.ChoiceField(choices=Mode.choices)


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


class HandoverForm(forms.Form):
    note = forms.CharField(
        label="What should the next people on know?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Who is waiting for a call back, what is still open, how the shift felt. Only staff read these.",
    )


class SkipForm(forms.Form):
    reason = forms.CharField(label="Why are you skipping this request?", max_length=200)


class SupporterProfileForm(forms.Form):
    """A supporter's profile: chosen values for matching, caps, and when they like to be on."""

    modes = forms.MultipleChoiceField(
        label="Ways you can talk with members",
        choices=Mode.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one way to talk."},
    )
    languages = forms.MultipleChoiceField(
        label="Languages you can talk in", choices=LANGUAGES, widget=forms.CheckboxSelectMultiple, required=False
    )
    experience = forms.MultipleChoiceField(
        label="Lived experience you're happy to be matched on",
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    more_experience = forms.CharField(
        label="Other experience (optional)",
        max_length=200,
        required=False,
        help_text="Short words, separated by commas, for example: caring for a parent, moving country.",
    )
    gender = forms.ChoiceField(
        label="Gender, for members who ask to talk with someone of a particular gender",
        choices=Gender.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    age_band = forms.ChoiceField(
        label="Age group, for members who ask for someone of a similar age", choices=AgeBand.choices, required=False
    )
    max_open_conversations = forms.IntegerField(
        label="Most one-to-one conversations open at once", min_value=1, max_value=10
    )
    max_hours_per_week = forms.IntegerField(
        label="Most hours a week you'd like on the rota (optional)",
        min_value=1,
        max_value=80,
        required=False,
        help_text="Open shifts aren't offered to you once you reach this.",
    )
    preferred_days = forms.TypedMultipleChoiceField(
        label="Days that suit you (leave empty for any day)",
        choices=Weekday.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    preferred_times = forms.MultipleChoiceField(
        label="Times that suit you (leave empty for any time)",
        choices=TimeOfDay.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    away_until = forms.DateField(
        label="Taking a break from shifts until (optional)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="You won't be offered open shifts before this date.",
    )

    def __init__(self, *args: Any, known_tags: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "experience", forms.ChoiceField).choices = [(t, t) for t in known_tags]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        extra = [t for t in data.get("more_experience", "").split(",") if t.strip()]
        data["experience"] = normalise_tags([*data.get("experience", []), *extra])
        data.pop("more_experience", None)
        return data

    @classmethod
    def initial_for(cls, profile: SupporterProfile) -> dict[str, Any]:
        return {
            "modes": list(profile.modes),
            "languages": list(profile.languages),
            "experience": list(profile.experience),
            "gender": profile.gender,
            "age_band": profile.age_band,
            "max_open_conversations": profile.max_open_conversations,
            "max_hours_per_week": profile.max_hours_per_week,
            "preferred_days": list(profile.preferred_days),
            "preferred_times": list(profile.preferred_times),
            "away_until": profile.away_until,
        }


class ServiceHoursForm(forms.Form):
    """One weekday's usual hours (the rules page shows seven, one per day)."""

    closed = forms.BooleanField(label="Closed", required=False)
    opens = forms.TimeField(label="Opens", required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    closes = forms.TimeField(label="Closes", required=False, widget=forms.TimeInput(attrs={"type": "time"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("closed") and not (data.get("opens") and data.get("closes")):
            raise forms.ValidationError("Give opening and closing times, or tick closed.")
        return data


class ServiceExceptionForm(forms.Form):
    date = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    closed = forms.TypedChoiceField(
        label="That day the service is",
        choices=[("yes", "Closed"), ("no", "Open at these times")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        initial="yes",
    )
    opens = forms.TimeField(label="Opens", required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    closes = forms.TimeField(label="Closes", required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    note = forms.CharField(
        label="Why (optional)", max_length=100, required=False, help_text="For example: Bank holiday."
    )


class StaffingRuleForm(forms.Form):
    minimum = forms.IntegerField(label="At least", min_value=1, max_value=50, initial=1)
    who = forms.ChoiceField(label="Who counts", choices=RuleRole.choices, initial=RuleRole.ANYONE)
    weekdays = forms.TypedMultipleChoiceField(
        label="On (leave empty for every day)",
        choices=Weekday.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    starts = forms.TimeField(
        label="From (optional)",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text="Leave both times empty for all service hours.",
    )
    ends = forms.TimeField(label="Until (optional)", required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    note = forms.CharField(label="Note (optional)", max_length=100, required=False)


class GapForm(forms.Form):
    """The hours of one gap, carried by the fill and offer buttons on the gap itself."""

    date = forms.DateField()
    starts = forms.TimeField()
    ends = forms.TimeField()
    who = forms.ChoiceField(choices=RuleRole.choices, required=False)
    supporter = forms.IntegerField(required=False)
    note = forms.CharField(max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts") and data.get("ends") and data["ends"] <= data["starts"]:
            raise forms.ValidationError("A shift has to end after it starts.")
        data["who"] = data.get("who") or RuleRole.ANYONE
        return data


class OnCallForm(forms.Form):
    """A person, a channel and weekly hours for the on-call rota (only people who may handle crisis alerts)."""

    person = forms.ModelChoiceField(
        label="Who",
        queryset=Member.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": "Choose someone from the list."},
    )
    weekday = forms.TypedChoiceField(label="Starting on", choices=Weekday.choices, coerce=int)
    starts = forms.TimeField(label="From", widget=forms.TimeInput(attrs={"type": "time"}))
    ends = forms.TimeField(
        label="Until",
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text="A time earlier than the start ends the next morning.",
    )
    channel = forms.ChoiceField(
        label="Reach them by",
        choices=OnCallSlot.Channel.choices,
        initial=OnCallSlot.Channel.PUSH,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        roles = policy.roles_with(Perm.HANDLE_CRISIS)
        field_of(self, "person", forms.ModelChoiceField).queryset = (
            Member.objects.filter(role_grants__role__in=roles, is_active=True).distinct().order_by("display_name")
        )
