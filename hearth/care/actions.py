from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from hearth.care.models import CareItem
from hearth.core import audit
from hearth.core.errors import ActionError
from hearth.core.events import send_event_on_commit
from hearth.members import policy
from hearth.members.models import Member
from hearth.members.policy import Perm

audit.register(
    {
        "care.item.claimed": "{actor} is reaching out to {subject}",
        "care.item.done": "{actor} checked in with {subject}: {outcome}",
    }
)

CARE_GROUP = "care.queue"


def add_care_item(member: Member, *, source: str, reason: str, now: datetime | None = None) -> CareItem:
    """Put someone on the care queue (or add the reason to their open item from the same source)."""
    now = now or timezone.now()
    item = CareItem.objects.filter(member=member, source=source).exclude(state=CareItem.State.DONE).first()
    if item is not None:
        if reason not in item.reason:
            item.reason = f"{item.reason}; {reason}"[:300]
            item.save(update_fields=["reason"])
    else:
        try:
            with transaction.atomic():
                item = CareItem.objects.create(member=member, source=source, reason=reason[:300], created_at=now)
        except IntegrityError:
            return add_care_item(member, source=source, reason=reason, now=now)
    send_event_on_commit([CARE_GROUP], {"kind": "care.queue_changed"})
    return item


def do_claim(actor: Member, item_id: int) -> CareItem:
    policy.require(actor, Perm.USE_CARE_QUEUE)
    with transaction.atomic():
        claimed = CareItem.objects.filter(pk=item_id, state=CareItem.State.OPEN).update(
            state=CareItem.State.CLAIMED, claimed_by=actor
        )
        item = CareItem.objects.select_related("member", "claimed_by").get(pk=item_id)
        if not claimed:
            raise ActionError(
                f"{item.claimed_by.display_name if item.claimed_by else 'Someone'} is already reaching out."
            )
        audit.log_action("care.item.claimed", actor=actor, subject=item.member, obj=item)
        send_event_on_commit([CARE_GROUP], {"kind": "care.queue_changed"})
    return item


def do_record_check_in(actor: Member, item_id: int, outcome: str) -> CareItem:
    policy.require(actor, Perm.USE_CARE_QUEUE)
    with transaction.atomic():
        item = CareItem.objects.select_for_update(of=("self",)).select_related("member").get(pk=item_id)
        if item.claimed_by_id not in (None, actor.pk):
            raise ActionError("Someone else claimed this; they'll record how it went.")
        item.state, item.claimed_by, item.done_at, item.outcome = (
            CareItem.State.DONE,
            actor,
            timezone.now(),
            outcome[:300],
        )
        item.save(update_fields=["state", "claimed_by", "done_at", "outcome"])
        audit.log_action("care.item.done", actor=actor, subject=item.member, obj=item, data={"outcome": outcome[:100]})
        send_event_on_commit([CARE_GROUP], {"kind": "care.queue_changed"})
    return item


def open_items() -> list[CareItem]:
    return list(CareItem.objects.exclude(state=CareItem.State.DONE).select_related("member", "claimed_by"))
