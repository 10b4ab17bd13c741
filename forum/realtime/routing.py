"""Chat socket routes; config/routing.py adds them to the site's list."""

from django.urls import re_path

from forum.realtime.consumers import ChatConsumer
from forum.realtime.meetings import MeetingConsumer

websocket_urlpatterns = [
    re_path(r"^ws/chat/(?P<slug>[-a-zA-Z0-9_]{1,80})/$", ChatConsumer.as_asgi()),
    re_path(r"^ws/meetings/(?P<id>[0-9]{1,12})/$", MeetingConsumer.as_asgi()),
]
