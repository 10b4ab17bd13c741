"""Every board URL x every role: who gets the page, a login redirect, a refusal or a 404."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.actions.roles import grant_moderator
from tests.factories import MemberFactory, general_board, make_topic

pytestmark = pytest.mark.django_db

LOGIN = "login"
ROLES = ["visitor", "member", "step12", "suspended", "moderator"]

# url template -> expected status per role, in ROLES order (LOGIN = redirect to the login page)
MATRIX = {
    "/boards/": [200, 200, 200, 200, 200],
    "/boards/general-support/": [200, 200, 200, 200, 200],
    "/boards/starting-again/": [LOGIN, 200, 200, 200, 200],
    "/steps/12/?kind=message": [200, 200, 200, 200, 200],
    "/boards/general-support/new/?kind=helping": [LOGIN, 200, 200, 403, 200],
    "/boards/general-support/new/?kind=message": [LOGIN, 403, 200, 403, 403],
    "/t/{topic}/": [200, 200, 200, 200, 200],
    "/t/{private_topic}/": [LOGIN, 200, 200, 200, 200],
    "/t/{topic}/reply/": [LOGIN, 200, 200, 403, 200],
    "/t/{topic}/unread/": [302, 302, 302, 302, 302],
    "/p/{post}/": [302, 302, 302, 302, 302],
    "/p/{post}/edit/": [LOGIN, 403, 403, 403, 403],
    "/p/{post}/delete/": [LOGIN, 403, 403, 403, 403],
    "/p/{post}/revisions/": [404, 404, 404, 404, 200],
    "/search/?q=words": [200, 200, 200, 200, 200],
}


@pytest.fixture
def scene(db):
    author = MemberFactory()
    topic = make_topic(author=author, replies=1)
    private_topic = make_topic(general_board("starting-again"), author=author)
    return {"topic": topic.pk, "private_topic": private_topic.pk, "post": topic.posts.first().pk}


def log_in_as(client, role):
    if role == "visitor":
        return
    kwargs = {"current_step": 12} if role == "step12" else {}
    if role == "suspended":
        kwargs["suspended_until"] = timezone.now() + timedelta(days=3)
    member = MemberFactory(**kwargs)
    if role == "moderator":
        grant_moderator(member=member)
    client.force_login(member)


@pytest.mark.parametrize("role", ROLES)
def test_every_board_url_answers_each_role_as_expected(client, scene, role):
    log_in_as(client, role)
    outcomes = {}
    for template, expected in MATRIX.items():
        response = client.get(template.format(**scene))
        want = expected[ROLES.index(role)]
        if want == LOGIN:
            got = (
                LOGIN
                if response.status_code == 302 and "/account/login/" in response["Location"]
                else response.status_code
            )
        else:
            got = response.status_code
        outcomes[template] = (got, want)
    assert {url: pair for url, pair in outcomes.items() if pair[0] != pair[1]} == {}
