"""Sending email: one helper, after commit, rendered from templates.

Email is an outside edge; tests use Django's locmem backend and read
``mail.outbox``. Nothing personal beyond what the email is about goes in it.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string

from hearth.core.logs import log_event


def send_templated_email_on_commit(to: str, template: str, context: dict[str, Any]) -> None:
    """Render ``<template>_subject.txt`` and ``<template>.txt`` and send once the transaction commits."""
    context = {"org_name": settings.HEARTH_ORG_NAME, "base_url": settings.HEARTH_BASE_URL, **context}
    subject = render_to_string(f"{template}_subject.txt", context).strip()
    body = render_to_string(f"{template}.txt", context)
    transaction.on_commit(lambda: _send(template, subject, body, to))


def _send(template: str, subject: str, body: str, to: str) -> None:
    # One delivery.attempt line per email: the template, never the address or the words.
    try:
        send_mail(subject, body, None, [to], fail_silently=False)
    except Exception as exc:
        log_event(
            "delivery.attempt",
            level=logging.WARNING,
            channel="email",
            template=template,
            outcome="failed",
            error=type(exc).__name__,
        )
        raise
    log_event("delivery.attempt", channel="email", template=template, outcome="sent")
