"""Housekeeping that runs on the organisation's own task worker."""

from __future__ import annotations

from datetime import timedelta

from django.tasks import task
from django.utils import timezone

from hearth.core.scheduler import periodic


@periodic(every=timedelta(days=1))
@task()
def prune_finished_task_results() -> int:
    """Finished task records are only useful for a while; keep the table small."""
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - timedelta(days=14)
    deleted, _ = DBTaskResult.objects.filter(finished_at__lt=cutoff).delete()
    return deleted


@task()
def send_delivery(delivery_id: int) -> str:
    """One attempt at one delivery (enqueued on its transport's lane by :mod:`hearth.core.deliveries`)."""
    from hearth.core.deliveries import attempt

    delivery = attempt(delivery_id)
    return delivery.state if delivery is not None else "not due"


@periodic(every=timedelta(minutes=1))
@task()
def resume_deliveries() -> int:
    """At least once: deliveries a crashed or missing worker left behind are sent now."""
    from hearth.core.deliveries import resume

    return resume()


@periodic(every=timedelta(minutes=5))
@task()
def send_notification_digests() -> int:
    """The daily email of what happened, at the time each person chose (non-urgent notifications)."""
    from hearth.core.notifications import send_digests

    return send_digests()


@periodic(every=timedelta(hours=1))
@task()
def reencrypt_with_the_newest_key() -> int:
    """Key rotation in the background: once per new first ``HEARTH_FIELD_KEY``, every encrypted column is
    re-encrypted with it (and text from before encryption sealed), so the old key can then be dropped."""
    from django.core.cache import cache

    from hearth.core import crypto

    newest = crypto.key_fingerprints()[0]
    if cache.get("hearth.crypto.reencrypted-for") == newest:
        return 0
    changed = crypto.reencrypt_all()
    cache.set("hearth.crypto.reencrypted-for", newest, timeout=None)
    return changed
