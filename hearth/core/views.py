from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

import hearth
from hearth.core import notifications, params, push
from hearth.core.actions import do_save_notification_choices
from hearth.core.badges import counts_for
from hearth.core.context_processors import organisation
from hearth.core.errors import ActionError
from hearth.core.forms import NotificationChoicesForm, PushDeviceForm, RemoveDeviceForm
from hearth.core.home import panels_for
from hearth.core.models import Notification, OrganisationSettings
from hearth.core.params import BadParameter
from hearth.core.web import MemberRequest, show_errors


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "core/welcome.html", {"open_signup": OrganisationSettings.load().open_signup})
    return render(request, "core/home.html", {"panels": panels_for(request)})


def need_help_now(request: HttpRequest) -> HttpResponse:
    """Crisis resources: open to everyone, signed in or not, and never behind anything else."""
    return render(request, "core/help.html")


# --- Error pages: in the site's shell, with a way back and the help link -------------------------

_ERRORS = {
    400: ("Something in that request didn't make sense", "Please go back and try again."),
    403: (
        "This page isn't open to you",
        "It may be for a group you're not in, or for people with a particular role on the team.",
    ),
    404: (
        "We can't find that page",
        "It may have moved, or been removed, or the link may be missing a part.",
    ),
    500: ("Something went wrong on our side", "Please try again in a moment."),
}


