"""Websocket routes, one list for the whole project (apps append their own)."""

from typing import Any

websocket_urlpatterns: list[Any] = []
