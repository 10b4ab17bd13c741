"""Rendered post and topic-row blocks shared between members (forum/fragments.py).

Every member page must read byte for byte the same with the block cache on as with it off, for
every kind of viewer, even when other viewers filled the cache first; and every change to what a
post or row shows must show on the next render, for everyone.
"""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.actions.blocking import block_member
from accounts.actions.deletion import delete_account
from accounts.actions.roles import grant_moderator
from accounts.models import User
from forum.actions.following import set_board_follow
from forum.actions.moderation import approve_item, hide_item
from forum.actions.posts import create_reply, edit_post
from forum.actions.reactions import toggle_reaction
from forum.actions.reading import mark_topic_read
from forum.actions.topics import create_topic
from forum.models import Post, Step
from tests.factories import PASSWORD, MemberFactory

pytestmark = pytest.mark.django_db

CSRF_VALUE = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
AGO = re.compile(r'">[^<]*ago</time>')


def normalized(html: str) -> str:
    """Each render masks the CSRF secret anew, and "n minutes ago" may cross a minute."""
    return AGO.sub('">ago</time>', CSRF_VALUE.sub('name="csrfmiddlewaretoken" value=""', html))


@pytest.fixture
def block_cache(settings):
    def turn(seconds: int) -> None:
        settings.HOMEGROUP = {**settings.HOMEGROUP, "MEMBER_BLOCK_CACHE_SECONDS": seconds}

    return turn


@pytest.fixture
def world(settings, support_board, step_board_factory, topic_factory, no_rate_limits):
    """A topic with every kind of post a viewer may see differently, and four kinds of viewer."""
    long_ago = timezone.now() - timedelta(days=30)
    author = MemberFactory(username="PatientAuthor", date_joined=long_ago, current_step=4)
    other = MemberFactory(username="OtherMember", date_joined=long_ago, current_step=4)
    blocker = MemberFactory(username="BlockingMember", date_joined=long_ago, current_step=4)
    moderator = MemberFactory(username="SteadyModerator", date_joined=long_ago, current_step=4)
    newcomer = MemberFactory(username="NewcomerMember", current_step=4)
    grant_moderator(member=moderator)
    block_member(blocker=blocker, blocked=author)
    topic = topic_factory(support_board, author=author, title="Shared blocks topic")
    topic_factory(step_board_factory(4), author=other, title="A step four topic", replies=2)
    reply = create_reply(author=other, topic=topic, body="A reply from another member.")
    create_reply(author=author, topic=topic, body="Said without my name.", is_anonymous=True)
    hidden = create_reply(author=other, topic=topic, body="Something to hide.")
    hide_item(moderator=moderator, kind="post", target_id=hidden.pk, reason="Test of hiding.")
    settings.HOMEGROUP = {**settings.HOMEGROUP, "NEW_MEMBER_QUEUED_POSTS": 3}
    pending = create_reply(author=newcomer, topic=topic, body="Waiting for a moderator.")
    toggle_reaction(member=other, post=topic.posts.get(number=1), kind="thank_you")
    toggle_reaction(member=author, post=reply, kind="strength")
    viewers = {
        "author": author,
        "other": other,
        "blocker": blocker,
        "moderator": moderator,
        "newcomer": newcomer,
        "visitor": None,
    }
    urls = [
        support_board.get_absolute_url(),
        topic.get_absolute_url(),
        "/",
        "/steps/4/",
        "/steps/4/?kind=message",
    ]
    return {"viewers": viewers, "urls": urls, "topic": topic, "reply": reply, "pending": pending}


def browser(member) -> Client:
    client = Client()
    if member is not None:
        client.force_login(member)
    return client


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return normalized(response.content.decode())


def test_every_member_page_reads_the_same_with_shared_blocks_as_without(world, block_cache):
    clients = {name: browser(member) for name, member in world["viewers"].items()}
    for url in world["urls"]:
        block_cache(0)
        for client in clients.values():
            page(client, url)  # a topic page marks it read: the renders below are all after that
        uncached = {name: page(client, url) for name, client in clients.items()}
        block_cache(300)
        for client in clients.values():
            page(client, url)  # every kind of viewer fills the cache before anyone reads it
        for name, client in clients.items():
            assert page(client, url) == uncached[name], (url, name)


