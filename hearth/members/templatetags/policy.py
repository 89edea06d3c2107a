from __future__ import annotations

from typing import Any

from django import template

from hearth.members import policy

register = template.Library()


@register.filter
def can(user: Any, perm: str) -> bool:
    """``{% if user|can:"core.view_audit_log" %}`` — the template face of the policy module."""
    return policy.can(user, perm)


@register.filter
def is_staff_member(user: Any) -> bool:
    return policy.is_staff(user)
