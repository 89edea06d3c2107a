"""Core middleware."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from hearth.core import screening
from hearth.core.hybrid import HybridMiddleware
from hearth.core.views import page_not_found


class ScreeningGuardMiddleware(HybridMiddleware):
    """Each request is a unit of work for the screening guard (``core/screening.py``): member text it stored
    was screened, or the request fails loudly in development and logs an error in production."""

    def __call__(self, request: HttpRequest) -> Any:
        if self.is_async:
            return self.__acall__(request)
        with screening.watch(f"{request.method} {request.path}", strict=settings.DEBUG):
            return self.get_response(request)

    async def __acall__(self, request: HttpRequest) -> Any:
        with screening.watch(f"{request.method} {request.path}", strict=settings.DEBUG):
            return await self.get_response(request)


class MemberMiddleware(HybridMiddleware):
    """``request.member``: the signed-in member (``hearth.core.web.MemberRequest``), the same lazy object as
    ``request.user`` (no query until a view uses it). Views behind ``login_required`` read it instead of casting
    ``request.user``."""

    def __call__(self, request: HttpRequest) -> Any:
        request.member = request.user  # type: ignore[attr-defined]  # declared on MemberRequest
        return self.get_response(request)  # a coroutine when the chain is async


class NotFoundPageMiddleware:
    """Our own "we can't find that page" in development too.

    With ``DEBUG`` on, Django answers a 404 with its technical page, which lists
    every URL pattern of the site (and ignores ``handler404``). Nothing in Hearth
    returns its own HTML 404, so any HTML 404 here is that page: swap it for ours.
    In production ``handler404`` already renders ours and this does nothing.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and response.get("Content-Type", "").startswith("text/html")
            and not request.path.startswith(settings.STATIC_URL)
        ):
            return page_not_found(request)
        return response


# A member's own everyday pages, kept on their device for reading offline (see core/templates/core/sw.js).
# Never staff pages (other people's details) and never forms in the middle of something.
OFFLINE_VIEWS = frozenset(
    {
        "core:home",
        "core:help",
        "core:offline",
        "core:notifications",
        "community:feed",
        "community:group",
        "community:post",
        "chat:inbox",
        "chat:index",
        "chat:room",
        "chat:gathering",
        "signposting:directory",
    }
)


class OfflineCopyMiddleware:
    """Marks the pages the service worker may keep a copy of (``Hearth-Offline: keep``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = request.resolver_match
        if (
            request.method == "GET"
            and response.status_code == 200
            and match is not None
            and match.view_name in OFFLINE_VIEWS
            and response.get("Content-Type", "").startswith("text/html")
        ):
            response["Hearth-Offline"] = "keep"
        return response
