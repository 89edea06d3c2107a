from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from hearth.core.models import OrganisationSettings
from hearth.members import policy

# Pages a staff member may still reach before setting up two-factor sign-in.
_OPEN_PREFIXES = ("/static/", "/help/")


class StaffTwoFactorMiddleware:
    """When the organisation requires it, staff must be verified with a second factor.

    Staff without a confirmed device are sent to set one up; staff with one who
    signed in before it was required are asked for a code. Members and
    volunteers are never affected.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and policy.is_staff(user)
            and not user.is_verified()  # type: ignore[attr-defined]  # added by OTPMiddleware
            and not request.path.startswith(_OPEN_PREFIXES)
            and OrganisationSettings.load().require_staff_two_factor
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
