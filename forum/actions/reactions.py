"""Reactions: "thank you", "me too", "sending strength". One of each per member per post."""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from forum import ratelimits
from forum.actions.posts import PostingError
from forum.caching import invalidate_visitor_pages_on_commit
from forum.models import Post, Reaction, ReactionKind
from forum.models.posts import REACTION_COUNT_FIELDS
from forum.permissions.posts import check_can_react


def _limit() -> ratelimits.Limit:
    return ratelimits.Limit(settings.HOMEGROUP["REACTIONS_PER_MINUTE"], 60)


def check_toggle_reaction(*, member, post: Post, kind: str) -> str:
    check_can_react(member, post=post)
    if kind not in ReactionKind.values:
        raise PostingError("Unknown reaction.")
    if ratelimits.is_limited(
        "reaction",
        member.pk,
        _limit(),
        recent=ratelimits.writes_since(Reaction.objects.filter(member=member)),
    ):
        raise PostingError("That is a lot of reactions in a minute. Please wait a moment.")
    return kind


def do_toggle_reaction(*, member, post: Post, kind: str) -> bool:
    count_field = REACTION_COUNT_FIELDS[kind]
    with transaction.atomic():
        removed, _ = Reaction.objects.filter(post=post, member=member, kind=kind).delete()
        if removed:
            Post.objects.filter(pk=post.pk, **{f"{count_field}__gt": 0}).update(
                **{count_field: F(count_field) - 1}
            )
            now_on = False
        else:
            try:
                with transaction.atomic():
                    Reaction.objects.create(post=post, member=member, kind=kind)
            except IntegrityError:  # a double click raced us; the reaction is there
                return True
            Post.objects.filter(pk=post.pk).update(**{count_field: F(count_field) + 1})
            now_on = True
        invalidate_visitor_pages_on_commit()
    ratelimits.record("reaction", member.pk, _limit())
    return now_on


def toggle_reaction(*, member, post: Post, kind: str) -> bool:
    """Add the reaction, or take it back if already given. Returns whether it is on now."""
    kind = check_toggle_reaction(member=member, post=post, kind=kind)
    return do_toggle_reaction(member=member, post=post, kind=kind)
