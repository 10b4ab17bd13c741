"""What makes a pseudonym acceptable, and how a free one is suggested at signup.

Pseudonyms are ASCII only: look-alike letters from other scripts would let one member pose as
another (``QuietHarbor`` written with a Cyrillic "a").
"""

from __future__ import annotations

import re
import secrets

from django.core.exceptions import ValidationError

MIN_LENGTH = 3
MAX_LENGTH = 30

_ALLOWED = re.compile(r"^[A-Za-z0-9_.\-]+$")
_EMAIL_LIKE = re.compile(r"@|\bat\b.*\bdot\b", re.IGNORECASE)
_URL_LIKE = re.compile(
    r"(^|[._\-])(https?|www)([._\-]|$)|^https?|^www\.|"
    r"\.(com|net|org|info|biz|io|co|uk|de|fr|nl|ru|me|app|dev|ly|gg|tv|xyz|site|online)$",
    re.IGNORECASE,
)
_PHONE_LIKE = re.compile(r"\d")

RESERVED = frozenset(
    {
        "admin",
        "administrator",
        "root",
        "moderator",
        "mod",
        "mods",
        "staff",
        "support",
        "homegroup",
        "system",
        "anonymous",
        "anonymousmember",
        "formermember",
        "deletedmember",
        "deleted",
        "member",
        "mentor",
        "sponsor",
        "official",
        "help",
        "crisis",
        "null",
        "none",
    }
)
_RESERVED_PREFIXES = ("admin", "moderator", "homegroup", "staff", "system", "formermember")

ADJECTIVES = (
    "Quiet",
    "Steady",
    "Gentle",
    "Hopeful",
    "Brave",
    "Calm",
    "Kind",
    "Patient",
    "Bright",
    "Humble",
    "Honest",
    "Willing",
    "Open",
    "Clear",
    "Warm",
    "Still",
    "Sober",
    "Grateful",
)
NOUNS = (
    "Harbor",
    "Lantern",
    "River",
    "Meadow",
    "Willow",
    "Compass",
    "Morning",
    "Cedar",
    "Harvest",
    "Sparrow",
    "Garden",
    "Bridge",
    "Beacon",
    "Orchard",
    "Anchor",
    "Trail",
    "Hearth",
    "Tide",
)


def _normalized(pseudonym: str) -> str:
    return re.sub(r"[_.\-]", "", pseudonym).lower()


def validate_length(pseudonym: str) -> None:
    if not MIN_LENGTH <= len(pseudonym) <= MAX_LENGTH:
        raise ValidationError(
            f"A pseudonym is {MIN_LENGTH} to {MAX_LENGTH} characters long.", code="length"
        )


def validate_not_email(pseudonym: str) -> None:
    if _EMAIL_LIKE.search(pseudonym):
        raise ValidationError(
            "That looks like an email address. Pick a name that does not identify you.",
            code="email_like",
        )


def validate_not_url(pseudonym: str) -> None:
    if _URL_LIKE.search(pseudonym):
        raise ValidationError(
            "That looks like a web address. Pick a name that is not a link.", code="url_like"
        )


def validate_not_phone(pseudonym: str) -> None:
    digits = len(_PHONE_LIKE.findall(pseudonym))
    if digits >= 7:
        raise ValidationError(
            "That looks like a phone number. Pick a name that does not identify you.",
            code="phone_like",
        )


def validate_characters(pseudonym: str) -> None:
    if not _ALLOWED.match(pseudonym):
        raise ValidationError(
            "Use only letters (A-Z), digits and the characters _ - . in a pseudonym.",
            code="characters",
        )


def validate_not_reserved(pseudonym: str) -> None:
    normalized = _normalized(pseudonym)
    if normalized in RESERVED or normalized.startswith(_RESERVED_PREFIXES):
        raise ValidationError(
            "That name is reserved, so members are never confused about who is speaking. "
            "Please pick another.",
            code="reserved",
        )


# Order matters: the most specific explanation wins (an email address also has a bad character).
PSEUDONYM_VALIDATORS = [
    validate_length,
    validate_not_email,
    validate_not_url,
    validate_not_phone,
    validate_characters,
    validate_not_reserved,
]


def validate_pseudonym(pseudonym: str) -> None:
    for validator in PSEUDONYM_VALIDATORS:
        validator(pseudonym)


def suggest_pseudonym(*, is_taken, attempts: int = 50) -> str:
    """Return a valid pseudonym such as ``QuietHarbor42`` for which ``is_taken`` says False."""
    for _ in range(attempts):
        candidate = (
            f"{secrets.choice(ADJECTIVES)}{secrets.choice(NOUNS)}{secrets.randbelow(90) + 10}"
        )
        if not is_taken(candidate):
            return candidate
    return f"{secrets.choice(ADJECTIVES)}{secrets.choice(NOUNS)}{secrets.token_hex(3)}"
