"""What makes a pseudonym acceptable, and how a free one is suggested at signup.

Pseudonyms are ASCII only: look-alike letters from other scripts would let one member pose as
another (``QuietHarbor`` written with a Cyrillic "a"). Within ASCII, the rules look through the
usual disguises before checking: separators and camelCase split words (``john_at_gmail_dot_com``,
``JohnAtGmail``), and look-alike letters and digits are read as what they imitate (``ADMlN``,
``m0derator``, ``0utl00k``) — see ``skeleton``.
"""

from __future__ import annotations

import re
import secrets
from itertools import pairwise

from django.core.exceptions import ValidationError

MIN_LENGTH = 3
MAX_LENGTH = 30

_ALLOWED = re.compile(r"^[A-Za-z0-9_.\-]+$")
_SEPARATORS = re.compile(r"[_.\-\s]+")
_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
# Digits and letters read as the letter they imitate; "l" and "1" both as "i", like "I".
_LOOKALIKES = str.maketrans(
    {"0": "o", "1": "i", "l": "i", "!": "i", "|": "i", "3": "e", "4": "a", "5": "s", "$": "s",
     "7": "t", "8": "b", "9": "g", "@": "a"}
)  # fmt: skip
_MAIL_PROVIDERS = ("gmail", "googlemail", "hotmail", "yahoo", "outlook", "icloud", "protonmail",
                   "yandex", "gmx")  # fmt: skip
_MAIL_PROVIDER_WORDS = frozenset({"aol", "msn", "proton", "mailru"})
_TOP_LEVEL_DOMAINS = ("com", "net", "org", "info", "biz", "io", "co", "uk", "de", "fr", "nl",
                      "ru", "me", "app", "dev", "ly", "gg", "tv", "xyz", "site", "online")  # fmt: skip
_EMAIL_LIKE = re.compile(r"@|\bat\b.*\bdot\b", re.IGNORECASE)
_URL_LIKE = re.compile(
    r"(^|[._\-])(https?|www)([._\-]|$)|^https?|^www\.|"
    rf"\.({'|'.join(_TOP_LEVEL_DOMAINS)})$",
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


def skeleton(text: str) -> str:
    """What ``text`` reads as: lower case, look-alikes replaced ("rn" reads as "m")."""
    return text.lower().translate(_LOOKALIKES).replace("rn", "m").replace("vv", "w")


def words(pseudonym: str) -> list[str]:
    """The words a reader sees, split at separators and camelCase, as skeletons."""
    parts = _SEPARATORS.split(_CAMEL_BOUNDARY.sub(" ", pseudonym))
    return [skeleton(part) for part in parts if part]


def _normalized(pseudonym: str) -> str:
    return skeleton(_SEPARATORS.sub("", pseudonym))


_RESERVED_SKELETONS = frozenset(skeleton(name) for name in RESERVED)
_RESERVED_PREFIX_SKELETONS = tuple(skeleton(prefix) for prefix in _RESERVED_PREFIXES)
_MAIL_PROVIDER_SKELETONS = tuple(skeleton(name) for name in _MAIL_PROVIDERS)
_MAIL_PROVIDER_WORD_SKELETONS = frozenset(skeleton(name) for name in _MAIL_PROVIDER_WORDS)
_AT, _DOT = skeleton("at"), skeleton("dot")


def _spells_out_an_address(said: list[str]) -> bool:
    """``john at example dot com``: "at" with a later "dot", or a mail provider's name."""
    if _AT in said and _DOT in said[said.index(_AT) + 1 :]:
        return True
    return any(word in _MAIL_PROVIDER_WORD_SKELETONS for word in said) or any(
        provider in "".join(said) for provider in _MAIL_PROVIDER_SKELETONS
    )


_TOP_LEVEL_DOMAIN_SKELETONS = frozenset(skeleton(tld) for tld in _TOP_LEVEL_DOMAINS)


def _spells_out_a_link(said: list[str]) -> bool:
    """``example dot com``, ``my-site-com`` (only "com": ``Safety_Net`` is a fine name)."""
    spelled_dot = any(
        word == _DOT and following in _TOP_LEVEL_DOMAIN_SKELETONS
        for word, following in pairwise(said)
    )
    return spelled_dot or (len(said) > 1 and said[-1] == skeleton("com"))


def validate_length(pseudonym: str) -> None:
    if not MIN_LENGTH <= len(pseudonym) <= MAX_LENGTH:
        raise ValidationError(
            f"A pseudonym is {MIN_LENGTH} to {MAX_LENGTH} characters long.", code="length"
        )


def validate_not_email(pseudonym: str) -> None:
    if _EMAIL_LIKE.search(pseudonym) or _spells_out_an_address(words(pseudonym)):
        raise ValidationError(
            "That looks like an email address. Pick a name that does not identify you.",
            code="email_like",
        )


def validate_not_url(pseudonym: str) -> None:
    if _URL_LIKE.search(pseudonym) or _spells_out_a_link(words(pseudonym)):
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
    if normalized in _RESERVED_SKELETONS or normalized.startswith(_RESERVED_PREFIX_SKELETONS):
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
