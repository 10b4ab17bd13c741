import pytest

from tests.factories import make_member, make_mentor, make_newcomer
from tests.forum.notifications.conftest import close_thread_connections  # noqa: F401


@pytest.fixture
def mentor(db):
    return make_mentor(username="SteadyOak")


@pytest.fixture
def mentee(db):
    return make_member(username="NewDawn", step=2)


@pytest.fixture
def newcomer(db):
    return make_newcomer(username="FirstLight")


@pytest.fixture
def third(db):
    return make_member(username="Bystander")


@pytest.fixture
def moderator(db):
    from accounts.actions.roles import grant_moderator

    member = make_member(username="KindWarden")
    grant_moderator(member=member)
    return member


@pytest.fixture
def login(client):
    def as_member(member):
        client.force_login(member)
        return client

    return as_member
