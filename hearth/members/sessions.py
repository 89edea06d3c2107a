"""The sign-in rules every page and every websocket applies: one place, so the two can't drift.

A signed-in session may be used while

- the account is active (suspended and banned accounts are inactive),
- the session is current (not signed out, not expired, not from before a password change), and
- for staff, when the organisation requires it, the session was verified with a second factor.

Pages apply these through Django's session and auth middleware and
:class:`hearth.members.middleware.StaffTwoFactorMiddleware`; websockets through
core's :class:`~hearth.core.consumers.EventConsumer`, which checks the first two itself and
:func:`socket_refusal` (registered at start-up) for the third, when a socket opens, when it is told to look
again (:func:`hearth.core.events.recheck_sockets_on_commit`: a sign-out, a suspension, a changed role or
requirement) and when the session's expiry passes.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_out
from django.contrib.sessions.backends.base import SessionBase
from django.dispatch import receiver
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.models import Device

from hearth.core.consumers import CLOSE_NOT_SIGNED_IN
from hearth.core.events import recheck_sockets_on_commit
from hearth.core.models import OrganisationSettings
from hearth.members import policy


def two_factor_pending(user: Any, *, verified: bool) -> bool:
    """Staff whose organisation requires two-factor sign-in and whose session has no second factor yet."""
    return bool(
        user.is_authenticated
        and not verified
        and policy.is_staff(user)
        and OrganisationSettings.load().require_staff_two_factor
    )


def verified_device(user: Any, session: SessionBase) -> Device | None:
    """The second factor this session was verified with, by django-otp's own rule (its ``OTPMiddleware``).

    ``None`` when the session never entered a code, or the device is gone, unconfirmed or someone else's.
    """
    persistent_id = session.get(DEVICE_ID_SESSION_KEY)
    if not persistent_id:
        return None
    device = Device.from_persistent_id(persistent_id)
    if device is None or device.user_id != user.pk or not device.confirmed:
        return None
    return device


def socket_refusal(user: Any, session: SessionBase) -> int | None:
    """The close code for a staff socket without the second factor the organisation requires, or ``None``.

    Registered with core's consumers (``register_socket_rule``), which refuse signed-out, expired and inactive
    sessions themselves.
    """
    if two_factor_pending(user, verified=verified_device(user, session) is not None):
        return CLOSE_NOT_SIGNED_IN
    return None


@receiver(user_logged_out)
def _signed_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """Signing out closes that session's websockets too; the person's other devices stay signed in."""
    if user is not None:
        recheck_sockets_on_commit([user.pk], ended_session=request.session.session_key)
