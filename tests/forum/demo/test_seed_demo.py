"""seed_demo fills the forum with consistent, realistic data of both kinds."""

from dataclasses import replace
from itertools import pairwise

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from accounts.roles import is_moderator
from forum.models import ChatMessage, Post, Reaction, Room, Topic
from forum.models.boards import TopicKind
from tests.processes import ROOT

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(capsys):
    call_command(
        "seed_demo",
        "--members",
        "15",
        "--topics-per-board",
        "4",
        "--posts-per-topic",
        "5",
        "--chat-messages",
        "140",
    )
    return capsys.readouterr().out


def test_seed_demo_reports_what_it_created(seeded):
    assert "Seeded 15 members" in seeded
    assert Topic.objects.count() > 0
    assert Post.objects.count() == Topic.objects.count() * 5


def test_denormalized_counters_match_the_rows(seeded):
    for topic in Topic.objects.annotate(n=Count("posts")):
        assert topic.reply_count == topic.n - 1
        assert topic.last_post.number == topic.n
    for post in Post.objects.annotate(n=Count("reactions")):
        assert post.thank_you_count + post.me_too_count + post.strength_count == post.n
    assert Reaction.objects.exists()


def test_shares_are_written_only_by_members_at_step_12(seeded):
    shares = Topic.objects.filter(kind=TopicKind.MESSAGE)
    assert Topic.objects.filter(kind=TopicKind.HELPING).exists()
    assert all(share.author.current_step == 12 for share in shares)


def test_texts_are_varied_not_lorem_ipsum(seeded):
    bodies = list(Post.objects.values_list("body", flat=True))
    assert len(set(bodies)) > len(bodies) / 4
    assert not any("lorem" in body.lower() for body in bodies)
    assert all("<script" not in html for html in Post.objects.values_list("body_html", flat=True))


def test_chat_history_has_increasing_sequence_numbers_per_room(seeded):
    assert ChatMessage.objects.count() >= 140 - Room.objects.count()
    for room in Room.objects.filter(messages__isnull=False).distinct():
        seqs = list(room.messages.order_by("seq").values_list("seq", flat=True))
        assert seqs == list(range(1, len(seqs) + 1))
        assert room.last_seq == seqs[-1]


def test_a_few_demo_members_are_moderators(seeded, django_user_model):
    assert sum(is_moderator(m) for m in django_user_model.objects.all()) == 2


def test_if_empty_leaves_an_existing_forum_alone(seeded, capsys):
    before = Post.objects.count()

    call_command("seed_demo", "--if-empty")

    assert Post.objects.count() == before
    assert "already has topics" in capsys.readouterr().out


def test_one_long_topic_gives_the_first_board_a_last_page_of_its_own():
    from forum.demo.seeding import SIZES, seed_demo

    size = replace(
        SIZES["tiny"], members=6, topics_per_board=3, posts_per_topic=3, long_topic_posts=45
    )
    seed_demo(size=size)

    long_topics = Topic.objects.filter(reply_count=44)
    assert long_topics.count() == 1
    assert long_topics.get().posts.count() == 45


def test_the_demo_has_one_named_member_for_each_role_as_readme_says(seeded):
    from accounts.models import MentorProfile, Mentorship, User
    from forum.demo.seeding import DEMO_MEMBER, DEMO_MENTOR, DEMO_MODERATOR

    member = User.objects.get(username=DEMO_MEMBER)
    mentor = User.objects.get(username=DEMO_MENTOR)
    assert not is_moderator(member) and member.current_step < 12
    assert MentorProfile.objects.filter(member=mentor).exists()
    assert Mentorship.objects.get(mentor=mentor).mentee == member
    assert is_moderator(User.objects.get(username=DEMO_MODERATOR))
    assert MentorProfile.objects.count() > 1
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in (DEMO_MEMBER, DEMO_MENTOR, DEMO_MODERATOR):
        assert f"`{name}`" in readme


def test_readmes_make_moderator_example_works_on_the_demo_data(seeded):
    from accounts.models import User
    from forum.demo.seeding import DEMO_MEMBER

    call_command("make_moderator", DEMO_MEMBER)

    assert is_moderator(User.objects.get(username=DEMO_MEMBER))
    assert f"make_moderator {DEMO_MEMBER}" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_shares_sit_on_step_boards_under_titles_about_that_step(seeded):
    from forum.demo import texts

    shares = Topic.objects.filter(kind=TopicKind.MESSAGE).select_related("board")
    assert shares.exists()
    for share in shares:
        assert share.board.step_id is not None
        assert share.title in texts.STEP_SHARE_TITLES[share.board.step_id]


def test_topic_titles_do_not_repeat_on_a_board(seeded):
    for board_id in Topic.objects.values_list("board_id", flat=True).distinct():
        titles = list(Topic.objects.filter(board_id=board_id).values_list("title", flat=True))
        assert len(titles) == len(set(titles)), titles


def test_posts_and_topics_are_numbered_in_the_order_they_were_written(seeded):
    created = list(Post.objects.order_by("id").values_list("created_at", flat=True))
    assert created == sorted(created)
    started = list(Topic.objects.order_by("id").values_list("created_at", flat=True))
    assert started == sorted(started)
    assert max(created) <= timezone.now()


def test_boards_grow_side_by_side_not_one_after_another(seeded):
    boards = list(Post.objects.order_by("id").values_list("topic__board_id", flat=True))
    changes = sum(1 for before, after in pairwise(boards) if before != after)
    assert changes > 2 * len(set(boards))


def test_a_topics_posts_follow_one_another_in_time(seeded):
    for topic in Topic.objects.all():
        posts = list(topic.posts.order_by("number").values_list("id", "created_at"))
        assert posts == sorted(posts)
        assert topic.last_activity_at == posts[-1][1]
        assert topic.created_at == posts[0][1]
