from __future__ import annotations

from datetime import time
from typing import Any

from django import forms

from hearth.care.models import CheckInHow, CheckInOutcome

WEEKDAYS = [
    ("", "Any day"),
    *(
        (str(i), d)
        for i, d in enumerate(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"])
    ),
]


class RecordForm(forms.Form):
    how = forms.ChoiceField(label="How did you check in?", choices=CheckInHow.choices, widget=forms.RadioSelect)
    outcome = forms.ChoiceField(label="How did it go?", choices=CheckInOutcome.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label="Note for the team (optional, staff only, stored encrypted)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    follow_up_on = forms.DateField(
        label="Follow up on (optional)", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class SnoozeForm(forms.Form):
    days = forms.IntegerField(label="Snooze for (days)", min_value=1, max_value=30, initial=3)
    reason = forms.CharField(label="Why? (the next person sees this)", max_length=200)


class SendCheckInForm(forms.Form):
    message = forms.CharField(
        label="Check-in message",
        max_length=500,
        initial="Hi, just checking in — how's your week going?",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RoundForm(forms.Form):
    """Shares a page with :class:`SendCheckInForm` (both have ``message``), so its ids are ``id_round_…``."""

    message = forms.CharField(label="Message", max_length=500, initial="Hi, just checking in — how's your week going?")
    every_days = forms.IntegerField(label="Every (days)", min_value=1, max_value=28, initial=7)
    weekday = forms.ChoiceField(label="On", choices=WEEKDAYS, required=False)
    not_before = forms.TimeField(label="Not before", initial=time(12), widget=forms.TimeInput(attrs={"type": "time"}))
    not_after = forms.TimeField(label="Not after", initial=time(20), widget=forms.TimeInput(attrs={"type": "time"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_round_%s")
        super().__init__(*args, **kwargs)


class MoodForm(forms.Form):
    score = forms.TypedChoiceField(
        label="How are you today?",
        coerce=int,
        choices=[(1, "1 — very low"), (2, "2 — low"), (3, "3 — OK"), (4, "4 — good"), (5, "5 — very good")],
        widget=forms.RadioSelect,
    )
    words = forms.CharField(label="A few words, if you like (optional)", max_length=280, required=False)


class AskForm(forms.Form):
    when = forms.CharField(
        label="When suits you? (optional)",
        max_length=120,
        required=False,
        help_text="For example: weekdays, not before noon.",
    )


class UploadForm(forms.Form):
    file = forms.FileField(label="CSV or JSON file of daily scores")


class TokenForm(forms.Form):
    name = forms.CharField(label="Name for the token", max_length=60, initial="My tracker")


class ConcernForm(forms.Form):
    noticed = forms.CharField(
        label="What did you notice?",
        help_text="A few words are enough: what they said or did, and when.",
        widget=forms.Textarea(attrs={"rows": 4}),
        min_length=3,
        max_length=2000,
    )
