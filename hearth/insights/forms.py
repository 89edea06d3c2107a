from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone

from hearth.insights.measures import Questionnaire
from hearth.insights.models import InsightsSettings
from hearth.insights.registry import MAX_DAYS, Span

if TYPE_CHECKING:
    _ModelForm = forms.ModelForm[InsightsSettings]
else:
    _ModelForm = forms.ModelForm


class SpanForm(forms.Form):
    start = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data: Any = None, *, default_days: int = 84) -> None:
        super().__init__(data)
        self.default_days = default_days

    def span(self) -> Span:
        """The chosen dates (the last ``default_days`` by default), at most a year."""
        today = timezone.localdate()
        end: date = today
        start: date = today - timedelta(days=self.default_days - 1)
        if self.is_valid():
            end = self.cleaned_data["end"] or end
            start = self.cleaned_data["start"] or end - timedelta(days=self.default_days - 1)
        return Span(start, end)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and (data["end"] - data["start"]).days >= MAX_DAYS:
            self.add_error("start", "Choose at most a year; the last year up to 'To' is shown.")
        return data


class SettingsForm(_ModelForm):
    class Meta:
        model = InsightsSettings
        fields = ["phq9_on", "gad7_on", "ucla3_on", "interval_days", "talk_target_minutes", "alert_target_minutes"]


def questionnaire_form(q: Questionnaire, data: Any = None) -> forms.Form:
    fields: dict[str, forms.Field] = {
        f"item_{i}": forms.TypedChoiceField(
            label=text,
            choices=[(str(v), label) for v, label in q.options],
            coerce=int,
            widget=forms.RadioSelect,
            error_messages={"required": "Please choose an answer for this question."},
        )
        for i, text in enumerate(q.items, start=1)
    }
    form_class = type("QuestionnaireForm", (forms.Form,), fields)
    form: forms.Form = form_class(data)
    return form


def answers_from(form: forms.Form, q: Questionnaire) -> list[int]:
    return [int(form.cleaned_data[f"item_{i}"]) for i in range(1, len(q.items) + 1)]
