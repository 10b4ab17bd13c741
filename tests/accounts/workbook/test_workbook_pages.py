"""The private step workbook: prompts, worksheets, drafts saved as the member types, dated and
editable entries, the daily check-in; only ever the writer's."""

import pytest
from django.urls import reverse

from accounts.actions.workbook import save_entry
from accounts.models import EntryKind, WorkbookEntry
from tests.factories import make_member

pytestmark = pytest.mark.django_db


def workbook_url(step: int) -> str:
    return reverse("accounts:workbook", kwargs={"number": step})


def test_each_step_has_prompts_in_our_words_and_step_4_has_the_inventory_columns(login, writer):
    page = login(writer).get(workbook_url(4)).content.decode()

    assert "Your Step 4 workbook" in page
    assert "Things to write about" in page
    for column in ("Who or what", "What happened", "How it affected me", "My part"):
        assert column in page
    for sheet in ("A resentment", "A fear", "Harm I have done", "Free writing"):
        assert sheet in page


@pytest.mark.parametrize(
    ("step", "words"),
    [
        (8, ["Person", "The harm", "Am I willing yet?"]),
        (9, ["The amends", "Not direct: it would injure them or others", "Made", "In progress"]),
        (10, ["Where was I resentful, selfish, dishonest or afraid today?", "grateful"]),
        (11, ["Prayer or meditation", "What I noticed"]),
        (1, ["Free writing"]),
    ],
)
def test_the_structured_worksheets_are_where_the_program_has_them(login, writer, step, words):
    page = login(writer).get(workbook_url(step)).content.decode()

    for word in words:
        assert word in page


def test_saving_a_step_4_row_stores_it_dated_and_lists_it(login, writer):
    client = login(writer)

    response = client.post(
        workbook_url(4),
        {
            "kind": "resentment",
            "resentment-who_what": "My old boss",
            "resentment-what_happened": "Let me go",
            "resentment-affected": "Security",
            "resentment-my_part": "I came in late, often",
        },
        follow=True,
    )

    entry = WorkbookEntry.objects.get(member=writer)
    assert (entry.step, entry.kind, entry.is_draft) == (4, "resentment", False)
    assert entry.content["my_part"] == "I came in late, often"
    page = response.content.decode()
    assert "Saved in your workbook." in page
    assert "My old boss" in page


def test_autosave_makes_a_draft_then_keeps_updating_the_same_entry(login, writer):
    client = login(writer)

    first = client.post(
        workbook_url(1), {"kind": "writing", "writing-text": "It took away", "autosave": "1"}
    ).json()
    again = client.post(
        first["action"], {"writing-text": "It took away my choice", "autosave": "1"}
    ).json()

    assert first["saved"] and again["entry"] == first["entry"]
    entry = WorkbookEntry.objects.get()
    assert entry.is_draft and entry.content == {"text": "It took away my choice"}
    page = client.get(workbook_url(1)).content.decode()
    assert "It took away my choice</textarea>" in page  # reload: the draft is back in the box
    assert "Draft" in page


def test_an_empty_autosave_stores_nothing(login, writer):
    answer = login(writer).post(
        workbook_url(1), {"kind": "writing", "writing-text": "   ", "autosave": "1"}
    )

    assert answer.json() == {"saved": False}
    assert not WorkbookEntry.objects.exists()


def test_saving_a_draft_makes_it_an_entry_and_it_stays_editable_by_its_writer(login, writer):
    draft = save_entry(
        member=writer, step=1, kind=EntryKind.WRITING, content={"text": "first"}, draft=True
    )
    client = login(writer)

    client.post(draft.get_absolute_url(), {"writing-text": "first, then more"})
    page = client.get(draft.get_absolute_url()).content.decode()

    draft.refresh_from_db()
    assert not draft.is_draft and draft.content == {"text": "first, then more"}
    assert "first, then more" in page
    assert draft.updated_at >= draft.created_at


def test_another_member_cannot_open_edit_delete_or_autosave_into_an_entry(client, writer):
    entry = save_entry(member=writer, step=4, kind=EntryKind.FEAR, content={"who_what": "mine"})
    client.force_login(make_member(step=4))
    url = entry.get_absolute_url()

    assert client.get(url).status_code == 404
    assert client.post(url, {"fear-who_what": "theirs"}).status_code == 404
    assert client.post(url + "delete/").status_code == 404
    assert client.post(workbook_url(4), {"kind": "fear", "entry": entry.pk}).status_code == 404
    entry.refresh_from_db()
    assert entry.content == {"who_what": "mine"}


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "writing", "writing-text": "x" * 20_001},
        {"kind": "no-such-sheet", "writing-text": "hello"},
        {"kind": "amends", "amends-person": "Mum"},  # an amends row belongs to Step 9
        {"kind": "step_reflection", "step_reflection-text": "sneaky"},
    ],
)
def test_bad_input_is_refused_with_a_4xx_and_stores_nothing(login, writer, data):
    response = login(writer).post(workbook_url(1), data)

    assert 400 <= response.status_code < 500 or response.status_code == 302
    assert not WorkbookEntry.objects.exists()


def test_an_unknown_step_is_a_404(login, writer):
    assert login(writer).get(workbook_url(13)).status_code == 404


def test_deleting_an_entry_removes_it(login, writer):
    entry = save_entry(member=writer, step=1, kind=EntryKind.WRITING, content={"text": "gone"})

    login(writer).post(reverse("accounts:workbook_entry_delete", args=[1, entry.pk]))

    assert not WorkbookEntry.objects.exists()


def test_the_daily_check_in_lands_in_the_step_10_workbook(login, writer):
    client = login(writer)

    client.post(
        reverse("accounts:check_in"),
        {
            "check_in-feeling": "4",
            "check_in-grateful": "A dry morning",
            "check_in-differently": "Call back sooner",
        },
    )

    entry = WorkbookEntry.objects.get(member=writer)
    assert (entry.step, entry.kind) == (10, "check_in")
    assert entry.content["feeling"] == "4"
    assert "A dry morning" in client.get(workbook_url(10)).content.decode()


def test_a_check_in_with_a_made_up_feeling_is_refused(login, writer):
    response = login(writer).post(reverse("accounts:check_in"), {"check_in-feeling": "11"})

    assert response.status_code == 400
    assert not WorkbookEntry.objects.exists()


def test_the_workbook_page_costs_no_more_than_a_topic_page_and_does_not_grow(
    login, writer, guide, mentorship, django_assert_max_num_queries
):
    from accounts.actions.workbook import share_entry, share_step, write_share_note
    from tests.forum.boards.test_query_counts import MAX_QUERIES as TOPIC_PAGE_BUDGET

    client = login(writer)
    fear = save_entry(member=writer, step=4, kind=EntryKind.FEAR, content={"who_what": "heights"})
    write_share_note(mentor=guide, share=share_entry(member=writer, entry=fear), note="Brave.")
    share_step(member=writer, step=4)
    client.get("/steps/")  # warm caches that are not this page's concern, as the topic test does
    with django_assert_max_num_queries(TOPIC_PAGE_BUDGET) as few:
        assert client.get(workbook_url(4)).status_code == 200
    small = len(few)  # read now: the next request resets the query log
    for n in range(15):
        save_entry(member=writer, step=4, kind=EntryKind.HARM, content={"who_what": f"p{n}"})
    with django_assert_max_num_queries(small):
        assert client.get(workbook_url(4)).status_code == 200
