"""Posts: editing, removal by the author, quoting, anonymity, content notes, former members."""

import pytest

from accounts.actions.deletion import delete_account
from accounts.actions.roles import grant_moderator
from forum.models import Post, PostRevision, Topic
from tests.factories import PASSWORD
from tests.forum.boards.htmlcheck import parse

pytestmark = pytest.mark.django_db


def test_a_member_can_edit_their_post_which_then_shows_edited(client, member, topic_factory):
    topic = topic_factory(author=member, body="First version.")
    post = topic.posts.get()
    client.force_login(member)

    form = client.get(f"/p/{post.pk}/edit/").content.decode()
    response = client.post(
        f"/p/{post.pk}/edit/",
        {"title": "A clearer title", "body": "Second *version*.", "content_note": ""},
    )

    post.refresh_from_db()
    assert "First version." in form
    assert response.status_code == 302
    assert post.body_html == "<p>Second <em>version</em>.</p>\n"
    assert Topic.objects.get().title == "A clearer title"
    assert "edited" in client.get(f"/t/{topic.pk}/").content.decode()


def test_the_previous_version_is_kept_for_moderators_only(
    client, member, member_factory, topic_factory
):
    topic = topic_factory(author=member, title="Original title", body="What I first wrote.")
    post = topic.posts.get()
    client.force_login(member)
    client.post(f"/p/{post.pk}/edit/", {"title": "Original title", "body": "Better words."})
    moderator = member_factory()
    grant_moderator(member=moderator)

    revision = PostRevision.objects.get()
    as_author = client.get(f"/p/{post.pk}/revisions/")
    topic_as_author = client.get(f"/t/{topic.pk}/").content.decode()
    client.force_login(moderator)
    as_moderator = client.get(f"/p/{post.pk}/revisions/").content.decode()
    topic_as_moderator = client.get(f"/t/{topic.pk}/").content.decode()

    assert revision.body == "What I first wrote."
    assert as_author.status_code == 404
    assert "earlier versions" not in topic_as_author
    assert "What I first wrote." in as_moderator
    assert f'href="/p/{post.pk}/revisions/"' in topic_as_moderator


def test_a_member_cannot_edit_or_delete_someone_elses_post(client, member, topic_factory):
    post = topic_factory().posts.get()
    client.force_login(member)

    edit = client.post(f"/p/{post.pk}/edit/", {"body": "Hijacked."})
    delete = client.post(f"/p/{post.pk}/delete/")

    post.refresh_from_db()
    assert edit.status_code == 403
    assert delete.status_code == 403
    assert post.body == "Some days are easier than others."
    assert post.state != "removed_by_author"


def test_an_edit_with_an_empty_body_is_refused_and_nothing_changes(client, member, topic_factory):
    post = topic_factory(author=member).posts.get()
    client.force_login(member)

    response = client.post(f"/p/{post.pk}/edit/", {"title": "Fine title", "body": "   "})

    post.refresh_from_db()
    assert response.status_code == 400
    assert post.body == "Some days are easier than others."
    assert not PostRevision.objects.exists()


def test_deleting_own_post_shows_removed_by_its_author_and_replies_stay(
    client, member, topic_factory
):
    topic = topic_factory(author=member, body="Something I regret posting.", replies=2)
    opening = topic.posts.get(number=1)
    client.force_login(member)

    confirm = client.get(f"/p/{opening.pk}/delete/")
    response = client.post(f"/p/{opening.pk}/delete/")
    html = client.get(f"/t/{topic.pk}/").content.decode()

    assert confirm.status_code == 200
    assert response.status_code == 302
    assert "removed by its author" in html
    assert "Something I regret posting." not in html
    assert "Reply number 1." in html
    assert "Reply number 2." in html


