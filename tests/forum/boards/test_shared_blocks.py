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
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.actions.blocking import block_member
from accounts.actions.deletion import delete_account
from accounts.actions.roles import grant_moderator
from accounts.models import User
from forum.actions.drafts import save_draft
from forum.actions.following import set_board_follow, set_topic_watch
from forum.actions.moderation import approve_item, hide_item, set_topic_flag
from forum.actions.posts import create_reply, edit_post
from forum.actions.reactions import toggle_reaction
from forum.actions.reading import mark_topic_read
from forum.actions.topics import create_topic
from forum.models import Post, Step, TopicRead
from forum.models.following import reply_draft_key
from tests.factories import PASSWORD, MemberFactory

pytestmark = pytest.mark.django_db

CSRF_VALUE = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
AGO = re.compile(r'">[^<]*ago</time>')


def normalized(html: str) -> str:
    """Each render masks the CSRF secret anew, and "n minutes ago" may cross a minute."""
    return AGO.sub('">ago</time>', CSRF_VALUE.sub('name="csrfmiddlewaretoken" value=""', html))


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


def shown(client: Client, url: str) -> tuple[int, str]:
    response = client.get(url)
    return response.status_code, normalized(response.content.decode())


def page(client: Client, url: str) -> str:
    status, html = shown(client, url)
    assert status == 200, url
    return html


def warmed(world: dict, urls: list[str], block_cache) -> dict:
    """Cache on, and ``urls`` already rendered once for every viewer."""
    block_cache(300)
    for member in world["viewers"].values():
        for url in urls:
            shown(browser(member), url)
    return world


def assert_same_with_blocks_cached_as_not(clients: dict, urls, block_cache, read=None) -> None:
    """Each page reads the same for each viewer with the block cache off, and on after every
    kind of viewer filled it. ``read(client, url)``: the page's status and normalized HTML."""
    read = read or shown
    for url in urls:
        block_cache(0)
        for client in clients.values():
            read(client, url)  # a page that marks something read: compare what follows
        uncached = {name: read(client, url) for name, client in clients.items()}
        block_cache(300)
        for client in clients.values():
            read(client, url)  # every kind of viewer fills the cache before anyone reads it
        for name, client in clients.items():
            assert read(client, url) == uncached[name], (url, name)


def test_every_member_page_reads_the_same_with_shared_blocks_as_without(world, block_cache):
    clients = {name: browser(member) for name, member in world["viewers"].items()}
    assert_same_with_blocks_cached_as_not(clients, world["urls"], block_cache)


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
    """The topic page and board already rendered once for every viewer."""
    return warmed(world, world["urls"][:2], block_cache)


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


def test_a_renamed_author_shows_under_the_new_pseudonym_at_once(warm):
    viewers = warm["viewers"]
    User.objects.filter(pk=viewers["other"].pk).update(username="RenamedMember")
    for name in ("author", "blocker", "visitor"):
        shown = page(browser(viewers[name]), warm["urls"][1])
        assert "RenamedMember" in shown, name
        assert "OtherMember" not in shown, name


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


def cache_calls(monkeypatch) -> list[tuple[str, list[str]]]:
    """Every read and write of the shared blocks and pages from now on, as (method, keys)."""
    from django.core.cache import cache

    calls = []
    for method in ("get", "get_many", "set", "set_many"):
        real = getattr(cache, method)

        def spy(keys, *args, _real=real, _method=method, **kwargs):
            named = [keys] if isinstance(keys, str) else list(keys)
            if named and named[0].startswith(("block:", "page:")):
                calls.append((_method, named))
            return _real(keys, *args, **kwargs)

        monkeypatch.setattr(cache, method, spy)
    return calls


