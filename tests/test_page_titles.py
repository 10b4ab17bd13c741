"""Every page's <title> reads "<what this page is> · Homegroup", the home page included."""

import re

import pytest

from tests.factories import general_board, make_topic


def title_of(response) -> str:
    match = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)
    assert match, "the page has no <title>"
    return match.group(1).strip()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("/", "Welcome · Homegroup"),
        ("/boards/", "Boards · Homegroup"),
        ("/steps/", "The Twelve Steps · Homegroup"),
        ("/crisis/", "Crisis resources · Homegroup"),
        ("/account/login/", "Log in · Homegroup"),
        ("/no-such-page/", "Page not found · Homegroup"),
    ],
)
def test_a_page_title_names_the_page_then_the_site(client, url, title):
    assert title_of(client.get(url)) == title


@pytest.mark.django_db
def test_a_topic_title_is_the_topic_then_the_site(client, member):
    topic = make_topic(general_board(), author=member, title="Ninety days today")

    assert title_of(client.get(topic.get_absolute_url())) == "Ninety days today · Homegroup"