def error_page(request: HttpRequest | None, status: int, detail: str = "") -> HttpResponse:
    """The error page in the site's shell. ``detail`` is a sentence written for the person (an ActionError's)."""
    heading, explanation = _ERRORS[status]
    context = {"heading": heading, "explanation": detail or explanation, "status": status}
    if status == 500 or request is None:
        # The database may be the thing that failed: render without anything that reads it
        # (signed-out header, no counts, no energy control).
        body = render_to_string("core/error.html", {**context, **organisation(request)})
        return HttpResponse(body, status=status)
    return render(request, "core/error.html", context, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # A value the params helper couldn't read names itself; other 400s (e.g. a bad Host header) say nothing.
    return error_page(request, 400, str(exception) if isinstance(exception, BadParameter) else "")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # A refusal raised from an ActionError carries a sentence for the person; policy.require's carries none.
    return error_page(request, 403, str(exception or ""))


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return error_page(None, 500)


@login_required
def counts(request: MemberRequest) -> HttpResponse:
    """The header's counts as JSON, for the live badge (``static/hearth/header.js``)."""
    return JsonResponse(counts_for(request.member))


@login_required
def page_banners(request: MemberRequest) -> HttpResponse:
    """The open banners alone (``alerts.js`` fetches them after a dropped connection)."""
    back = request.headers.get("Referer", "")
    next_url = urlsplit(back).path if back else "/"
    return render(request, "core/_banners.html", {"next": next_url or "/"})


# --- Notifications: the list and the person's choices -------------------------------------------------


@login_required
def notification_list(request: MemberRequest) -> HttpResponse:
    """What happened that concerns you, newest first; opening the page marks it read (not while on a break)."""
    me = request.member
    until = notifications.paused([me.pk], timezone.now()).get(me.pk)
    if until is not None:
        return render(request, "core/notifications.html", {"on_break_until": until})
    page = Paginator(Notification.objects.filter(member=me), 30).get_page(request.GET.get("page"))
    rows = list(page)
    notifications.mark_read(me)
    return render(request, "core/notifications.html", {"page": page, "rows": rows})


@login_required
def notification_settings(request: MemberRequest) -> HttpResponse:
    me = request.member
    form = NotificationChoicesForm(me, request.POST or None)
    if request.method == "POST" and form.is_valid():
        with show_errors(request, form=form) as attempt:
            do_save_notification_choices(
                me,
                form.choices(),
                quiet_from=form.cleaned_data["quiet_from"],
                quiet_until=form.cleaned_data["quiet_until"],
                digest_at=form.cleaned_data["digest_at"],
            )
        if attempt.ok:
            messages.success(request, "Your notification choices are saved.")
            return redirect("core:notification_settings")
    return render(
        request,
        "core/notification_settings.html",
        {
            "form": form,
            "on_break_until": notifications.paused([me.pk], timezone.now()).get(me.pk),
            "push_key": push.public_key(),
            "devices": push.devices_of(me),
        },
    )


# --- Push to devices, and the installable app -----------------------------------------------------------

MAX_JSON = 4096  # a push subscription is well under 1 KB


def _json_body(request: HttpRequest) -> dict[str, Any]:
    try:
        data = params.load_json(request.body or b"{}", max_bytes=MAX_JSON)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


@login_required
@require_POST
def push_device_add(request: MemberRequest) -> HttpResponse:
    """The page's script posts the browser's subscription (JSON) after the person turned push on."""
    data = _json_body(request)
    keys = data.get("keys")
    if not isinstance(keys, dict):
        keys = {}
    form = PushDeviceForm({"endpoint": data.get("endpoint"), "p256dh": keys.get("p256dh"), "auth": keys.get("auth")})
    if not form.is_valid():
        return JsonResponse(
            {"error": "This browser's push details are incomplete. Try turning push on again."}, status=400
        )
    try:
        device = push.do_add_device(
            request.member, user_agent=request.headers.get("User-Agent", ""), **form.cleaned_data
        )
    except ActionError as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    return JsonResponse({"device": device.pk, "label": device.label}, status=201)


@login_required
@require_POST
def push_device_remove(request: MemberRequest) -> HttpResponse:
    """Stop pushing to a device: a button on the choices page, or the page's script when push is turned off."""
    data = _json_body(request) if request.content_type == "application/json" else request.POST
    form = RemoveDeviceForm({"device": data.get("device"), "endpoint": data.get("endpoint")})
    if not form.is_valid():
        if request.content_type == "application/json":
            return JsonResponse({"error": "Choose the device to stop pushing to."}, status=400)
        messages.error(request, "Choose the device to stop pushing to.")
        return redirect("core:notification_settings")
    removed = push.do_remove_device(
        request.member,
        endpoint=form.cleaned_data["endpoint"] or "",
        device_id=form.cleaned_data["device"],
    )
    if request.content_type == "application/json":
        return JsonResponse({"removed": removed})
    messages.success(request, "Push is off for that device." if removed else "That device already had push off.")
    return redirect(reverse("core:notification_settings") + "#devices")


@login_required
@require_POST
def push_test(request: MemberRequest) -> HttpResponse:
    made = push.do_send_test(request.member)
    if made:
        messages.success(request, "A test is on its way to your devices. It may take a few seconds.")
    else:
        messages.error(request, "No device has push turned on yet. Turn it on with the button first.")
    return redirect(reverse("core:notification_settings") + "#devices")


def service_worker(request: HttpRequest) -> HttpResponse:
    """``/sw.js``: served from the root so it looks after every page (offline copies, push)."""
    response = render(request, "core/sw.js", {"version": hearth.__version__}, content_type="application/javascript")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest: what a phone needs to put Hearth on its home screen."""
    name = str(settings.HEARTH_ORG_NAME)
    data = {
        "name": name,
        "short_name": name if len(name) <= 12 else name.split()[0][:12],
        "description": "Peer support: groups, gatherings, one-to-ones and help when you need it.",
        "start_url": "/",
        "scope": "/",
        "id": "/",
        "display": "standalone",
        "background_color": "#fffaf3",
        "theme_color": "#7a3e1d",
        "lang": "en-GB",
        "icons": [
            {"src": static("hearth/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": static("hearth/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {
                "src": static("hearth/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    response = JsonResponse(data, content_type="application/manifest+json")
    response["Cache-Control"] = "public, max-age=3600"
    return response


def offline(request: HttpRequest) -> HttpResponse:
    """What the app shows for a page it has no copy of while there's no connection (kept by the service worker)."""
    return render(request, "core/offline.html")
