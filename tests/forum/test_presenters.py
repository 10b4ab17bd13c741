"""Row values the presenters build for board and topic pages (forum/presenters.py)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils.html import escape

from forum.models import Topic
from forum.presenters import present_topics
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