def test_a_warm_topic_page_is_one_cache_read_and_a_changed_post_renders_only_itself(
    warm, monkeypatch
):
    reply = warm["reply"]
    client = browser(warm["viewers"]["other"])
    calls = cache_calls(monkeypatch)
    before = page(client, warm["urls"][1])
    # The page's content, whole; besides it, at most the chrome's block around it
    # (forum/templatetags/chrome.py).
    assert [method for method, keys in calls if keys[0].startswith("page:")] == ["get"]
    assert [keys for method, keys in calls if len(keys) > 1] == []

    edit_post(editor=reply.author, post=reply, body="An edited reply, newly worded.")
    calls.clear()
    after = page(client, warm["urls"][1])
    assert "An edited reply, newly worded." in after and after != before
    posts = Post.objects.filter(topic=warm["topic"]).count() - 1
    # The page is no longer cached as it is now: its head, tail and every post the viewer is
    # shown (not the newcomer's waiting one) are read in one go, and only the edited post is
    # rendered again and written, with the page's new content.
    assert [method for method, keys in calls if keys[0].startswith("page:")] == ["get", "set"]
    assert [len(keys) for method, keys in calls if method == "get_many" and len(keys) > 1] == [
        2 + posts
    ]
    assert [len(keys) for method, keys in calls if method == "set_many"] == [1]


def test_a_row_holding_a_model_instance_is_refused_since_its_key_would_hide_changes(warm):
    from forum.fragments import render_blocks

    with pytest.raises(TypeError, match="Topic"):
        render_blocks("forum/_topic_row.html", [{"title": warm["topic"]}], name="topic")


# The parts of a topic page around its posts (head: crumbs, title, tools, pager; tail: pager,
# reply composer) are shared blocks too (forum/_topic_parts.html).


@pytest.fixture
def topics(world, settings, support_board, topic_factory):
    """``world``'s topic on two pages, with a member's reply draft and two watch levels; a
    locked and pinned topic; and the newcomer's topic waiting for approval."""
    settings.HOMEGROUP = {**settings.HOMEGROUP, "POSTS_PER_PAGE": 3}
    viewers = world["viewers"]
    topic = world["topic"]
    save_draft(
        member=viewers["other"], key=reply_draft_key(topic.pk), body="My <b>unsent</b> words"
    )
    set_topic_watch(member=viewers["author"], topic=topic, level="following")
    set_topic_watch(member=viewers["blocker"], topic=topic, level="muted")
    locked = topic_factory(support_board, author=viewers["other"], title="A locked topic")
    for action in ("lock", "pin"):
        set_topic_flag(
            moderator=viewers["moderator"],
            kind="topic",
            target_id=locked.pk,
            action=action,
            reason="Test of the flags.",
        )
    waiting = create_topic(
        author=viewers["newcomer"],
        board=support_board,
        kind="helping",
        title="A topic waiting for approval",
        body="My first topic.",
    )
    url = topic.get_absolute_url()
    return {
        **world,
        "urls": [url, f"{url}?page=2", locked.get_absolute_url(), waiting.get_absolute_url()],
        "locked": locked,
    }


def test_the_parts_around_the_posts_read_the_same_with_shared_blocks_as_without(
    topics, block_cache
):
    assert_same_with_blocks_cached_as_not(
        {name: browser(member) for name, member in topics["viewers"].items()},
        topics["urls"],
        block_cache,
    )


def test_the_parts_differ_between_viewers_so_the_comparison_above_means_something(
    topics, block_cache
):
    block_cache(300)
    topic_url, page_two, locked_url, waiting_url = topics["urls"]
    viewers = topics["viewers"]
    pages = {name: shown(browser(member), topic_url)[1] for name, member in viewers.items()}
    assert "My &lt;b&gt;unsent&lt;/b&gt; words</textarea>" in pages["other"]
    assert "unsent" not in pages["author"]
    assert "You follow this topic" in pages["author"]
    assert "You muted this topic" in pages["blocker"]
    assert 'value="following"' in pages["other"]
    assert "Moderate this topic" in pages["moderator"]
    assert "Moderate this topic" not in pages["other"]
    assert "Report<span" in pages["other"]
    assert "Log in</a> or" in pages["visitor"]
    assert "Log in</a> or" not in pages["other"]
    assert "Page 1 of 2" in pages["visitor"]
    assert "Page 2 of 2" in shown(browser(viewers["other"]), page_two)[1]
    locked = shown(browser(viewers["other"]), locked_url)[1]
    assert '<span class="badge">Pinned</span> <span class="badge">Locked</span>' in locked
    assert "This topic is locked" in locked
    assert (
        "Waiting for a moderator: only you can see this topic"
        in (shown(browser(viewers["newcomer"]), waiting_url)[1])
    )
    assert shown(browser(viewers["other"]), waiting_url)[0] == 404


