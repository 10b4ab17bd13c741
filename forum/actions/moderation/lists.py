"""The safety lists: watched words (block or review) and crisis phrases."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from accounts.models import User
from forum.actions.moderation.common import Action, write_audit
from forum.actions.safety import forget_lists
from forum.errors import ItemNotFound, ModerationError
from forum.models import CrisisPhrase, WatchedWord
from forum.permissions.moderation import check_can_manage_safety_lists


def clean_term(term: str, *, what: str) -> str:
    term = " ".join((term or "").replace("\x00", "").split())
    if not term:
        raise ModerationError(f"Please write the {what}.")
    if len(term) > 100:
        raise ModerationError(f"Please keep the {what} to 100 characters.")
    if not any(ch.isalnum() for ch in term):
        raise ModerationError(f"The {what} needs at least one letter or digit.")
    return term


def check_add_watched_word(*, moderator: User, word: str, mode: str) -> str:
    check_can_manage_safety_lists(moderator)
    word = clean_term(word, what="word")
    if mode not in WatchedWord.Mode.values:
        raise ModerationError("Choose block or review.")
    if WatchedWord.objects.filter(word__iexact=word).exists():
        raise ModerationError(f"\u201c{word}\u201d is already on the list.")
    return word


@transaction.atomic
def do_add_watched_word(*, moderator: User, word: str, mode: str) -> WatchedWord:
    watched = WatchedWord.objects.create(word=word, mode=mode, created_by=moderator)
    write_audit(
        moderator=moderator,
        action=Action.ADD_WATCHED_WORD,
        reason=f"Mode: {mode}",
        description=f"watched word \u201c{word}\u201d",
    )
    forget_lists()
    return watched


def add_watched_word(*, moderator: User, word: str, mode: str) -> WatchedWord:
    word = check_add_watched_word(moderator=moderator, word=word, mode=mode)
    try:
        return do_add_watched_word(moderator=moderator, word=word, mode=mode)
    except IntegrityError as duplicate:
        raise ModerationError(f"\u201c{word}\u201d is already on the list.") from duplicate


@transaction.atomic
def remove_watched_word(*, moderator: User, word_id: int) -> None:
    check_can_manage_safety_lists(moderator)
    watched = WatchedWord.objects.filter(pk=word_id).first()
    if watched is None:
        raise ItemNotFound("No such word.")
    write_audit(
        moderator=moderator,
        action=Action.REMOVE_WATCHED_WORD,
        reason=f"Mode was: {watched.mode}",
        description=f"watched word \u201c{watched.word}\u201d",
    )
    watched.delete()
    forget_lists()


def add_crisis_phrase(*, moderator: User, phrase: str) -> CrisisPhrase:
    check_can_manage_safety_lists(moderator)
    phrase = clean_term(phrase, what="phrase")
    if CrisisPhrase.objects.filter(phrase__iexact=phrase).exists():
        raise ModerationError(f"\u201c{phrase}\u201d is already on the list.")
    with transaction.atomic():
        row = CrisisPhrase.objects.create(phrase=phrase, created_by=moderator)
        write_audit(
            moderator=moderator,
            action=Action.ADD_CRISIS_PHRASE,
            reason="Added to the crisis list",
            description=f"crisis phrase \u201c{phrase}\u201d",
        )
        forget_lists()
    return row


@transaction.atomic
def remove_crisis_phrase(*, moderator: User, phrase_id: int) -> None:
    check_can_manage_safety_lists(moderator)
    row = CrisisPhrase.objects.filter(pk=phrase_id).first()
    if row is None:
        raise ItemNotFound("No such phrase.")
    write_audit(
        moderator=moderator,
        action=Action.REMOVE_CRISIS_PHRASE,
        reason="Removed from the crisis list",
        description=f"crisis phrase \u201c{row.phrase}\u201d",
    )
    row.delete()
    forget_lists()
