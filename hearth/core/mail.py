"""Rendering email. Sending is a delivery: :func:`hearth.core.deliveries.send_email`.

Email is an outside edge; tests use Django's locmem backend and read
``mail.outbox`` after running deliveries (or a local fake SMTP server, see
:class:`hearth.testing.FakeSMTPServer`). Nothing personal beyond what the
email is about goes in it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string


def render_email(template: str, context: dict[str, Any]) -> tuple[str, str]:
    """``<template>_subject.txt`` (one line) and ``<template>.txt``, with the organisation's name and address."""
    context = {"org_name": settings.HEARTH_ORG_NAME, "base_url": settings.HEARTH_BASE_URL, **context}
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    body = render_to_string(f"{template}.txt", context)
    return subject, body