def test_the_viewers_see_different_pages_so_the_comparison_above_means_something(
    world, block_cache
):
    block_cache(300)
    topic_url = world["urls"][1]
    pages = {name: page(browser(member), topic_url) for name, member in world["viewers"].items()}
    assert "Waiting for a moderator." in pages["newcomer"]
    assert "Waiting for a moderator." not in pages["other"]
    assert "Message from a member you blocked" in pages["blocker"]
    assert "Message from a member you blocked" not in pages["other"]
    assert "Anonymous member (you)" in pages["author"]
    assert "Anonymous member (you)" not in pages["other"]
    assert "Moderate</a>" in pages["moderator"]
    assert "Moderate</a>" not in pages["author"]
    assert 'aria-pressed="true"' in pages["other"]
    assert 'aria-pressed="true"' in pages["author"]
    assert 'aria-pressed="true"' not in pages["blocker"]


@pytest.fixture
def warm(world, block_cache):
    """Cache on, and the topic page and board already rendered once for every viewer."""
    block_cache(300)
    for member in world["viewers"].values():
        for url in world["urls"][:2]:
            page(browser(member), url)
    return world


def test_an_edit_shows_at_once_to_a_member_whose_blocks_were_cached(warm):
    reply = warm["reply"]
    edit_post(editor=reply.author, post=reply, body="An edited reply, newly worded.")
    shown = page(browser(warm["viewers"]["blocker"]), warm["urls"][1])
    assert "An edited reply, newly worded." in shown
    assert "A reply from another member." not in shown


def test_a_reaction_changes_the_count_for_everyone_and_the_pressed_button_only_for_its_member(
    warm,
):
    viewers = warm["viewers"]
    opening = warm["topic"].posts.get(number=1)
    toggle_reaction(member=viewers["blocker"], post=opening, kind="me_too")
    for name in ("author", "moderator", "blocker"):
        shown = page(browser(viewers[name]), warm["urls"][1])
        article = shown.split(f'id="post-{opening.pk}"', 1)[1].split("</article>", 1)[0]
        assert 'Me too <span class="count">1</span>' in article, name
        pressed = 'aria-pressed="true">Me too' in article
        assert pressed == (name == "blocker"), name


def test_a_hidden_post_is_a_placeholder_for_members_whose_blocks_were_cached(warm):
    viewers = warm["viewers"]
    reply = warm["reply"]
    hide_item(moderator=viewers["moderator"], kind="post", target_id=reply.pk, reason="Hide it.")
    shown = page(browser(viewers["blocker"]), warm["urls"][1])
    assert "A reply from another member." not in shown
    assert shown.count("This post is hidden by the moderators.") == 2


def test_an_approved_post_shows_to_others_once_approved(warm):
    viewers = warm["viewers"]
    pending = warm["pending"]
    assert "Waiting for a moderator." not in page(browser(viewers["other"]), warm["urls"][1])
    approve_item(moderator=viewers["moderator"], kind="post", target_id=pending.pk, reason="Ok.")
    assert "Waiting for a moderator." in page(browser(viewers["other"]), warm["urls"][1])


def test_a_deleted_account_shows_as_a_former_member_in_cached_posts_and_rows(warm):
    viewers = warm["viewers"]
    delete_account(member=viewers["other"], password=PASSWORD)
    topic_page = page(browser(viewers["author"]), warm["urls"][1])
    assert "OtherMember" not in topic_page
    assert "former member" in topic_page
    assert "OtherMember" not in page(browser(viewers["author"]), "/steps/4/")


def test_blocking_folds_the_cached_posts_for_the_blocker_only(warm):
    viewers = warm["viewers"]
    block_member(blocker=viewers["moderator"], blocked=viewers["other"])
    topic_url = warm["urls"][1]
    assert "Message from a member you blocked" in page(browser(viewers["moderator"]), topic_url)
    assert "Message from a member you blocked" not in page(browser(viewers["author"]), topic_url)


def test_a_new_reply_changes_the_cached_topic_row_on_the_board(warm, settings):
    viewers = warm["viewers"]
    board_url = warm["urls"][0]
    title = "Shared blocks topic</a>"

    def replies_shown() -> int:
        row = page(browser(viewers["other"]), board_url).split(title, 1)[1]
        return int(re.search(r"· (\d+) repl", row).group(1))

    before = replies_shown()
    settings.HOMEGROUP = {**settings.HOMEGROUP, "NEW_MEMBER_QUEUED_POSTS": 0}
    create_reply(author=viewers["author"], topic=warm["topic"], body="One more reply.")
    assert replies_shown() == before + 1


