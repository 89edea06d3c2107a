from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from hearth.chat.actions import MAX_BODY
from hearth.chat.models import (
    AttendanceHow,
    CallOutcome,
    DropIn,
    GatheringFormat,
    MessagesFrom,
    PollAnswer,
    Repeat,
    RsvpAnswer,
    SlotOutcome,
    SlotWay,
)
from hearth.core.forms import field_of
from hearth.core.params import parse_id


class SendForm(forms.Form):
    body = forms.CharField(label="Your message", max_length=MAX_BODY, widget=forms.Textarea(attrs={"rows": 2}))
    # Made when the page is drawn: sending the form twice (a double click, a retry) stores one message.
    client_id = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput)


class EditForm(forms.Form):
    body = forms.CharField(label="Your message", max_length=MAX_BODY, widget=forms.Textarea(attrs={"rows": 3}))


class HideForm(forms.Form):
    reason = forms.CharField(label="Why (for the audit log)", max_length=200, required=False)


class DropInForm(forms.Form):
    title = forms.CharField(max_length=80, help_text="For example: Tuesday evening drop-in.")
    weekday = forms.TypedChoiceField(
        label="Day", coerce=int, choices=[(i, day) for i, day in enumerate(DropIn.WEEKDAYS)]
    )
    opens_at = forms.TimeField(label="Opens at", widget=forms.TimeInput(attrs={"type": "time"}))
    closes_at = forms.TimeField(label="Closes at", widget=forms.TimeInput(attrs={"type": "time"}))
    email_host = forms.BooleanField(
        label="Email me when someone arrives and I'm not in the room", required=False, initial=True
    )


class GatheringForm(forms.Form):
    title = forms.CharField(max_length=80)
    description = forms.CharField(max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    starts_at = forms.DateTimeField(label="Starts", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = forms.DateTimeField(label="Ends", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    format = forms.ChoiceField(choices=GatheringFormat.choices)
    activity = forms.CharField(max_length=80, required=False, help_text="Optional: crafts, film night, gaming…")
    bring = forms.CharField(
        label="What to bring or install",
        max_length=300,
        required=False,
        help_text="Optional: so people can come ready, e.g. “install Among Us (free) on your phone”.",
    )
    video_link = forms.URLField(
        required=False,
        assume_scheme="https",
        help_text="For video or hybrid: leave empty to use the organisation's own video service, if it has one. "
        "Only people coming online see it.",
    )
    place = forms.CharField(
        max_length=200, required=False, help_text="In person or hybrid: the room, e.g. the community centre, room 2."
    )
    capacity = forms.IntegerField(
        label="Places",
        min_value=1,
        max_value=1000,
        required=False,
        help_text="Optional: how many people can come. Others can join a waiting list.",
    )
    invite_only = forms.BooleanField(
        label="Only for people I invite",
        required=False,
        help_text="A small, calm session: only the people you invite see it. You choose them on the next page.",
    )
    repeat = forms.ChoiceField(
        label="Repeats",
        choices=[("", "Just this once"), *Repeat.choices],
        required=False,
    )
    until = forms.DateField(
        label="Last date (if it repeats)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty to keep it going until you end it.",
    )
    facilitator: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, required=False, help_text="Leave empty to facilitate it yourself."
    )
    online_volunteer: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, required=False, help_text="For hybrid gatherings: keeps people online heard."
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "facilitator", forms.ModelChoiceField).queryset = people
        field_of(self, "online_volunteer", forms.ModelChoiceField).queryset = people


REMINDER_CHOICES = [
    ("", "No reminder"),
    ("15", "15 minutes before"),
    ("60", "An hour before"),
    ("1440", "A day before"),
]


class RsvpForm(forms.Form):
    answer = forms.ChoiceField(choices=RsvpAnswer.choices, widget=forms.RadioSelect)
    joining = forms.ChoiceField(label="How will you join?", widget=forms.RadioSelect, required=False)
    remind = forms.ChoiceField(label="Remind me", choices=REMINDER_CHOICES, required=False)

    def __init__(self, *args: Any, place: str | None = None, **kwargs: Any) -> None:
        """``place``: the room in the centre of a hybrid gathering (then people choose how they'll join);
        None for any other gathering (no choice to make)."""
        super().__init__(*args, **kwargs)
        if place is None:
            del self.fields["joining"]
        else:
            field_of(self, "joining", forms.ChoiceField).choices = [
                (AttendanceHow.IN_PERSON, f"In person, at {place}"),
                (AttendanceHow.ONLINE, "Online (the link shows here once you've said)"),
            ]


class HandOffForm(forms.Form):
    person: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, label="Who")
    supporter: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, label="With which supporter")
    note = forms.CharField(max_length=300, required=False, label="A short note for the follow-up")

    def __init__(self, *args: Any, people: Any, supporters: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "person", forms.ModelChoiceField).queryset = people
        field_of(self, "supporter", forms.ModelChoiceField).queryset = supporters


