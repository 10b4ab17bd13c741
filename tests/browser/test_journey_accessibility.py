"""axe-core on every page the step journey added, at phone (390 px) and desktop (1280 px) widths:
no serious or critical violation. (The audit itself is proven able to fail in
tests/browser/test_accessibility.py.)"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from accounts.actions.journey import ask_mentor_first, move_to_step
from accounts.actions.mentoring import accept_request, request_mentor
from accounts.actions.workbook import save_entry, share_step
from accounts.models import EntryKind
from tests.browser.helpers import established_member, mentor, off_loop
from tests.browser.test_accessibility import audit, axe_source  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.fixture
def journey_world():
    guide = mentor("AuditGuide")
    member = established_member(
        "AuditWalker", current_step=3, clean_date=timezone.localdate() - datetime.timedelta(30)
    )
    off_loop(move_to_step, member=member, to_step=4, reflection="I decided to let go.")
    entry = off_loop(
        save_entry,
        member=member,
        step=4,
        kind=EntryKind.RESENTMENT,
        content={"who_what": "The landlord", "my_part": "I paid late."},
    )
    off_loop(save_entry, member=member, step=10, kind=EntryKind.CHECK_IN, content={"feeling": "3"})
    ask = off_loop(request_mentor, mentee=member, mentor=guide, message="Would you guide me?")
    mentorship = off_loop(accept_request, mentor=guide, request=ask)
    off_loop(share_step, member=member, step=4)
    off_loop(ask_mentor_first, member=member, reflection="The inventory is written.")
    sharer = established_member("AuditSharer", current_step=11)
    off_loop(move_to_step, member=sharer, to_step=12, reflection="Prayer in the mornings.")
    newcomer = established_member("AuditNewcomer", current_step=1)
    return {
        "member": member,
        "guide": guide,
        "sharer": sharer,
        "newcomer": newcomer,
        "entry": entry,
        "mentorship": mentorship,
    }


def test_every_new_page_has_no_serious_or_critical_violation_on_phone_and_desktop(
    open_page,
    journey_world,
    axe_source,  # noqa: F811 - the fixture imported above
    record_property,
):
    w = journey_world
    pages = {
        "member": [
            "/",
            "/steps/",
            "/steps/4/",
            "/steps/4/workbook/",
            "/steps/8/workbook/",
            "/steps/9/workbook/",
            "/steps/10/workbook/",
            "/steps/11/workbook/",
            f"/steps/4/workbook/{w['entry'].pk}/",
            "/steps/4/move-on/",
            "/clean-date/",
            "/clean-date/?started=again",
            "/check-in/",
        ],
        "newcomer": ["/welcome/", "/steps/1/move-on/", "/steps/1/workbook/"],
        "guide": [f"/mentoring/{w['mentorship'].pk}/workbook/"],
        "sharer": ["/boards/step-12/new/?kind=message", "/steps/12/workbook/"],
    }
    results: dict[str, list[dict]] = {}
    audited = 0
    for width in (390, 1280):
        for who, paths in pages.items():
            page, problems = open_page(member=w[who], width=width)
            for path in paths:
                response = page.goto(path)
                assert response.status == 200, (who, path, response.status)
                found = audit(page, axe_source)
                audited += 1
                if found:
                    results[f"{path} as {who} at {width}px"] = found
            problems.assert_clean()
            page.context.close()
    print(f"axe-core: {audited} journey page audits, serious/critical on {len(results)}")
    record_property("axe_journey_page_audits", audited)
    assert results == {}
