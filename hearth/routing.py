"""Websocket routes, one list for the whole project (apps add their own lines here)."""

from typing import Any

from django.urls import path

from hearth.availability.consumers import DutyConsumer
from hearth.care.consumers import CareQueueConsumer
from hearth.chat.consumers import RoomConsumer
from hearth.community.consumers import FeedConsumer, GroupConsumer
from hearth.core.consumers import NotificationConsumer
from hearth.safety.consumers import ModerationConsumer

websocket_urlpatterns: list[Any] = [
    path("ws/me/", NotificationConsumer.as_asgi()),
    path("ws/duty/", DutyConsumer.as_asgi()),
    path("ws/moderation/", ModerationConsumer.as_asgi()),
    path("ws/care/", CareQueueConsumer.as_asgi()),
    path("ws/community/groups/<id:group_id>/", GroupConsumer.as_asgi()),
    path("ws/community/feed/", FeedConsumer.as_asgi()),
    path("ws/chat/rooms/<id:room_id>/", RoomConsumer.as_asgi()),
]
