import pytest

from tests.accounts.mentoring.conftest import login  # noqa: F401
from tests.factories import make_member, make_mentor, make_mentorship


@pytest.fixture
def writer(db):
    return make_member(username="QuietPen", step=4)


@pytest.fixture
def guide(db):
    return make_mentor(username="SteadyGuide")


@pytest.fixture
def mentorship(writer, guide):
    return make_mentorship(guide, writer)
