"""Every WebSocket route of the site, in one list."""

from django.urls import path

from forum.realtime.notifications import NotificationConsumer
from forum.realtime.routing import websocket_urlpatterns as chat_websocket_urlpatterns

websocket_urlpatterns: list = [
    path("ws/notifications/", NotificationConsumer.as_asgi()),
    *chat_websocket_urlpatterns,
]
