"""Forms parse and validate input; the actions decide and change. Messages say what to fix."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms

from hearth.community.actions import GROUP_FIELDS
from hearth.community.models import CardType, Group, JoinPolicy, PostKind
from hearth.core.forms import field_of

TAG_HELP = "Separate them with commas, e.g. crafts, knitting."


class GroupForm(forms.ModelForm[Group]):
    class Meta:
        model = Group
        fields = list(GROUP_FIELDS)  # what do_propose_group and do_revise_proposal take
        labels = {
            "interest_tags": "Interests (optional)",
            "experience_tags": "Shared experiences (optional)",
            "join_policy": "How people join",
            "listed": "Show the group in the directory (untick for a group people are invited to quietly)",
        }
        help_texts = {
            "name": "A short, welcoming name, e.g. Tuesday Makers.",
            "purpose": "A sentence or two: what happens there, and why.",
            "who_for": "E.g. men of any age; people caring for someone; students.",
            "interest_tags": TAG_HELP,
            "experience_tags": "E.g. caring for someone, bereavement, being a student.",
        }
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "join_policy": forms.RadioSelect,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "join_policy", forms.ChoiceField).choices = JoinPolicy.choices


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("approve", "Approve"), ("changes", "Ask for changes"), ("decline", "Decline")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Reason (the person who proposed it will see this)",
        required=False,
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when you ask for changes or decline. Be kind and specific.",
    )


class PostForm(forms.Form):
    kind = forms.ChoiceField(
        label="What are you sharing?", choices=PostKind.choices, initial=PostKind.TEXT, widget=forms.RadioSelect
    )
    body = forms.CharField(
        label="Write something",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Mention someone in the group with @ and their name, e.g. @Robin.",
    )
    card_type = forms.ChoiceField(
        label="For a 'what I'm into' card: I'm…",
        required=False,
        choices=[("", "Choose one"), *CardType.choices],
    )
    card_title = forms.CharField(label="Title", required=False, max_length=120, help_text="E.g. a film, book or game.")
    photo = forms.FileField(label="Photo", required=False, help_text="JPEG, PNG, GIF or WebP, up to 8 MB.")
    photo_description = forms.CharField(
        label="Describe the photo",
        required=False,
        max_length=300,
        help_text="A few words for people who can't see it.",
    )
    heavy = forms.BooleanField(label="This post is about something heavy", required=False)
    content_note = forms.CharField(
        label="Content note",
        required=False,
        max_length=120,
        help_text="A few words on what it's about, e.g. 'loss of a parent'. The post is folded behind this note.",
    )

    def __init__(self, *args: Any, host: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not host:
            field_of(self, "kind", forms.ChoiceField).choices = [
                c for c in PostKind.choices if c[0] != PostKind.ANNOUNCEMENT
            ]
        self.fields["photo"].widget.attrs["accept"] = "image/jpeg,image/png,image/gif,image/webp"


class CommentForm(forms.Form):
    body = forms.CharField(label="Your reply", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class CommunitySettingsForm(forms.Form):
    interests = forms.CharField(
        label="Your interests",
        required=False,
        max_length=300,
        help_text="Separate them with commas, e.g. gardening, films, being a carer. Used to suggest groups to you.",
    )
    muted_words = forms.CharField(
        label="Muted words and topics",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One word or phrase on each line. Posts that mention them are folded away for you.",
    )


BREAK_CHOICES = [
    ("1", "1 day"),
    ("3", "3 days"),
    ("7", "1 week"),
    ("14", "2 weeks"),
    ("30", "30 days"),
]


class BreakForm(forms.Form):
    days = forms.ChoiceField(label="Pause all notifications for", choices=BREAK_CHOICES, widget=forms.RadioSelect)

    def duration(self) -> timedelta:
        return timedelta(days=int(self.cleaned_data["days"]))


class JoinRequestForm(forms.Form):
    note = forms.CharField(
        label="Anything you'd like the hosts to know? (optional)",
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class InviteForm(forms.Form):
    display_name = forms.CharField(label="Display name of the person to invite", max_length=40)


class HandOverForm(forms.Form):
    member = forms.TypedChoiceField(label="Who should host?", coerce=int, choices=[])
    step_down = forms.BooleanField(
        label="I'm stepping down as a host (leave unticked to host together)", required=False
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "member", forms.ChoiceField).choices = choices
