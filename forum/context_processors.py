"""Values every page needs."""

from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse

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
        "paths": header_paths(),
    }


# The addresses base.html links on every page ("forum:crisis" is ``paths.forum_crisis``).
HEADER_URL_NAMES = (
    "forum:manifest",
    "home",
    "forum:crisis",
    "forum:step_list",
    "forum:board_list",
    "forum:latest",
    "forum:search",
    "forum:chat_list",
    "forum:moderation_queue",
    "accounts:mentoring",
    "forum:notifications",
    "accounts:me",
    "account_logout",
    "account_login",
    "account_signup",
    "forum:standing",
)


def header_paths() -> dict[str, str]:
    """What ``{% url %}`` gives for each of base.html's links, reversed once per process.

    They take no arguments, so only the script prefix and the URLconf can change them, and
    both are in the key. (Sixteen ``{% url %}`` tags were a tenth of a board page's template
    time.)"""
    return _header_paths(get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


@lru_cache(maxsize=16)
def _header_paths(prefix: str, urlconf) -> dict[str, str]:
    return {name.replace(":", "_"): reverse(name, urlconf=urlconf) for name in HEADER_URL_NAMES}
