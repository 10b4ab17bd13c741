"""Pseudonyms offered by the @mention autocomplete: nothing but the pseudonym ever leaves."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower

from accounts.models import Block, User
from accounts.pseudonyms import MAX_LENGTH

SUGGESTIONS = 8


def clean_prefix(raw: str | None) -> str:
    prefix = (raw or "").strip().lstrip("@")
    return prefix if 0 < len(prefix) <= MAX_LENGTH and "\x00" not in prefix else ""


def mention_suggestions(*, viewer, prefix: str, limit: int = SUGGESTIONS) -> list[str]:
    """Active members whose pseudonym starts with ``prefix`` (any case), never the viewer, a
    member the viewer blocked or a member who blocked the viewer."""
    prefix = clean_prefix(prefix)
    if not prefix:
        return []
    blocks = Block.objects.filter(
        Q(blocker_id=viewer.pk, blocked_id=OuterRef("pk"))
        | Q(blocker_id=OuterRef("pk"), blocked_id=viewer.pk)
    )
    return list(
        User.objects.annotate(pseudonym_lower=Lower("username"))
        .filter(is_active=True, pseudonym_lower__startswith=prefix.lower())
        .exclude(pk=viewer.pk)
        .filter(~Exists(blocks))
        .order_by("pseudonym_lower")
        .values_list("username", flat=True)[:limit]
    )
