"""Every URL pattern with a string part answers hostile strings with a 4xx, never a 5xx.

The patterns come from the resolver, so a pattern added later is fuzzed without editing this
file. Each string part in turn gets a NUL byte, a lone UTF-16 surrogate (invalid UTF-8) and a
10 kB string, by GET and by POST, from a visitor, a member, a moderator and an administrator.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver
from django.urls.converters import IntConverter
from django.utils.regex_helper import normalize

from accounts.actions.roles import grant_moderator

PAYLOADS = {
    "nul": "%00",
    "nul inside": "a%00b",
    "lone surrogate": "%ED%A0%80",
    "10 kB": "a" * 10_240,
    "10 kB multibyte": "%C3%A9" * 5_120,
}
PLACEHOLDER = "fuzz-placeholder"


def _leaves(patterns, prefix: str = "", params: tuple = (), converters: dict | None = None):
    """``(format string, parameter names, converters)`` for every leaf, includes flattened."""
    for pattern in patterns:
        convs = {**(converters or {}), **getattr(pattern.pattern, "converters", {})}
        for template, names in normalize(pattern.pattern.regex.pattern):
            if isinstance(pattern, URLResolver):
                yield from _leaves(
                    pattern.url_patterns, prefix + template, params + tuple(names), convs
                )
            else:
                yield prefix + template, params + tuple(names), convs


def routes_with_string_parts() -> list[tuple[str, tuple[str, ...], str]]:
    """``(format string, its parameters, one string part)`` for every route the resolver knows."""
    found = set()
    for template, params, converters in _leaves(get_resolver().url_patterns):
        for param in params:
            if not isinstance(converters.get(param), IntConverter):
                found.add((template, params, param))
    return sorted(found)


def fuzzed_path(template: str, params: tuple[str, ...], target: str, payload: str) -> str:
    values = {
        name: PLACEHOLDER
        if name == target
        else "1"
        if name.endswith(("id", "pk", "number"))
        else "x"
        for name in params
    }
    return "/" + (template % values).replace(PLACEHOLDER, payload)


ROUTES = routes_with_string_parts()


def test_the_resolver_lists_the_string_routes_we_know_of():
    templates = {template for template, _params, _param in ROUTES}

    assert "u/%(pseudonym)s/" in templates
    assert "mentoring/ask/%(pseudonym)s/" in templates
    assert "report/%(kind)s/%(target_id)s/" in templates


@pytest.fixture
def browsers(member_factory):
    member = Client(raise_request_exception=False)
    member.force_login(member_factory(username="FuzzMember"))
    moderator = member_factory(username="FuzzModerator")
    grant_moderator(member=moderator)
    moderating = Client(raise_request_exception=False)
    moderating.force_login(moderator)
    admin = Client(raise_request_exception=False)
    admin.force_login(member_factory(username="FuzzAdmin", is_staff=True, is_superuser=True))
    return {
        "visitor": Client(raise_request_exception=False),
        "member": member,
        "moderator": moderating,
        "admin": admin,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_no_url_answers_a_hostile_string_with_a_server_error(browsers, member_factory, payload):
    member_factory(username="a")  # so "x"-like values meet real rows where they can
    failures = []
    for template, params, target in ROUTES:
        path = fuzzed_path(template, params, target, payload)
        for role, browser in browsers.items():
            for method in (browser.get, browser.post):
                status = method(path).status_code
                if status >= 500:
                    failures.append(f"{method.__name__.upper()} {path[:80]} as {role}: {status}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/u/%00/"),
        ("get", "/mentoring/ask/%00/"),
        ("get", "/report/%00/1/"),
        ("post", "/u/a%00b/block/"),
        ("get", "/search/?q=%00"),
        ("get", "/boards/?page=1&%00=1"),
    ],
)
def test_a_nul_byte_in_the_address_is_a_bad_request(browsers, method, path):
    response = getattr(browsers["member"], method)(path)

    assert response.status_code == 400
    assert re.search(r"cannot contain", response.content.decode())
