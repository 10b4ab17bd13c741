"""The audit log: every action, filterable, and append-only through every path."""

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from forum.actions.moderation import hide_item, report_item, warn_member
from forum.models import AuditLogEntry
from forum.models.moderation import AuditLogRefused
from tests.factories import make_post
from tests.forum.actions.moderation.conftest import login

pytestmark = pytest.mark.django_db
LOG = reverse("forum:moderation_log")


@pytest.fixture
def entries(moderator, member_factory, topic):
    other_mod = member_factory(username="OtherModerator")
    from accounts.actions.roles import grant_moderator

    grant_moderator(member=other_mod)
    reply = make_post(topic, author=member_factory(username="LoudPoster"))
    report_item(reporter=member_factory(), kind="post", target_id=reply.pk, reason="spam")
    hide_item(moderator=moderator, kind="post", target_id=reply.pk, reason="Spam links")
    warn_member(moderator=other_mod, member=topic.author, message="Gentle reminder")
    return AuditLogEntry.objects.all()


def test_the_log_lists_who_what_target_reason_and_when(moderator_client, entries):
    page = moderator_client.get(LOG).content.decode()

    for text in (
        "SteadyModerator",
        "Hid",
        "LoudPoster",
        "Spam links",
        "OtherModerator",
        "Warned",
        "Gentle reminder",
        "<time",
    ):
        assert text in page


@pytest.mark.parametrize(
    ("query", "present", "absent"),
    [
        ({"moderator": "steadymoderator"}, "Spam links", "Gentle reminder"),
        ({"member": "QuietWriter"}, "Gentle reminder", "Spam links"),
        ({"action": "hide"}, "Spam links", "Gentle reminder"),
        ({"action": "warn", "moderator": "OtherModerator"}, "Gentle reminder", "Spam links"),
    ],
)
def test_the_log_filters_by_moderator_member_and_action(
    moderator_client, entries, query, present, absent
):
    page = moderator_client.get(LOG, query).content.decode()

    assert present in page and absent not in page


def test_an_unknown_action_filter_is_ignored_not_an_error(moderator_client, entries):
    response = moderator_client.get(LOG, {"action": "nonsense"})

    assert response.status_code == 200


def test_an_entry_cannot_be_changed_by_saving_it(entries):
    entry = entries.first()
    entry.reason = "rewritten"

    with pytest.raises(AuditLogRefused):
        entry.save()

    assert AuditLogEntry.objects.get(pk=entry.pk).reason != "rewritten"


def test_an_entry_cannot_be_deleted(entries):
    entry = entries.first()

    with pytest.raises(AuditLogRefused):
        entry.delete()

    assert AuditLogEntry.objects.filter(pk=entry.pk).exists()


def test_entries_cannot_be_changed_through_a_queryset(entries):
    entry = entries.first()

    with pytest.raises(AuditLogRefused):
        AuditLogEntry.objects.filter(pk=entry.pk).update(reason="rewritten")

    assert AuditLogEntry.objects.get(pk=entry.pk).reason != "rewritten"


def test_entries_cannot_be_deleted_through_a_queryset(entries):
    count = AuditLogEntry.objects.count()

    with pytest.raises(AuditLogRefused):
        AuditLogEntry.objects.all().delete()

    assert AuditLogEntry.objects.count() == count


def test_the_admin_can_read_but_not_add_change_or_delete(admin_user, entries):
    browser = Client()
    browser.force_login(admin_user)
    entry = entries.first()
    base = "admin:forum_auditlogentry"

    assert browser.get(reverse(f"{base}_changelist")).status_code == 200
    view = browser.get(reverse(f"{base}_change", args=[entry.pk]))
    assert view.status_code == 200
    assert 'name="reason"' not in view.content.decode()
    assert browser.get(reverse(f"{base}_add")).status_code == 403
    assert (
        browser.post(reverse(f"{base}_change", args=[entry.pk]), {"reason": "x"}).status_code == 403
    )
    assert (
        browser.post(reverse(f"{base}_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    )
    assert browser.post(
        reverse(f"{base}_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    ).status_code in (200, 302)
    assert AuditLogEntry.objects.filter(pk=entry.pk, reason=entry.reason).exists()
    model_admin = admin.site._registry[AuditLogEntry]
    assert not model_admin.get_actions(_request(admin_user))


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    return request


def test_no_url_of_the_site_changes_the_log(admin_user, moderator, entries):
    """Every URL is walked with POST by an admin and a moderator: the entries stay as they were."""
    before = list(AuditLogEntry.objects.values_list("pk", "reason", "action", "moderator_name"))
    paths = []

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                if "auditlogentry" in route or "moderation" in route:
                    paths.append(route)

    walk(get_resolver().url_patterns)
    assert paths
    for who in (admin_user, moderator):
        browser = Client(raise_request_exception=False)
        browser.force_login(who)
        for entry in before:
            for route in paths:
                url = "/" + route.replace("^", "").replace("$", "").replace("\\Z", "")
                for token in ("(?P<object_id>.+)/", "<path:object_id>/"):
                    url = url.replace(token, f"{entry[0]}/")
                if "<" in url or "(?P" in url:
                    continue
                browser.post(url, {"reason": "rewritten", "post": "yes"})
    assert (
        list(AuditLogEntry.objects.values_list("pk", "reason", "action", "moderator_name"))
        == before
    )


def test_members_cannot_read_the_log(client, member):
    assert client.get(LOG).status_code == 302
    login(client, member)
    assert client.get(LOG).status_code == 403


def test_the_log_keeps_pseudonyms_after_an_account_is_deleted(moderator_client, entries):
    from accounts.models import User

    User.objects.filter(username="LoudPoster").delete()

    assert "LoudPoster" in moderator_client.get(LOG).content.decode()


@pytest.mark.parametrize("model_name", ["auditlogentry", "report", "watchedword", "crisisphrase"])
def test_the_admin_cannot_add_change_or_delete_audited_rows(model_name):
    from django.contrib import admin as django_admin
    from django.test import RequestFactory

    from forum import models

    model = next(
        m
        for m in vars(models).values()
        if getattr(getattr(m, "_meta", None), "model_name", None) == model_name
    )
    model_admin = django_admin.site._registry[model]
    request = RequestFactory().get("/admin/")
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
