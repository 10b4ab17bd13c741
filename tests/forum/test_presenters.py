"""Row values the presenters build for board and topic pages (forum/presenters.py)."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.timesince import timesince

from forum.models import Topic
from forum.presenters import present_topics, time_since, time_since_words
from tests.factories import MemberFactory, make_topic

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "pseudonym", ["QuietRiver", "Ünïcödé-Member", "with space", "a+b&c=d", "100%_sure", "~tilde:@"]
)
def test_an_authors_profile_link_is_the_address_reverse_gives(pseudonym):
    make_topic(author=MemberFactory(username=pseudonym))
    topics = Topic.objects.select_related("author", "board")
    (row,) = present_topics(topics, viewer=AnonymousUser(), show_board=False)
    address = escape(reverse("accounts:profile", kwargs={"pseudonym": pseudonym}))
    assert f'href="{address}"' in row["author_html"]


def _moments() -> list[datetime.datetime]:
    """Times around month ends, a leap day, a clock change and the turn of a year."""
    utc = datetime.UTC
    paris = zoneinfo.ZoneInfo("Europe/Paris")
    fixed = [
        datetime.datetime(2024, 2, 29, 12, 0, tzinfo=utc),
        datetime.datetime(2024, 1, 31, 23, 59, 59, tzinfo=utc),
        datetime.datetime(2023, 12, 31, 23, 59, 59, 999999, tzinfo=utc),
        datetime.datetime(2025, 3, 30, 1, 30, tzinfo=paris),
        datetime.datetime(2025, 10, 26, 2, 30, tzinfo=paris),
        datetime.datetime(2026, 12, 1, 16, 45, 30, 500000, tzinfo=utc),
    ]
    steps = [datetime.timedelta(seconds=s) for s in (1, 59, 61, 3599, 86399, 86401)]
    steps += [
        datetime.timedelta(days=d, hours=h) for d in (1, 6, 7, 13, 29, 30, 31, 59) for h in (0, 5)
    ]
    steps += [datetime.timedelta(days=d) for d in (60, 364, 365, 366, 400, 730, 1500)]
    return fixed + [moment - step for moment in fixed for step in steps]


@pytest.mark.parametrize("language", ["en", "de", "fr"])
def test_a_rows_time_since_label_is_djangos_timesince_text(language):
    moments = _moments()
    with translation.override(language):
        words = time_since_words()
        for now in moments:
            for when in moments:
                assert time_since(when, now, words) == timesince(when, now), (when, now)


def test_the_time_since_label_follows_the_language_active_for_the_page():
    now = datetime.datetime(2026, 12, 1, 12, 0, tzinfo=datetime.UTC)
    when = now - datetime.timedelta(days=2, hours=3)
    with translation.override("en"):
        english = time_since(when, now)
    with translation.override("de"):
        german = time_since(when, now)
    assert english == "2\xa0days, 3\xa0hours"
    assert german == "2\xa0Tage, 3\xa0Stunden"
