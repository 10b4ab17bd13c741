"""Sharing one entry, or a step's work, with one's active mentor: read-only, revocable, ended
with the mentorship, with the mentor's private note beside it. Nobody else ever sees it."""

import pytest
from django.urls import reverse

from accounts.actions.mentoring import end_mentorship
from accounts.actions.workbook import WorkbookRefused, save_entry, share_entry
from accounts.models import EntryKind, WorkbookShare
from forum.models import Notification
from tests.factories import make_member

pytestmark = pytest.mark.django_db

SECRET = "I took money from the till"


@pytest.fixture
def entry(writer):
    return save_entry(
        member=writer, step=4, kind=EntryKind.HARM, content={"who_what": "work", "my_part": SECRET}
    )


def shared_page(client, mentorship):
    return client.get(reverse("accounts:mentee_workbook", args=[mentorship.pk]))


def share(client, entry, action="share"):
    return client.post(
        reverse("accounts:workbook_entry_share", args=[entry.step, entry.pk]), {"action": action}
    )


def test_a_mentor_sees_a_shared_entry_and_loses_it_on_unshare(
    client, writer, guide, mentorship, entry
):
    client.force_login(guide)
    assert SECRET not in shared_page(client, mentorship).content.decode()

    client.force_login(writer)
    share(client, entry)
    notice = Notification.objects.get(recipient=guide)
    assert notice.kind == "workbook_shared" and SECRET not in notice.text

    client.force_login(guide)
    assert SECRET in shared_page(client, mentorship).content.decode()

    client.force_login(writer)
    share(client, entry, "unshare")
    client.force_login(guide)
    assert SECRET not in shared_page(client, mentorship).content.decode()
    assert not WorkbookShare.objects.exists()


def test_ending_the_mentorship_ends_the_access(client, writer, guide, mentorship, entry):
    share_entry(member=writer, entry=entry)
    end_mentorship(member=guide, mentorship=mentorship)

    client.force_login(guide)

    assert shared_page(client, mentorship).status_code == 404


def test_sharing_a_whole_step_shows_every_saved_entry_of_it(
    client, writer, guide, mentorship, entry
):
    save_entry(member=writer, step=4, kind=EntryKind.FEAR, content={"who_what": "Being found out"})
    save_entry(
        member=writer, step=4, kind=EntryKind.WRITING, content={"text": "draft only"}, draft=True
    )
    client.force_login(writer)
    client.post(reverse("accounts:workbook_share", args=[4]), {"action": "share"})

    client.force_login(guide)
    page = shared_page(client, mentorship).content.decode()

    assert SECRET in page and "Being found out" in page
    assert "draft only" not in page


def test_the_mentors_note_sits_beside_it_and_only_the_mentee_reads_it(
    client, writer, guide, mentorship, entry
):
    share_record = share_entry(member=writer, entry=entry)
    client.force_login(guide)
    client.post(
        reverse("accounts:workbook_share_note", args=[mentorship.pk, share_record.pk]),
        {"note": "Thank you for trusting me with this."},
    )

    client.force_login(writer)
    page = client.get(reverse("accounts:workbook", args=[4])).content.decode()
    assert "Thank you for trusting me with this." in page
    assert "Thank you" not in Notification.objects.get(recipient=writer).text


@pytest.mark.parametrize("who", ["stranger", "moderator", "admin"])
def test_nobody_else_sees_shared_work(client, writer, mentorship, entry, who):
    from accounts.actions.roles import grant_moderator

    share_entry(member=writer, entry=entry)
    other = make_member(is_staff=who == "admin", is_superuser=who == "admin")
    if who == "moderator":
        grant_moderator(member=other)
    client.force_login(other)

    assert shared_page(client, mentorship).status_code == 404
    assert client.get(entry.get_absolute_url()).status_code == 404


def test_the_mentee_sees_only_the_mentor_side_of_nothing(client, writer, mentorship, entry):
    share_entry(member=writer, entry=entry)
    client.force_login(writer)

    assert shared_page(client, mentorship).status_code == 404  # the mentor's page is the mentor's


def test_a_draft_or_someone_elses_entry_cannot_be_shared(writer, mentorship):
    draft = save_entry(
        member=writer, step=1, kind=EntryKind.WRITING, content={"text": "half"}, draft=True
    )
    with pytest.raises(WorkbookRefused):
        share_entry(member=writer, entry=draft)
    theirs = save_entry(member=make_member(), step=1, kind=EntryKind.WRITING, content={"text": "x"})
    with pytest.raises(WorkbookRefused):
        share_entry(member=writer, entry=theirs)
    assert not WorkbookShare.objects.exists()


def test_without_a_mentor_there_is_no_one_to_share_with(writer, entry):
    with pytest.raises(WorkbookRefused, match="mentor"):
        share_entry(member=writer, entry=entry)


def test_the_mentorship_page_leads_the_mentor_to_what_is_shared(client, guide, mentorship):
    client.force_login(guide)

    page = client.get(mentorship.get_absolute_url()).content.decode()

    assert reverse("accounts:mentee_workbook", args=[mentorship.pk]) in page
