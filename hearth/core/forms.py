"""Forms for core's own pages (the notification choices), and ``field_of`` for every app's forms."""

from __future__ import annotations

from typing import Any

from django import forms

from hearth.core import notifications
from hearth.core.models import NotificationChoice
from hearth.core.notifications import APP, EMAIL, PUSH, Kind

CHANNEL_LABELS = {APP: "In the app", EMAIL: "Email", PUSH: "Push to your devices"}


def field_of[F: forms.Field](form: forms.BaseForm, name: str, kind: type[F]) -> F:
    """``form.fields[name]`` as the kind of field it is, to set its choices or queryset for this request.

    django-stubs types every field of ``form.fields`` as a plain ``Field``; this checks the kind instead of
    ignoring the type error, so a field renamed or changed in kind fails here, by name.
    """
    found = form.fields[name]
    if not isinstance(found, kind):
        raise TypeError(f"{type(form).__name__}.{name} is a {type(found).__name__}, not a {kind.__name__}")
    return found


def field_name(kind: Kind, channel: str) -> str:
    return f"{kind.key}:{channel}"


class NotificationChoicesForm(forms.Form):
    """A tick per kind and channel the person may choose, and their quiet hours and daily email time."""

    quiet_from = forms.TimeField(
        label="Quiet from",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text="For example 21:00. No email or push until quiet hours end.",
    )
    quiet_until = forms.TimeField(
        label="Quiet until",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text="For example 08:00.",
    )
    digest_at = forms.TimeField(
        label="Your daily email comes at",
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text="Only on days something happened. Urgent things (a reminder you asked for, a one-to-one) come at once.",
    )

    def __init__(self, member: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.member = member
        self.kinds = notifications.kinds_for(member)
        row = notifications.settings_for(member)
        chosen = {(c.kind, c.channel): c.on for c in NotificationChoice.objects.filter(member=member)}
        self.initial.setdefault("quiet_from", row.quiet_from)
        self.initial.setdefault("quiet_until", row.quiet_until)
        self.initial.setdefault("digest_at", row.digest_at)
        for kind in self.kinds:
            for channel in kind.offered():
                required = channel in kind.required
                label = CHANNEL_LABELS[channel]
                if channel == EMAIL:
                    label = "Email, at once" if kind.urgent or kind.elsewhere else "In the daily email"
                self.fields[field_name(kind, channel)] = forms.BooleanField(
                    label=label,
                    required=False,
                    disabled=required,
                    initial=required or chosen.get((kind.key, channel), channel in kind.defaults),
                )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("quiet_from")) != bool(data.get("quiet_until")):
            raise forms.ValidationError("Give both times for quiet hours, or neither.")
        return data

    def sections(self) -> list[tuple[str, list[tuple[Kind, list[forms.BoundField]]]]]:
        """(heading, [(kind, its boxes)]) in the page's order, for the template."""
        out: dict[str, list[tuple[Kind, list[forms.BoundField]]]] = {}
        for kind in self.kinds:
            boxes = [self[field_name(kind, c)] for c in kind.offered()]
            out.setdefault(kind.section, []).append((kind, boxes))
        return list(out.items())

    def choices(self) -> dict[tuple[str, str], bool]:
        return {
            (kind.key, channel): bool(self.cleaned_data.get(field_name(kind, channel)))
            for kind in self.kinds
            for channel in kind.offered()
            if channel not in kind.required
        }


class PushDeviceForm(forms.Form):
    """A browser's push subscription, as ``PushSubscription.toJSON()`` gives it (flattened by the page)."""

    endpoint = forms.CharField(max_length=1000)
    p256dh = forms.CharField(max_length=200)
    auth = forms.CharField(max_length=100)


class RemoveDeviceForm(forms.Form):
    device = forms.IntegerField(min_value=1, required=False)
    endpoint = forms.CharField(max_length=1000, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("device") and not data.get("endpoint"):
            raise forms.ValidationError("Choose the device to stop pushing to.")
        return data
