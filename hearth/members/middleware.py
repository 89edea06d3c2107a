from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from hearth.members.models import Member
from hearth.members.sessions import two_factor_pending

# Pages a staff member may still reach before setting up two-factor sign-in.
_OPEN_PREFIXES = ("/static/", "/help/")


class StaffTwoFactorMiddleware:
    """When the organisation requires it, staff must be verified with a second factor.

    Staff without a confirmed device are sent to set one up; staff with one who
    signed in before it was required are asked for a code. Members and
    volunteers are never affected. Websockets obey the same rule
    (:func:`hearth.members.sessions.socket_refusal`).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            isinstance(user, Member)
            and not request.path.startswith(_OPEN_PREFIXES)
            and two_factor_pending(user, verified=user.is_verified())  # type: ignore[attr-defined]  # OTPMiddleware
        ):
            from hearth.members.actions import confirmed_totp_device

            allowed = {reverse("members:two_factor"), reverse("members:signout")}
            if confirmed_totp_device(user) is not None:
                allowed.add(reverse("members:verify"))
                target = "members:verify"
            else:
                target = "members:two_factor"
            if request.path not in allowed:
                return redirect(target)
        return self.get_response(request)
