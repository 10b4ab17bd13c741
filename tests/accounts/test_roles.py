import pytest
from django.core.management import CommandError, call_command

from accounts.roles import is_moderator
from accounts.selectors import get_member_by_pseudonym

pytestmark = pytest.mark.django_db


def test_make_moderator_grants_and_revokes_the_role(member_factory, capsys):
    member_factory(username="SteadyCedar")

    call_command("make_moderator", "steadycedar")
    assert is_moderator(get_member_by_pseudonym("SteadyCedar"))
    assert "is now a moderator" in capsys.readouterr().out

    call_command("make_moderator", "SteadyCedar", "--revoke")
    assert not is_moderator(get_member_by_pseudonym("SteadyCedar"))


def test_make_moderator_names_an_unknown_pseudonym():
    with pytest.raises(CommandError, match="No member has the pseudonym"):
        call_command("make_moderator", "Nobody")


def test_a_plain_member_is_not_a_moderator(member):
    assert not is_moderator(member)
