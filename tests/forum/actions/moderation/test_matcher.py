"""The one matcher for watched words and crisis phrases: whole words, any letter case."""

import pytest

from forum.actions.safety import ContentBlocked, check_text, screen_text
from forum.models import CrisisPhrase, WatchedWord

pytestmark = pytest.mark.django_db


@pytest.fixture
def lists():
    CrisisPhrase.objects.all().delete()
    WatchedWord.objects.create(word="scam", mode=WatchedWord.Mode.BLOCK)
    WatchedWord.objects.create(word="buy now", mode=WatchedWord.Mode.REVIEW)
    CrisisPhrase.objects.create(phrase="end it all")


@pytest.mark.parametrize(
    "text",
    ["This is a SCAM.", "scam", "(scam)", "Scam, scam!", "a\nscam\n", "it's a sCaM"],
)
def test_a_blocked_word_matches_as_a_whole_word_in_any_case(lists, text):
    assert screen_text(text).blocked == ("scam",)


@pytest.mark.parametrize("text", ["scammer", "scams", "ascam", "s c a m", "sc-am", ""])
def test_a_word_inside_another_word_does_not_match(lists, text):
    assert screen_text(text).blocked == ()


def test_a_phrase_matches_across_any_whitespace_and_case(lists):
    assert screen_text("Please BUY\n  now!").review == ("buy now",)
    assert screen_text("I want to End   it all").crisis == ("end it all",)


def test_a_phrase_does_not_match_when_its_words_are_apart(lists):
    assert screen_text("buy it now").review == ()
    assert screen_text("the end of it all").crisis == ()


def test_check_text_refuses_a_blocked_word_and_names_it(lists):
    with pytest.raises(ContentBlocked) as refused:
        check_text("A fair title", "This is a scam")

    assert "\u201cscam\u201d" in refused.value.messages[0]


def test_a_title_and_a_body_are_both_screened(lists):
    screening = check_text("Buy now", "I feel like I could end it all")

    assert screening.needs_review and screening.is_crisis


def test_words_with_regex_characters_are_matched_literally(lists):
    WatchedWord.objects.create(word="c++", mode=WatchedWord.Mode.BLOCK)
    WatchedWord.objects.create(word="a.b", mode=WatchedWord.Mode.REVIEW)

    assert screen_text("I write c++ daily").blocked == ("c++",)
    assert screen_text("axb").review == ()


def test_unicode_text_matches_case_insensitively(lists):
    WatchedWord.objects.create(word="Ärger", mode=WatchedWord.Mode.REVIEW)

    assert screen_text("so viel ÄRGER heute").review == ("Ärger",)
    assert screen_text("Ärgernis").review == ()


def test_the_seeded_crisis_phrases_are_there():
    assert CrisisPhrase.objects.filter(phrase__iexact="kill myself").exists()
