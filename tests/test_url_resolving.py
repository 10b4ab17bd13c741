"""Addresses resolved once per process (config/urls.py): the same view and arguments every
time, nothing shared between requests, and addresses that match nothing still a 404."""

from __future__ import annotations

import pytest
from django.urls import Resolver404, resolve, reverse

from forum.views.pages import home


def test_an_address_resolves_the_same_each_time_into_a_match_of_its_own():
    first = resolve("/t/42/")
    first.kwargs["topic_id"] = "changed by a view"
    second = resolve("/t/42/")

    assert second.func is first.func
    assert second.url_name == first.url_name == "topic"
    assert second.namespaces == ["forum"]
    assert second.kwargs == {"topic_id": 42}
    assert second.kwargs is not first.kwargs


def test_an_address_matching_nothing_is_not_found_every_time():
    for _ in range(2):
        with pytest.raises(Resolver404):
            resolve("/no-such-page/")


def test_names_still_reverse_through_the_remembering_resolver():
    assert resolve(reverse("home")).func is home
    assert reverse("forum:topic", args=[7]) == "/t/7/"