def test_blocks_cached_under_another_secret_key_are_never_served(warm, settings):
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40
    shown = browser(warm["viewers"]["other"]).get(warm["urls"][1]).content.decode()
    assert "csrf-" not in shown
    assert shown.count('name="csrfmiddlewaretoken"') > 3


def test_the_post_blocks_of_a_page_are_read_with_one_cache_read(warm, monkeypatch):
    from django.core.cache import cache

    reads = []
    real_get_many = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda keys: reads.append(keys) or real_get_many(keys))
    page(browser(warm["viewers"]["other"]), warm["urls"][1])
    block_reads = [keys for keys in reads if keys and keys[0].startswith("block:")]
    assert len(block_reads) == 1
    assert len(block_reads[0]) == Post.objects.filter(topic=warm["topic"]).count() - 1


def test_a_row_holding_a_model_instance_is_refused_since_its_repr_would_hide_changes(warm):
    from forum.fragments import render_blocks

    with pytest.raises(TypeError, match="Topic"):
        render_blocks("forum/_topic_row.html", [{"title": warm["topic"]}], name="topic")


# Board and step pages: the page's own part is one shared block (forum/views/boards.py) ----------


@pytest.fixture
def boards(world, settings, step_board_factory, topic_factory):
    """Enough topics on the Step 4 board for three pages, a pending topic, a share on Step 12's
    gathered list, and every page address a board has: first, typed ?page=N, a cursor link."""
    # Visitors' whole-page cache off: their pages too go through the blocks each time.
    settings.HOMEGROUP = {
        **settings.HOMEGROUP,
        "TOPICS_PER_PAGE": 2,
        "VISITOR_PAGE_CACHE_SECONDS": 0,
    }
    viewers = world["viewers"]
    board = step_board_factory(4)
    # The factory dates replies a second apart from now on: move that topic back a day, so
    # the order below does not depend on how fast the test runs.
    board.topics.filter(title="A step four topic").update(
        last_activity_at=timezone.now() - timedelta(days=1)
    )
    older = timezone.now() - timedelta(hours=5)
    for n in range(3):
        topic_factory(
            board,
            author=viewers["author"],
            title=f"Older step four topic {n}",
            created_at=older + timedelta(minutes=n),
            is_anonymous=n == 1,
            content_note="grief" if n == 2 else "",
        )
    topic_factory(board, kind="message", author=viewers["author"], title="A share of step four")
    create_topic(
        author=viewers["newcomer"],
        board=board,
        kind="helping",
        title="A newcomer's first topic",
        body="Waiting to be approved.",
    )
    first = page(browser(viewers["other"]), "/steps/4/")
    next_link = html.unescape(re.search(r'<a rel="next" href="([^"]+)"', first).group(1))
    urls = [
        "/steps/4/",
        f"/steps/4/{next_link}",
        "/steps/4/?page=2",
        "/steps/4/?page=3",
        "/steps/12/?kind=message",
        "/steps/12/",
        world["urls"][0],
    ]
    return {**world, "board": board, "board_urls": urls, "step4_older": older}


def test_every_board_page_reads_the_same_with_shared_blocks_as_without(boards, block_cache):
    clients = {name: browser(member) for name, member in boards["viewers"].items()}
    for url in boards["board_urls"]:
        block_cache(0)
        uncached = {name: page(client, url) for name, client in clients.items()}
        block_cache(300)
        for client in clients.values():
            page(client, url)
        for name, client in clients.items():
            assert page(client, url) == uncached[name], (url, name)


def test_board_viewers_see_different_pages_so_the_comparison_above_means_something(
    boards, block_cache
):
    block_cache(300)
    pages = {name: page(browser(m), "/steps/4/") for name, m in boards["viewers"].items()}
    assert "A newcomer&#x27;s first topic" in pages["newcomer"]
    assert "A newcomer&#x27;s first topic" not in pages["other"]
    assert "Your step: Step 4" in pages["other"]
    assert "Log in</a> to write here." in pages["visitor"]
    assert "Follow this board" in pages["other"]
    assert "Follow this board" not in pages["visitor"]
    everywhere = page(browser(boards["viewers"]["other"]), "/steps/12/?kind=message")
    assert "A share of step four" in everywhere


