"""Values every page needs."""

from django.http import HttpRequest

from accounts.roles import capabilities
from forum.selectors.moderation import suspension_for


def site(request: HttpRequest) -> dict:
    """``can``: the viewer's capabilities, the same object views and actions ask this request;
    ``suspension``: the viewer's suspension, for the banner (no query when there is none)."""
    user = getattr(request, "user", None)
    suspended = bool(user is not None and user.is_authenticated)
    return {
        "site_name": "Homegroup",
        "can": capabilities(user),
        "suspension": suspension_for(user) if suspended else None,
    }