def test_quoting_a_post_prefills_the_reply(client, member, member_factory, topic_factory):
    author = member_factory(username="Quoted")
    topic = topic_factory(author=author, body="Line one.\nLine two.")
    post = topic.posts.get()
    client.force_login(member)

    html = client.get(f"/t/{topic.pk}/reply/?quote={post.pk}").content.decode()

    assert "&gt; **Quoted** wrote:\n&gt;\n&gt; Line one.\n&gt; Line two." in html


@pytest.mark.parametrize("quote", ["abc", "999999", ""])
def test_quoting_an_unknown_post_quotes_nothing(member_client, topic_factory, quote):
    topic = topic_factory()

    response = member_client.get(f"/t/{topic.pk}/reply/?quote={quote}")

    assert response.status_code == 200
    assert "wrote:" not in response.content.decode()


def test_an_anonymous_post_hides_even_the_pseudonym_from_other_members(
    client, member_factory, topic_factory
):
    author = member_factory(username="QuietRiver")
    reader = member_factory()
    topic = topic_factory(author=author, is_anonymous=True, title="Hard to say this")

    client.force_login(reader)
    topic_page = client.get(f"/t/{topic.pk}/").content.decode()
    board_page = client.get("/boards/general-support/").content.decode()
    quote = client.get(f"/t/{topic.pk}/reply/?quote={topic.posts.get().pk}").content.decode()
    client.force_login(author)
    own_view = client.get(f"/t/{topic.pk}/").content.decode()

    for html in (topic_page, board_page, quote):
        assert "QuietRiver" not in html
        assert "Anonymous member" in html
    assert "Anonymous member (you)" in own_view


def test_replying_anonymously_through_the_ui(client, member_factory, topic_factory):
    author = member_factory(username="ShyHeron")
    topic = topic_factory()
    client.force_login(author)

    client.post(f"/t/{topic.pk}/reply/", {"body": "Me too.", "is_anonymous": "on"})
    client.logout()
    html = client.get(f"/t/{topic.pk}/").content.decode()

    assert Post.objects.get(number=2).is_anonymous
    assert "ShyHeron" not in html


def test_a_content_note_folds_the_body_behind_details_without_javascript(
    client, seasoned_member, support_board
):
    client.force_login(seasoned_member)
    client.post(
        "/boards/general-support/new/?kind=helping",
        {"kind": "helping", "title": "Last night", "body": "I slipped.", "content_note": "relapse"},
    )
    topic = Topic.objects.get()

    html = client.get(f"/t/{topic.pk}/").content.decode()
    listing = client.get("/boards/general-support/").content.decode()

    assert topic.content_note == "relapse"
    tags = parse(html).tags
    assert "details" in tags and "summary" in tags
    details = html.split("<details", 1)[1].split("</details>", 1)[0]
    assert "Content note: relapse" in details
    assert "I slipped." in details
    assert "Content note: relapse" in listing
    assert "I slipped." not in listing


def test_a_deleted_accounts_posts_stay_and_show_former_member(
    client, member_factory, topic_factory
):
    author = member_factory(username="LeavingSoon")
    topic = topic_factory(author=author, body="Still useful to others.")

    delete_account(member=author, password=PASSWORD)
    html = client.get(f"/t/{topic.pk}/").content.decode()
    board = client.get("/boards/general-support/").content.decode()

    assert "Still useful to others." in html
    assert "former member" in html
    assert "former member" in board
    assert "LeavingSoon" not in html


def test_the_export_contains_the_members_topics_and_posts(client, member, topic_factory):
    topic = topic_factory(author=member, title="My own topic", body="My own words.")
    other = topic_factory(title="Someone else's topic")
    client.force_login(member)
    client.post(f"/t/{other.pk}/reply/", {"body": "My anonymous reply.", "is_anonymous": "on"})

    data = client.get("/me/export/").json()

    assert [t["title"] for t in data["topics"]] == ["My own topic"]
    bodies = {p["body"]: p for p in data["posts"]}
    assert set(bodies) == {"My own words.", "My anonymous reply."}
    assert bodies["My anonymous reply."]["anonymous"] is True
    assert topic.pk == data["topics"][0]["id"]
