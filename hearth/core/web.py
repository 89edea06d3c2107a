"""What every view uses: the signed-in member, typed, and one way to show an action's refusal.

- ``MemberRequest``: the request a view behind ``login_required`` gets. ``request.member`` is the signed-in
  ``Member`` (set by ``hearth.core.middleware.MemberMiddleware``), so no view casts ``request.user``.
- ``show_errors``: run actions in a ``with`` block; an ``ActionError`` they raise is shown to the person (a message
  on the next page, or the form's error) instead of escaping, and ``attempt.ok`` / ``attempt.failed`` say which::

      with show_errors(request) as attempt:
          actions.do_leave_group(request.member, group)
      if attempt.ok:
          messages.success(request, "You've left the group.")

  ``show_errors(request, form=form)`` puts the words on the form (shown above its fields; ``field="note"`` beside
  that field); ``prefix="Group name: "`` says which of several things the refusal is about.
"""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING

from django import forms
from django.contrib import messages
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from hearth.core.errors import ActionError

if TYPE_CHECKING:
    from hearth.core.people import Member


class MemberRequest(HttpRequest):
    """A request from a signed-in member (a view behind ``login_required``)."""

    member: Member
    htmx: HtmxDetails  # set by django-htmx's middleware: whether htmx sent it, and what it asks for


class show_errors:  # a class used like a function: ``with show_errors(request):``
    """Shows an ``ActionError`` raised in the block to the person and carries on after the block."""

    def __init__(
        self, request: HttpRequest, *, form: forms.BaseForm | None = None, field: str | None = None, prefix: str = ""
    ) -> None:
        self.request = request
        self.form = form
        self.field = field
        self.prefix = prefix
        self.error: ActionError | None = None

    @property
    def failed(self) -> bool:
        """An action in the block refused (its words are shown)."""
        return self.error is not None

    @property
    def ok(self) -> bool:
        """The block ran to its end (or returned) without a refusal."""
        return self.error is None

    def __enter__(self) -> show_errors:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> bool:
        if not isinstance(error, ActionError):
            return False
        self.error = error
        words = f"{self.prefix}{error}"
        if self.form is not None:
            self.form.add_error(self.field, words)
        else:
            messages.error(self.request, words)
        return True
