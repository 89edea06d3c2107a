"""The demo organisation has rows for every availability model, so each page has something to show."""

from __future__ import annotations

from django.core.management import call_command

from hearth.availability.models import (
    OpenShift,
    ServiceException,
    ServiceHours,
    ShiftNotice,
    ShiftPattern,
    StaffingRule,
    SupporterProfile,
)


def test_the_rota_side_has_demo_rows(db):
    call_command("seed_demo", verbosity=0)
    models = [OpenShift, ServiceException, ServiceHours, ShiftNotice, ShiftPattern, StaffingRule, SupporterProfile]
    assert [m.__name__ for m in models if not m.objects.exists()] == []
    assert OpenShift.objects.get().offered_to.exists()
