"""Banners: what must stay on every page a person has open until someone deals with it.

An app registers a provider, ``provider(request) -> list[Banner]``, that returns
the banners for the signed-in person (or none). The base template renders them
at the top of every page (server-side, so they survive a reload), and
``static/hearth/alerts.js`` keeps them live over ``/ws/me/``: a new one appears
within the live lane's poll (0.2 s), and when it is dealt with on one screen
(``safety.alert_acknowledged``) it goes from all of them. Safety's crisis alerts
are the first provider; a lower app never imports the app that provides one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Banner:
    key: str  # unique on the page, e.g. "alert-12"; the live event names it
    text: str  # plain words, no member writing
    url: str  # where to deal with it
    link_text: str
    action_url: str = ""  # a POST that deals with it here ("I've got this"), if there is one
    action_text: str = ""
    drill: bool = False


@dataclass(frozen=True)
class BannerSource:
    """One app's banners: who follows them live (``follows``) and which are open for them now (``banners``)."""

    name: str
    follows: Callable[[HttpRequest], bool]
    banners: Callable[[HttpRequest], list[Banner]]


_SOURCES: dict[str, BannerSource] = {}


def register(source: BannerSource) -> None:
    _SOURCES[source.name] = source


def banners(request: HttpRequest) -> dict[str, Any]:
    """Context processor: ``page_banners`` for the signed-in person, and whether their pages follow them live."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"page_banners": [], "follow_banners": False}
    following = [source for source in _SOURCES.values() if source.follows(request)]
    return {
        "page_banners": [banner for source in following for banner in source.banners(request)],
        "follow_banners": bool(following),
    }
