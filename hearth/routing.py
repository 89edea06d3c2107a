"""Websocket routes, one list for the whole project (apps add their own lines here)."""

from typing import Any

from django.urls import path

from hearth.core.consumers import NotificationConsumer

websocket_urlpatterns: list[Any] = [
    path("ws/me/", NotificationConsumer.as_asgi()),
]
