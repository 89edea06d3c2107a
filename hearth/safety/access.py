"""Safety's reads of protected rows by an id from a request: the row, or a 404 (403 for the wrong role)."""

from __future__ import annotations

from django.http import Http404

from hearth.members import policy
from hearth.members.models import Member
from hearth.members.policy import Perm
from hearth.safety.models import CrisisAlert, ModerationItem


def access_alert(member: Member, alert_id: int) -> CrisisAlert:
    """A crisis alert, for someone who handles crises."""
    policy.require(member, Perm.HANDLE_CRISIS)
    alert = CrisisAlert.objects.select_related("member", "acknowledged_by", "item").filter(pk=alert_id).first()
    if alert is None:
        raise Http404
    return alert


def access_moderation_item(member: Member, item_id: int) -> ModerationItem:
    """A moderation queue item, for moderators (``actions.check_can_see_item`` says whether this one is theirs)."""
    policy.require(member, Perm.MODERATE)
    item = ModerationItem.objects.select_related("subject", "assigned_to").filter(pk=item_id).first()
    if item is None:
        raise Http404
    return item
