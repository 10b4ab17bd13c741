"""The two kinds of service are kept apart: separate tabs, never one interleaved list."""

from datetime import timedelta

import pytest
from django.utils import timezone

from forum.models import TopicKind
from tests.forum.boards.htmlcheck import parse

pytestmark = pytest.mark.django_db


def topic_links(html: str) -> list[str]:
    return [link["href"] for link in parse(html).links if link.get("href", "").startswith("/t/")]


def test_a_board_shows_helping_others_by_default(client, support_board, topic_factory):
    helping = topic_factory(support_board, title="Hard first week")
    share = topic_factory(support_board, kind=TopicKind.MESSAGE, title="My Step 5 experience")

    html = client.get(f"/boards/{support_board.slug}/").content.decode()

    assert f"/t/{helping.pk}/" in topic_links(html)
    assert f"/t/{share.pk}/" not in topic_links(html)
    assert 'aria-current="page">Helping others' in html


def test_a_helping_topic_never_appears_in_the_share_section(client, support_board, topic_factory):
    helping = topic_factory(support_board, title="Hard first week")
    share = topic_factory(support_board, kind=TopicKind.MESSAGE, title="My Step 5 experience")

    html = client.get(f"/boards/{support_board.slug}/?kind=message").content.decode()

    assert topic_links(html) == [f"/t/{share.pk}/"]
    assert f"/t/{helping.pk}/" not in html
    assert 'aria-current="page">Carrying the message' in html


def test_step_boards_keep_the_kinds_apart_too(client, step_board_factory, topic_factory):
    board = step_board_factory(4)
    helping = topic_factory(board, title="Stuck on my inventory")
    share = topic_factory(board, kind=TopicKind.MESSAGE, title="How my inventory went")

    helping_html = client.get("/steps/4/").content.decode()
    share_html = client.get("/steps/4/?kind=message").content.decode()

    assert topic_links(helping_html) == [f"/t/{helping.pk}/"]
    assert topic_links(share_html) == [f"/t/{share.pk}/"]


def test_step_12_gathers_the_shares_of_every_board_newest_first(
    client, step_board_factory, support_board, topic_factory
):
    now = timezone.now()
    older = topic_factory(
        step_board_factory(3),
        kind=TopicKind.MESSAGE,
        title="Deciding, then deciding again",
        created_at=now - timedelta(days=2),
    )
    newer = topic_factory(
        support_board,
        kind=TopicKind.MESSAGE,
        title="Amends to my sister",
        created_at=now - timedelta(days=1),
    )
    helping = topic_factory(step_board_factory(12), title="Sponsoring for the first time")

    shares = client.get("/steps/12/?kind=message").content.decode()
    helping_html = client.get("/steps/12/").content.decode()

    assert topic_links(shares) == [f"/t/{newer.pk}/", f"/t/{older.pk}/"]
    assert "shares from every board" in shares
    assert topic_links(helping_html) == [f"/t/{helping.pk}/"]


def test_the_kind_is_shown_on_every_topic_in_lists_and_on_the_topic_page(
    client, support_board, topic_factory
):
    share = topic_factory(support_board, kind=TopicKind.MESSAGE, title="My Step 5 experience")
    helping = topic_factory(support_board, title="Hard first week")

    share_list = client.get(f"/boards/{support_board.slug}/?kind=message").content.decode()
    share_page = client.get(f"/t/{share.pk}/").content.decode()
    helping_page = client.get(f"/t/{helping.pk}/").content.decode()

    assert '<span class="kind-badge kind-message">Carrying the message</span>' in share_list
    assert '<span class="kind-badge kind-message">Carrying the message</span>' in share_page
    assert '<span class="kind-badge kind-helping">Helping others</span>' in helping_page


def test_any_member_may_reply_to_a_share(client, member, support_board, topic_factory):
    share = topic_factory(support_board, kind=TopicKind.MESSAGE)
    client.force_login(member)

    response = client.post(f"/t/{share.pk}/reply/", {"body": "Thank you for sharing this."})

    assert response.status_code == 302
    assert share.posts.count() == 2


def test_home_lists_the_general_boards(client):
    html = client.get("/").content.decode()

    for slug in ["newcomers", "general-support"]:
        assert f'href="/boards/{slug}/"' in html


def test_every_step_has_its_board_and_general_boards_are_seeded(client):
    from forum.models import Board

    assert Board.objects.filter(step__isnull=False).count() == 12
    assert {"newcomers", "general-support"} <= set(
        Board.objects.filter(step__isnull=True).values_list("slug", flat=True)
    )
    assert client.get("/boards/step-3/")["Location"] == "/steps/3/"
