"""Chat socket routes; config/routing.py adds them to the site's list."""

from django.urls import re_path

from forum.realtime.consumers import ChatConsumer

websocket_urlpatterns = [
    re_path(r"^ws/chat/(?P<slug>[-a-zA-Z0-9_]{1,80})/$", ChatConsumer.as_asgi()),
]