class NotesForm(forms.Form):
    notes = forms.CharField(
        label="Notes (staff only)", max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class PromptsForm(forms.Form):
    prompts = forms.CharField(
        label="Prompts, one on each line", max_length=20000, required=False, widget=forms.Textarea(attrs={"rows": 12})
    )


class MessagesFromForm(forms.Form):
    messages_from = forms.ChoiceField(
        label="Who can send you messages",
        choices=MessagesFrom.choices,
        widget=forms.RadioSelect,
        help_text="Supporters can always reach you. Messages between members go both ways: if you choose "
        "nobody, you won't be able to write to other members either.",
    )


class ReviewForm(forms.Form):
    reason = forms.CharField(
        label="Why do you need to read this conversation?",
        min_length=10,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept in the audit log with your name.",
    )


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(label="Places", min_value=1, max_value=1000, required=False)


class SlotForm(forms.Form):
    starts_at = forms.DateTimeField(label="Starts", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    minutes = forms.TypedChoiceField(
        label="How long",
        coerce=int,
        choices=[(30, "30 minutes"), (45, "45 minutes"), (60, "An hour"), (90, "An hour and a half")],
        initial=45,
    )
    way = forms.ChoiceField(label="How you'll talk", choices=SlotWay.choices)

    def __init__(self, *args: Any, ways: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if ways is not None:  # only the ways this supporter may offer (phone for staff, video with a server)
            field_of(self, "way", forms.ChoiceField).choices = [(v, label) for v, label in SlotWay.choices if v in ways]


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(choices=SlotOutcome.choices, widget=forms.RadioSelect, label="How did it go?")


class BookForm(forms.Form):
    slot = forms.IntegerField(min_value=1, max_value=2**63 - 1)


class BuddyPreferenceForm(forms.Form):
    looking = forms.BooleanField(label="I'd like a buddy", required=False)
    same_gender = forms.BooleanField(label="Someone of the same gender as me", required=False)
    similar_age = forms.BooleanField(label="Someone of a similar age", required=False)
    ways = forms.MultipleChoiceField(
        label="Ways I'd like to keep in touch",
        choices=SlotWay.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class ProposeBuddiesForm(forms.Form):
    first = forms.IntegerField(min_value=1, max_value=2**63 - 1)
    second = forms.IntegerField(min_value=1, max_value=2**63 - 1)


class StartCallForm(forms.Form):
    way = forms.ChoiceField(choices=[(SlotWay.PHONE, "Phone them"), (SlotWay.VIDEO, "Start a video call")])


class CallRecordForm(forms.Form):
    outcome = forms.ChoiceField(choices=CallOutcome.choices, widget=forms.RadioSelect, label="How did it go?")
    minutes = forms.IntegerField(label="About how many minutes?", min_value=0, max_value=600, required=False)


class PeopleField(forms.ModelMultipleChoiceField[Any]):
    """Ticked people: a value that isn't an id that fits the database is "not one of the choices", not a 500."""

    def clean(self, value: Any) -> Any:
        for pk in value if isinstance(value, list | tuple) else []:
            if parse_id(pk) is None:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super().clean(value)


class InviteForm(forms.Form):
    people: forms.ModelMultipleChoiceField[Any] = PeopleField(
        queryset=None, widget=forms.CheckboxSelectMultiple, label="Who would you like to invite?"
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "people", forms.ModelChoiceField).queryset = people


class PollForm(forms.Form):
    """A "when suits?" question: what, how, and up to six times to choose from."""

    title = forms.CharField(label="What's it for?", max_length=80, help_text="For example: a craft afternoon.")
    format = forms.ChoiceField(
        label="Where",
        choices=[(GatheringFormat.ONLINE, "Online, in a Hearth room"), (GatheringFormat.IN_PERSON, "In person")],
    )
    place = forms.CharField(max_length=200, required=False, help_text="In person: where, so people can say how far.")
    minutes = forms.TypedChoiceField(
        label="How long",
        coerce=int,
        choices=[(45, "45 minutes"), (60, "An hour"), (90, "An hour and a half"), (120, "Two hours")],
        initial=60,
    )
    time_1 = forms.DateTimeField(label="Time 1", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    time_2 = forms.DateTimeField(label="Time 2", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    time_3 = forms.DateTimeField(
        label="Time 3", required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    time_4 = forms.DateTimeField(
        label="Time 4", required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    time_5 = forms.DateTimeField(
        label="Time 5", required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    time_6 = forms.DateTimeField(
        label="Time 6", required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )

    def times(self) -> list[Any]:
        return [self.cleaned_data[f"time_{i}"] for i in range(1, 7) if self.cleaned_data.get(f"time_{i}")]


class PollAnswerForm(forms.Form):
    """One radio group per time offered, and the journey for an in-person gathering."""

    travel_minutes = forms.IntegerField(
        label="How long does it take you to get there? (minutes)",
        min_value=0,
        max_value=300,
        required=False,
        help_text="Optional. It helps the host see if a time means a long trip for someone.",
    )

    def __init__(self, *args: Any, options: Any, in_person: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for option in options:
            local = timezone.localtime(option.starts_at)
            self.fields[f"option_{option.pk}"] = forms.ChoiceField(
                label=f"{local:%A} {local.day} {local:%B, %H:%M}",
                choices=PollAnswer.choices,
                widget=forms.RadioSelect,
                required=False,
            )
        if not in_person:
            del self.fields["travel_minutes"]
        else:  # the journey after the times
            self.fields["travel_minutes"] = self.fields.pop("travel_minutes")

    def answers(self) -> dict[int, str]:
        return {
            int(name.removeprefix("option_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("option_") and value
        }
