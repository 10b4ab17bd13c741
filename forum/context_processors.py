"""Values every page needs."""

from django.http import HttpRequest

from accounts.roles import capabilities


def site(request: HttpRequest) -> dict:
    """``can``: the viewer's capabilities, the same object views and actions ask this request."""
    return {"site_name": "Homegroup", "can": capabilities(getattr(request, "user", None))}
