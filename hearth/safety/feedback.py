"""What the writer sees after posting, from their screening: one helper for every kind of writing."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html

from hearth.safety.actions import Screening


def respond_to_screening(
    request: HttpRequest, screening: Screening | None, next_url: str, done: str
) -> HttpResponseRedirect:
    """Redirect after writing: crisis support first (kindly, not a wall), otherwise back with a quiet note.

    ``done`` is the usual confirmation ("Shared with the group.").
    """
    if screening is None:
        messages.success(request, done)
        return redirect(next_url)
    if screening.show_crisis_support:
        return redirect(f"{reverse('safety:support')}?{urlencode({'next': next_url})}")
    if screening.held:
        messages.info(
            request, "Thanks for sharing. A moderator will look at it before others see it; that's usually quick."
        )
    else:
        messages.success(request, done)
    for topic in screening.signposts:
        messages.info(
            request,
            format_html(
                'If it would help, here are <a href="{}">places that can help with {}</a>.',
                f"{reverse('safety:signposts')}?topic={topic}",
                "drink and drugs" if topic == "substance" else "money, housing and forms",
            ),
        )
    if screening.contact_warning:
        messages.warning(
            request,
            "A gentle reminder: for everyone's safety, please keep contact details and meet-ups off Hearth "
            "until you've got to know each other through the service.",
        )
    return redirect(next_url)
