"""The migration that turns the moderation booleans into one state, the strongest one winning,
and keeps in ``published_at`` whether others ever saw the post."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone


def _migration_and_parent() -> tuple[tuple[str, str], tuple[str, str]]:
    """Found by name, so the test holds when migrations are renumbered on merging."""
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    after = next(
        key
        for key in graph.nodes
        if key[0] == "forum" and key[1].endswith("_post_and_topic_content_state")
    )
    before = next(parent.key for parent in graph.node_map[after].parents if parent[0] == "forum")
    return before, after


BEFORE, AFTER = _migration_and_parent()

# Each row sets its own boolean and every weaker one, so each precedence branch is decided.
POST_FLAGS = {
    "removed_by_moderator": [
        "removed_by_moderator",
        "removed_by_author",
        "is_hidden",
        "is_held_for_review",
        "is_pending_approval",
    ],
    "removed_by_author": [
        "removed_by_author",
        "is_hidden",
        "is_held_for_review",
        "is_pending_approval",
    ],
    "hidden": ["is_hidden", "is_held_for_review", "is_pending_approval"],
    "held": ["is_held_for_review", "is_pending_approval"],
    "pending": ["is_pending_approval"],
    "published": [],
}
TOPIC_FLAGS = {
    "hidden": ["is_hidden", "is_pending_approval"],
    "pending": ["is_pending_approval"],
    "published": [],
}
POST_BOOLEANS = POST_FLAGS["removed_by_moderator"]
# Each boolean and its state, strongest first.
STRONGEST = [(flags[0], state) for state, flags in POST_FLAGS.items() if flags]


def _migrate(target) -> object:
    """Forum at ``target``, every other app at its latest; the models as they were then."""
    executor = MigrationExecutor(connection)
    targets = [target, *(n for n in executor.loader.graph.leaf_nodes() if n[0] != "forum")]
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.fixture
def migrate(seeded_transactional_db):
    yield _migrate
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _world(apps):
    member = apps.get_model("accounts", "User").objects.create(username="Migrating member")
    board = apps.get_model("forum", "Board").objects.order_by("pk").first()
    return member, board


def _topic(apps, member, board, title: str, **flags):
    return apps.get_model("forum", "Topic").objects.create(
        board=board, title=title, author=member, **flags
    )


def test_each_post_and_topic_gets_the_state_of_its_strongest_boolean(migrate):
    apps = migrate(BEFORE)
    member, board = _world(apps)
    Post = apps.get_model("forum", "Post")
    holder = _topic(apps, member, board, "Holds the posts")
    for number, flags in enumerate(POST_FLAGS.values(), start=1):
        Post.objects.create(
            topic=holder,
            author=member,
            number=number,
            body="Words",
            body_html="<p>Words</p>",
            **dict.fromkeys(flags, True),
        )
    for title, flags in TOPIC_FLAGS.items():
        _topic(apps, member, board, title, **dict.fromkeys(flags, True))

    apps = migrate(AFTER)

    posts = apps.get_model("forum", "Post").objects.filter(topic__title="Holds the posts")
    assert list(posts.order_by("number").values_list("state", flat=True)) == list(POST_FLAGS)
    topics = apps.get_model("forum", "Topic").objects.exclude(title="Holds the posts")
    assert dict(topics.values_list("title", "state")) == {state: state for state in TOPIC_FLAGS}


def test_going_back_sets_the_one_boolean_of_each_state(migrate):
    apps = migrate(AFTER)
    member, board = _world(apps)
    Post = apps.get_model("forum", "Post")
    holder = _topic(apps, member, board, "Holds the posts")
    for number, state in enumerate(POST_FLAGS, start=1):
        Post.objects.create(
            topic=holder,
            author=member,
            number=number,
            body="W",
            body_html="W",
            state=state,
            published_at=None if state == "pending" else timezone.now(),
        )
    for state in TOPIC_FLAGS:
        _topic(apps, member, board, state, state=state)

    apps = migrate(BEFORE)

    posts = apps.get_model("forum", "Post").objects.filter(topic__title="Holds the posts")
    set_flags = [
        [flag for flag in POST_BOOLEANS if getattr(post, flag)] for post in posts.order_by("number")
    ]
    assert set_flags == [flags[:1] for flags in POST_FLAGS.values()]
    topics = apps.get_model("forum", "Topic").objects.exclude(title="Holds the posts")
    assert {
        topic.title: [flag for flag in ("is_hidden", "is_pending_approval") if getattr(topic, flag)]
        for topic in topics
    } == {state: flags[:1] for state, flags in TOPIC_FLAGS.items()}


# Rows as the old actions left them: a rejected or withdrawn waiting post kept its
# is_pending_approval, so it was never published.
PUBLISHED_OR_NOT = {
    "published": ([], True),
    "held": (["is_held_for_review"], True),
    "hidden": (["is_hidden"], True),
    "withdrawn once published": (["removed_by_author"], True),
    "removed once published": (["removed_by_moderator"], True),
    "waiting": (["is_pending_approval"], False),
    "withdrawn while waiting": (["removed_by_author", "is_pending_approval"], False),
    "rejected while waiting": (["removed_by_moderator", "is_pending_approval"], False),
}


def test_a_post_was_published_when_it_was_written_unless_it_never_left_the_queue(migrate):
    apps = migrate(BEFORE)
    member, board = _world(apps)
    Post = apps.get_model("forum", "Post")
    holder = _topic(apps, member, board, "Holds the posts")
    written = timezone.now() - timedelta(days=30)
    for number, (title, (flags, _)) in enumerate(PUBLISHED_OR_NOT.items(), start=1):
        Post.objects.create(
            topic=holder,
            author=member,
            number=number,
            body=title,
            body_html=title,
            created_at=written,
            **dict.fromkeys(flags, True),
        )

    apps = migrate(AFTER)

    posts = apps.get_model("forum", "Post").objects.filter(topic__title="Holds the posts")
    assert dict(posts.values_list("body", "published_at")) == {
        title: written if published else None for title, (_, published) in PUBLISHED_OR_NOT.items()
    }


def test_going_back_a_post_never_published_is_waiting_again_under_its_removal(migrate):
    apps = migrate(AFTER)
    member, board = _world(apps)
    Post = apps.get_model("forum", "Post")
    holder = _topic(apps, member, board, "Holds the posts")
    for number, (title, (flags, published)) in enumerate(PUBLISHED_OR_NOT.items(), start=1):
        state = next((s for f, s in STRONGEST if f in flags), "published")
        Post.objects.create(
            topic=holder,
            author=member,
            number=number,
            body=title,
            body_html=title,
            state=state,
            published_at=timezone.now() if published else None,
        )

    apps = migrate(BEFORE)

    posts = apps.get_model("forum", "Post").objects.filter(topic__title="Holds the posts")
    assert {
        post.body: sorted(flag for flag in POST_BOOLEANS if getattr(post, flag)) for post in posts
    } == {title: sorted(flags) for title, (flags, _) in PUBLISHED_OR_NOT.items()}