@pytest.fixture
def warm_boards(boards, block_cache):
    """Cache on, and every board page already rendered once for every viewer."""
    block_cache(300)
    for member in boards["viewers"].values():
        for url in boards["board_urls"]:
            page(browser(member), url)
    return boards


def titles_in_order(html_text: str) -> list[str]:
    return re.findall(r'<a href="/t/\d+/">([^<]+)</a>', html_text)


def test_a_new_topic_shows_at_once_on_a_cached_board(warm_boards):
    viewers = warm_boards["viewers"]
    create_topic(
        author=viewers["other"],
        board=warm_boards["board"],
        kind="helping",
        title="Brand new on the board",
        body="Hello, everyone.",
    )
    for name in ("author", "moderator", "visitor"):
        assert titles_in_order(page(browser(viewers[name]), "/steps/4/"))[0] == (
            "Brand new on the board"
        ), name


def test_a_new_reply_moves_its_row_to_the_top_of_a_cached_board(warm_boards):
    viewers = warm_boards["viewers"]
    oldest = warm_boards["board"].topics.get(title="Older step four topic 0")
    assert "Older step four topic 0" not in page(browser(viewers["other"]), "/steps/4/")
    create_reply(author=viewers["other"], topic=oldest, body="Bringing this back up.")
    shown = page(browser(viewers["blocker"]), "/steps/4/")
    assert titles_in_order(shown)[0] == "Older step four topic 0"
    assert "· 1 reply" in shown


def test_the_read_marker_changes_only_the_readers_cached_row(warm_boards):
    viewers = warm_boards["viewers"]
    topic = warm_boards["board"].topics.get(title="A step four topic")
    where = "/steps/4/?page=2"
    assert "A step four topic" in page(browser(viewers["other"]), where)
    assert " new<span" not in page(browser(viewers["other"]), where)
    mark_topic_read(member=viewers["moderator"], topic=topic, up_to_number=1)
    assert "2 new<span" in page(browser(viewers["moderator"]), where)
    assert " new<span" not in page(browser(viewers["other"]), where)


def test_following_and_unfollowing_show_at_once_on_a_cached_board(warm_boards):
    viewers = warm_boards["viewers"]
    board = warm_boards["board"]
    set_board_follow(member=viewers["other"], board=board, follow=True)
    assert "You follow this board" in page(browser(viewers["other"]), "/steps/4/")
    assert "You follow this board" not in page(browser(viewers["author"]), "/steps/4/")
    set_board_follow(member=viewers["other"], board=board, follow=False)
    assert "You follow this board" not in page(browser(viewers["other"]), "/steps/4/")


def test_a_hidden_topic_leaves_every_cached_board_page(warm_boards):
    viewers = warm_boards["viewers"]
    topic = warm_boards["board"].topics.get(title="A step four topic")
    where = "/steps/4/?page=2"
    assert "A step four topic" in page(browser(viewers["visitor"]), where)
    hide_item(moderator=viewers["moderator"], kind="topic", target_id=topic.pk, reason="Hide.")
    for name in ("author", "other", "moderator", "visitor"):
        assert "A step four topic" not in page(browser(viewers[name]), where), name


def test_new_step_text_and_a_members_new_step_show_on_a_cached_step_page(warm_boards):
    viewers = warm_boards["viewers"]
    Step.objects.filter(number=4).update(purpose="Newly worded purpose of the fourth step.")
    assert "Newly worded purpose" in page(browser(viewers["author"]), "/steps/4/")
    assert "Newly worded purpose" in page(browser(None), "/steps/4/")
    User.objects.filter(pk=viewers["other"].pk).update(current_step=5)
    shown = page(browser(viewers["other"]), "/steps/4/")
    assert "You are on Step 5." in shown
    assert "Your step: Step 4" not in shown


def test_a_board_page_is_one_cache_read_once_warm(warm_boards, monkeypatch):
    from django.core.cache import cache

    reads = []
    real_get_many = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda keys: reads.append(keys) or real_get_many(keys))
    page(browser(warm_boards["viewers"]["other"]), "/steps/4/")
    assert [len(keys) for keys in reads if keys and keys[0].startswith("block:")] == [1]
