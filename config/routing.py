"""Every WebSocket route of the site, in one list."""

websocket_urlpatterns: list = []
