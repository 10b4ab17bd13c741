"""Reactions: thank you, me too, sending strength; one of each per member per post, toggled."""

from datetime import timedelta

import pytest
from django.utils import timezone

from forum.models import Post, Reaction
from tests.forum.boards.htmlcheck import parse

pytestmark = pytest.mark.django_db


def react(client, post, kind):
    return client.post(f"/p/{post.pk}/react/", {"kind": kind})


def reaction_buttons(html):
    """(label text, aria-pressed) for every reaction button, parsed from the page."""
    from html.parser import HTMLParser

    class Buttons(HTMLParser):
        def __init__(self):
            super().__init__()
            self.found, self.current = [], None

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "button" and "reaction" in (attrs.get("class") or ""):
                self.current = [attrs.get("aria-pressed"), ""]

        def handle_data(self, data):
            if self.current is not None:
                self.current[1] += data

        def handle_endtag(self, tag):
            if tag == "button" and self.current is not None:
                self.found.append((" ".join(self.current[1].split()), self.current[0]))
                self.current = None

    parser = Buttons()
    parser.feed(html)
    return parser.found


def test_reacting_toggles_and_counts_are_shown(client, member, member_factory, topic_factory):
    post = topic_factory().posts.get()
    other = member_factory()
    client.force_login(other)
    react(client, post, "thank_you")
    client.force_login(member)

    first = react(client, post, "thank_you")
    react(client, post, "strength")
    html = client.get(f"/t/{post.topic_id}/").content.decode()

    assert first.status_code == 302
    assert first["Location"] == f"/t/{post.topic_id}/#post-{post.pk}"
    assert reaction_buttons(html) == [
        ("Thank you 2", "true"),
        ("Me too 0", "false"),
        ("Sending strength 1", "true"),
    ]

    react(client, post, "thank_you")
    post.refresh_from_db()
    assert post.thank_you_count == 1
    assert Reaction.objects.filter(member=member).count() == 1


def test_one_reaction_of_each_kind_per_member_per_post(
    client, member, topic_factory, no_rate_limits
):
    post = topic_factory().posts.get()
    client.force_login(member)

    for _ in range(3):
        react(client, post, "me_too")

    post.refresh_from_db()
    assert Reaction.objects.filter(post=post, member=member, kind="me_too").count() == 1
    assert post.me_too_count == 1


@pytest.mark.parametrize("kind", ["downvote", "", "thank_you'; --"])
def test_there_are_no_downvotes_or_other_kinds(client, member, topic_factory, kind):
    post = topic_factory().posts.get()
    client.force_login(member)

    response = react(client, post, kind)

    assert response.status_code == 302
    assert not Reaction.objects.exists()


def test_visitors_and_suspended_members_cannot_react(client, member_factory, topic_factory):
    post = topic_factory().posts.get()
    suspended = member_factory(suspended_until=timezone.now() + timedelta(hours=2))

    visitor = react(client, post, "thank_you")
    client.force_login(suspended)
    refused = react(client, post, "thank_you")
    html = client.get(f"/t/{post.topic_id}/").content.decode()

    assert visitor.status_code == 302
    assert visitor["Location"].startswith("/account/login/")
    assert refused.status_code == 403
    assert not Reaction.objects.exists()
    assert reaction_buttons(html) == []  # counts shown, no buttons
    assert "Thank you" in html


def test_a_removed_post_takes_no_reactions(client, member, topic_factory):
    post = topic_factory().posts.get()
    Post.objects.filter(pk=post.pk).update(state="removed_by_author")
    client.force_login(member)

    assert react(client, post, "thank_you").status_code == 403
    assert not Reaction.objects.exists()


def test_reacting_needs_post(member_client, topic_factory):
    post = topic_factory().posts.get()

    assert member_client.get(f"/p/{post.pk}/react/").status_code == 405


def test_reaction_buttons_are_real_buttons_in_forms(member_client, topic_factory):
    post = topic_factory().posts.get()

    html = member_client.get(f"/t/{post.topic_id}/").content.decode()

    assert parse(html).tags.count("form") >= 3


def test_while_the_cache_is_down_reactions_are_counted_in_the_database(
    client, member, topic_factory, settings, cache_down
):
    settings.HOMEGROUP = {**settings.HOMEGROUP, "REACTIONS_PER_MINUTE": 2}
    post = topic_factory().posts.get()
    client.force_login(member)

    for kind in ("thank_you", "me_too", "strength"):
        react(client, post, kind)

    assert set(Reaction.objects.filter(member=member).values_list("kind", flat=True)) == {
        "thank_you",
        "me_too",
    }
