"""Journey: a person joins with only a pseudonym and walks to Step 2, in a real browser."""

import pytest

from accounts.models import User

pytestmark = pytest.mark.browser


def test_a_person_signs_up_with_a_pseudonym_only_and_moves_to_step_2(open_page, screenshot):
    page, problems = open_page()

    page.goto("/")
    page.get_by_role("link", name="Join with just a pseudonym").first.click()
    page.get_by_label("Pseudonym").fill("BraveLantern7")
    page.get_by_label("Password", exact=True).fill("a-long-quiet-passphrase")
    page.get_by_label("Password (again)").fill("a-long-quiet-passphrase")
    page.get_by_role("button", name="Join").click()
    page.goto("/me/")
    assert page.get_by_text("You are on Step 1").is_visible()
    page.get_by_role("button", name="I'm moving on to Step 2").click()

    assert page.get_by_text("You are now on Step 2.").is_visible()
    member = User.objects.get(username="BraveLantern7")
    assert member.current_step == 2
    assert member.email == ""
    screenshot(page, "me-step-2")
    assert problems.dialogs == [] and problems.page_errors == [] and problems.console_errors == []
