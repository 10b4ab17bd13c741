"""The draft action's own rules: the rate limit lives here, not in the view."""

import pytest

from forum.actions.drafts import DRAFT_SAVES, save_draft
from forum.errors import RateLimited
from forum.models import Draft
from tests.factories import make_topic
from tests.permission_world import ensure_seeds

pytestmark = pytest.mark.django_db


def test_saving_past_the_limit_raises_rate_limited_and_keeps_the_last_draft(member):
    ensure_seeds()
    key = f"reply:{make_topic().pk}"
    for n in range(DRAFT_SAVES.count):
        save_draft(member=member, key=key, body=f"version {n}")

    with pytest.raises(RateLimited, match="Saving very often"):
        save_draft(member=member, key=key, body="one too many")

    assert Draft.objects.get().body == f"version {DRAFT_SAVES.count - 1}"
