"""Sending email: one helper, after commit, rendered from templates.

Email is an outside edge; tests use Django's locmem backend and read
``mail.outbox``. Nothing personal beyond what the email is about goes in it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string


def send_templated_email_on_commit(to: str, template: str, context: dict[str, Any]) -> None:
    """Render ``<template>_subject.txt`` and ``<template>.txt`` and send once the transaction commits."""
    context = {"org_name": settings.HEARTH_ORG_NAME, "base_url": settings.HEARTH_BASE_URL, **context}
    subject = render_to_string(f"{template}_subject.txt", context).strip()
    body = render_to_string(f"{template}.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, None, [to], fail_silently=False))
