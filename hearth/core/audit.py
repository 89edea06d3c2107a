"""The audit log: one way to record, and one registry to describe, sensitive events.

Call :func:`log_action` inside the same transaction as the change it records,
so an entry exists exactly when the change does. Each app registers the
human wording of its action types with :func:`register` at import time.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from hearth.core.models import AuditEntry

if TYPE_CHECKING:
    from django.db.models import Model

    from hearth.core.people import Member

# action type -> sentence template; {actor}, {subject} and keys of data.
_DESCRIPTIONS: dict[str, str] = {}


def register(descriptions: dict[str, str]) -> None:
    for action, template in descriptions.items():
        if action in _DESCRIPTIONS and _DESCRIPTIONS[action] != template:
            raise ValueError(f"audit action {action!r} is registered twice with different wording")
        _DESCRIPTIONS[action] = template


def registered_actions() -> list[str]:
    return sorted(_DESCRIPTIONS)


def log_action(
    action: str,
    *,
    actor: Member | None,
    subject: Member | None = None,
    obj: Model | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    if action not in _DESCRIPTIONS:
        raise ValueError(f"unregistered audit action {action!r}: add it to the app's audit descriptions")
    entry = AuditEntry(action=action, actor=actor, subject=subject, data=data or {})
    if obj is not None:
        entry.object_type = obj._meta.label_lower
        entry.object_id = str(obj.pk)
    entry.save()
    return entry


# A page that refreshes itself (the duty desk, the alerts list) records a read once in this long.
READ_WINDOW = timedelta(minutes=30)


def log_read(
    action: str, *, actor: Member, subject: Member | None = None, obj: Model | None = None
) -> AuditEntry | None:
    """A sensitive read: ``actor`` was shown another person's words or details.

    Never for your own; once per reader and person (and thing, if given) in :data:`READ_WINDOW`, so a page
    that refreshes every few seconds leaves one entry, not hundreds. The views that must call this are
    listed in ``core/tests/test_sensitive_reads.py``.
    """
    if subject is not None and subject.pk == actor.pk:
        return None
    recent = AuditEntry.objects.filter(
        action=action, actor=actor, subject=subject, created_at__gte=timezone.now() - READ_WINDOW
    )
    if obj is not None:
        recent = recent.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
    if recent.exists():
        return None
    return log_action(action, actor=actor, subject=subject, obj=obj)


class _Defaults(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "?"


def describe(entry: AuditEntry) -> str:
    """A plain-English sentence for one entry; people who have left read as 'a former member'."""
    template = _DESCRIPTIONS.get(entry.action, entry.action)
    values = _Defaults(entry.data)
    values["actor"] = entry.actor.display_name if entry.actor else "a former member or the system"
    values["subject"] = entry.subject.display_name if entry.subject else "a former member"
    return template.format_map(values)
