"""Changes to organisation-wide settings (see :mod:`hearth.members.actions` for the pattern)."""

from __future__ import annotations

from django.db import transaction

from hearth.core import audit
from hearth.core.models import OrganisationSettings
from hearth.members import policy
from hearth.members.models import Member
from hearth.members.policy import Perm

audit.register({"core.settings.changed": "{actor} changed the organisation settings: {changes}"})


def do_update_organisation_settings(
    actor: Member, *, open_signup: bool, require_staff_two_factor: bool, member_messages: bool | None = None
) -> None:
    """Save the coordinator's choices; ``member_messages`` left as ``None`` keeps the current value."""
    policy.require(actor, Perm.MANAGE_ORGANISATION)
    with transaction.atomic():
        org = OrganisationSettings.load()
        changes = []
        if org.open_signup != open_signup:
            changes.append(f"open sign-up {'on' if open_signup else 'off'}")
        if org.require_staff_two_factor != require_staff_two_factor:
            changes.append(f"two-factor for staff {'required' if require_staff_two_factor else 'optional'}")
        if member_messages is not None and org.member_messages != member_messages:
            changes.append(f"messages between members {'on' if member_messages else 'off'}")
            org.member_messages = member_messages
        if not changes:
            return
        org.open_signup = open_signup
        org.require_staff_two_factor = require_staff_two_factor
        org.save()
        audit.log_action("core.settings.changed", actor=actor, obj=org, data={"changes": ", ".join(changes)})