@pytest.fixture
def warm_topics(topics, block_cache):
    return warmed(topics, topics["urls"][:3], block_cache)


def test_a_saved_draft_shows_in_the_composer_at_once(warm_topics):
    viewers = warm_topics["viewers"]
    topic = warm_topics["topic"]
    save_draft(member=viewers["other"], key=reply_draft_key(topic.pk), body="Newer words")
    shown_page = shown(browser(viewers["other"]), warm_topics["urls"][0])[1]
    assert "Newer words</textarea>" in shown_page
    assert "unsent" not in shown_page


def test_a_changed_watch_level_shows_at_once(warm_topics):
    viewers = warm_topics["viewers"]
    set_topic_watch(member=viewers["author"], topic=warm_topics["topic"], level="muted")
    shown_page = shown(browser(viewers["author"]), warm_topics["urls"][0])[1]
    assert "You muted this topic" in shown_page
    assert "You follow this topic" not in shown_page


def test_new_replies_move_the_pager_and_show_on_the_last_page_at_once(warm_topics, settings):
    viewers = warm_topics["viewers"]
    settings.HOMEGROUP = {**settings.HOMEGROUP, "NEW_MEMBER_QUEUED_POSTS": 0}
    for words in ("A first new reply.", "A second new reply."):
        create_reply(author=viewers["author"], topic=warm_topics["topic"], body=words)
    client = browser(viewers["visitor"])
    assert "Page 1 of 3" in shown(client, warm_topics["urls"][0])[1]
    last = shown(client, f"{warm_topics['urls'][0]}?page=3")[1]
    assert "A second new reply." in last
    assert "Page 3 of 3" in last


def test_a_locked_topic_refuses_replies_on_its_page_at_once(warm_topics):
    viewers = warm_topics["viewers"]
    set_topic_flag(
        moderator=viewers["moderator"],
        kind="topic",
        target_id=warm_topics["topic"].pk,
        action="lock",
        reason="Cooling down.",
    )
    shown_page = shown(browser(viewers["other"]), warm_topics["urls"][0])[1]
    assert "This topic is locked" in shown_page
    assert '<span class="badge">Locked</span>' in shown_page
    assert "data-composer" not in shown_page


def test_the_read_marker_moves_forward_only_and_an_unchanged_page_writes_nothing(warm_topics):
    other = warm_topics["viewers"]["other"]
    topic = warm_topics["topic"]
    client = browser(other)
    page_one, page_two = warm_topics["urls"][:2]

    def marker() -> int:
        return TopicRead.objects.get(member=other, topic=topic).last_read_number

    shown(client, page_two)
    assert marker() == 4  # the last post placed for this member (the hidden one keeps its place)
    with CaptureQueriesContext(connection) as queries:
        shown(client, page_one)
        shown(client, page_two)
    writes = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert writes == []
    assert marker() == 4


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
    assert_same_with_blocks_cached_as_not(clients, boards["board_urls"], block_cache, read=page)


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
    calls = cache_calls(monkeypatch)
    page(browser(warm_boards["viewers"]["other"]), "/steps/4/")
    # The page's own part, and at most the chrome around it (forum/templatetags/chrome.py).
    assert [method for method, keys in calls if keys[0].startswith("page:")] == ["get"]
    assert [len(keys) for method, keys in calls if keys[0].startswith("block:")] in ([], [1])


def test_a_release_that_prints_a_block_differently_reads_none_of_the_blocks_cached_before(
    warm, next_release
):
    next_release()
    shown = browser(warm["viewers"]["other"]).get(warm["urls"][1]).content.decode()
    assert shown.count("<!-- the next release -->") == shown.count('<article class="post')
    assert shown.count("<!-- the next release -->") >= 3
