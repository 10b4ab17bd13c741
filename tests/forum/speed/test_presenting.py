"""The board and topic pages print rows made in Python (forum/presenters.py); these pin the
shortcuts those rows take to what Django's own tags would print."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from forum.models import Post
from forum.presenters import _when, id_url
from tests.factories import general_board, make_topic

pytestmark = pytest.mark.django_db

REACTION_FORM = re.compile(
    r'action="(/p/\d+/react/)" class="inline-form">\s*'
    r'<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)">'
)


@pytest.mark.parametrize(
    ("name", "slot", "fixed"),
    [
        ("forum:post", "post_id", {}),
        ("forum:post_react", "post_id", {}),
        ("forum:report", "target_id", {"kind": "post"}),
        ("forum:moderation_item", "target_id", {"kind": "post"}),
        ("forum:topic", "topic_id", {}),
    ],
)
def test_an_id_url_prints_what_reverse_prints(name, slot, fixed):
    make = id_url(name, slot, **fixed)
    for pk in (1, 42, 9_081_726_354, 12_345_678_901):
        assert make(pk) == reverse(name, kwargs={**fixed, slot: pk})


def test_an_id_url_follows_the_script_prefix_the_request_runs_under():
    from django.urls import set_script_prefix

    set_script_prefix("/forum/")
    try:
        assert id_url("forum:post", "post_id")(7) == "/forum/p/7/"
    finally:
        set_script_prefix("/")
    assert id_url("forum:post", "post_id")(7) == "/p/7/"


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 1, 5, 3, 7, 9, 120, tzinfo=UTC),
        datetime(2026, 9, 30, 23, 59, tzinfo=UTC),
        datetime(987, 5, 1, 12, 0, tzinfo=UTC),
    ],
)
def test_post_times_read_as_the_date_filter_prints_them(moment, settings):
    settings.TIME_ZONE = "Europe/Berlin"
    local = timezone.localtime(moment)
    assert _when(moment) == (date_format(local, "c"), date_format(local, "j M Y, H:i"))


def test_a_reaction_form_on_a_topic_page_passes_the_csrf_check(member):
    topic = make_topic(general_board(), replies=1)
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    html = client.get(topic.get_absolute_url()).content.decode()
    forms = REACTION_FORM.findall(html)
    assert len(forms) == 6  # three reactions on each of the two posts
    action, token = forms[-1]
    response = client.post(action, {"csrfmiddlewaretoken": token, "kind": "thank_you"})
    assert response.status_code == 302
    assert Post.objects.get(pk=action.split("/")[2]).thank_you_count == 1


def test_a_visitors_topic_page_sets_no_csrf_cookie_so_it_can_be_cached(client):
    topic = make_topic(general_board(), replies=1)
    response = client.get(topic.get_absolute_url())
    assert response.status_code == 200
    assert settings.CSRF_COOKIE_NAME not in response.cookies
    assert "csrfmiddlewaretoken" not in response.content.decode()
