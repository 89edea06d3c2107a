"""Forms parse and validate input; actions decide and change. Messages say what to fix.

The self-assessment itself is rendered from its definition (``intake/_questions.html``)
and checked by :func:`hearth.intake.questionnaire.check_answers` in the action, so the
rules live in one place whatever sends the answers.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms

from hearth.intake.models import Scope


class ScopeForm(forms.ModelForm[Scope]):
    class Meta:
        model = Scope
        fields = ["who_for", "what_we_offer", "not_covered"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in ["who_for", "what_we_offer", "not_covered"]}
        help_texts = {
            "who_for": "Plain words, as you'd say it to someone at the door.",
            "not_covered": "Say where people can go instead: it's shown with the directory's signposts.",
        }


class QuestionnaireForm(forms.Form):
    definition = forms.CharField(
        label="Questions and routing rules (JSON)",
        widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false"}),
        max_length=60_000,
        help_text="Publishing makes a new version. Answers already given keep the version they answered.",
    )
    note = forms.CharField(label="What changed (for the version history)", max_length=200, required=False)

    def clean_definition(self) -> Any:
        raw = self.cleaned_data["definition"]
        try:
            return json.loads(raw)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(
                f"This isn't valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}. "
                "Check for a missing comma or quote near there."
            ) from None


class RequirementForm(forms.Form):
    needs_intake = forms.BooleanField(label="People complete the self-assessment before joining", required=False)
    needs_one_to_one = forms.BooleanField(
        label="People have a one-to-one with a peer worker before joining", required=False
    )
