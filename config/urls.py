from functools import lru_cache

from django.contrib import admin
from django.urls import URLResolver, include, path
from django.urls.resolvers import ResolverMatch, RoutePattern

from accounts.views.recovery import email as recovery_email
from forum.views.pages import home


class RememberingResolver(URLResolver):
    """Its patterns, resolving each address once per process (its latest few thousand).

    Django tries a request's address against each pattern in turn: a topic page was about
    sixty patterns, a twentieth of a member page's calls. An address resolves to the same
    view and arguments every time, and the resolver above copies the match into a new one for
    each request (its args, kwargs and route), so no request shares what a view may change.
    Addresses that match nothing are not kept."""

    def __init__(self, patterns: list, *, size: int = 4096) -> None:
        super().__init__(RoutePattern("", is_endpoint=False), patterns)
        self._remembered = lru_cache(maxsize=size)(super().resolve)

    def resolve(self, path: str) -> ResolverMatch:
        return self._remembered(path)


urlpatterns = [
    RememberingResolver(
        [
            path("", home, name="home"),
            path("admin/", admin.site.urls),
            path("account/email/", recovery_email, name="account_email"),
            path("account/", include("allauth.urls")),
            path("", include("accounts.urls")),
            path("", include("forum.urls")),
        ]
    )
]

handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
