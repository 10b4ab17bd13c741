"""Workbook text is encrypted at rest with keys from the environment; export decrypts it for the
member alone; deleting the account erases it. (Production refuses to start without a key:
tests/test_security_headers.py.)"""

import json
import os

import pytest
from django.db import connection
from django.urls import reverse

from accounts.actions.deletion import delete_account
from accounts.actions.journey import move_to_step
from accounts.actions.workbook import save_entry, share_step, write_share_note
from accounts.crypto import generate_key
from accounts.models import EntryKind, WorkbookEntry, WorkbookShare
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

WORDS = "the night I drove home drunk"


def raw_columns(table: str, column: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table}")  # noqa: S608 - fixed names
        return [row[0] for row in cursor.fetchall()]


def test_the_database_holds_only_tokens(writer, guide, mentorship):
    save_entry(member=writer, step=1, kind=EntryKind.WRITING, content={"text": WORDS})
    share = share_step(member=writer, step=1)
    write_share_note(mentor=guide, share=share, note="a note about " + WORDS)

    stored = raw_columns("accounts_workbookentry", "content") + raw_columns(
        "accounts_workbookshare", "mentor_note"
    )

    assert stored and all(value.startswith("gAAAA") for value in stored)
    assert not any("drove" in value for value in stored)
    assert WorkbookEntry.objects.get().content == {"text": WORDS}


def test_keys_can_rotate_old_entries_still_read_with_the_old_key_second(settings, writer):
    save_entry(member=writer, step=1, kind=EntryKind.WRITING, content={"text": WORDS})
    settings.WORKBOOK_KEYS = [generate_key(), *settings.WORKBOOK_KEYS]

    assert WorkbookEntry.objects.get().content == {"text": WORDS}


def test_the_export_includes_the_workbook_decrypted(client, writer):
    save_entry(member=writer, step=4, kind=EntryKind.FEAR, content={"who_what": WORDS})
    move_to_step(member=writer, to_step=5, reflection="lighter now")
    client.force_login(writer)

    data = json.loads(client.get(reverse("accounts:export")).content)

    contents = [item["content"] for item in data["workbook"]]
    assert {"who_what": WORDS} in contents and {"text": "lighter now"} in contents


def test_deleting_the_account_erases_the_workbook_and_what_was_shared(writer, guide, mentorship):
    save_entry(member=writer, step=1, kind=EntryKind.WRITING, content={"text": WORDS})
    share = share_step(member=writer, step=1)
    write_share_note(mentor=guide, share=share, note="kept between us")

    delete_account(member=writer, password=PASSWORD)

    assert not WorkbookEntry.objects.exists()
    assert not WorkbookShare.objects.exists()


def test_rotating_keys_rewrites_every_row_so_the_old_key_can_go(settings, writer):
    from django.core.management import call_command

    save_entry(member=writer, step=1, kind=EntryKind.WRITING, content={"text": WORDS})
    old = list(settings.WORKBOOK_KEYS)
    new = generate_key()
    settings.WORKBOOK_KEYS = [new, *old]

    call_command("rotate_workbook_keys", stdout=open(os.devnull, "w"))  # noqa: SIM115

    settings.WORKBOOK_KEYS = [new]
    assert WorkbookEntry.objects.get().content == {"text": WORDS}
