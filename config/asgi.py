"""ASGI entry point: HTTP goes to Django, WebSockets through origin check, the member behind
the session cookie (``forum/realtime/auth.py``) and the router.

The origin check compares scheme, host and port (``forum/realtime/origins.py``).
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import reverse  # noqa: E402

from config.routing import websocket_urlpatterns  # noqa: E402
from forum.realtime.auth import SessionMemberMiddleware  # noqa: E402
from forum.realtime.origins import OriginValidator  # noqa: E402

# Build the URL resolver (it imports every view) now, as the first page of a process would: a
# process that has served only sockets built it on its first chat message (the message links to
# its room), about 300 ms of that message on each fresh server process (issue 16).
reverse("home")

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": OriginValidator(SessionMemberMiddleware(URLRouter(websocket_urlpatterns))),
    }
)
