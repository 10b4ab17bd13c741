"""The Moderators group holds the named permissions from the start (a data migration)."""

import pytest
from django.contrib.auth.models import Group

from forum.permissions.moderation import can_review
from tests.permission_world import ensure_seeds

pytestmark = pytest.mark.django_db


def test_a_member_added_to_the_group_directly_can_moderate(member):
    ensure_seeds()
    group = Group.objects.get(name="Moderators")

    member.groups.add(group)

    assert set(group.permissions.values_list("codename", flat=True)) >= {
        "review_reports",
        "moderate_content",
        "moderate_members",
        "view_audit_log",
        "manage_safety_lists",
    }
    assert can_review(type(member).objects.get(pk=member.pk))
