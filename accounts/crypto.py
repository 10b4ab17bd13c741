"""Encryption at rest for what a member writes for themself alone (the step workbook).

Keys come from the environment (``WORKBOOK_KEYS``, comma-separated Fernet keys, newest first):
``MultiFernet`` encrypts with the first and decrypts with any, so keys can rotate
(``manage.py rotate_workbook_keys`` re-encrypts every row with the newest key, after which the
old keys can go). A database dump or a backup holds only tokens.
"""

from __future__ import annotations

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("WORKBOOK_KEYS must hold at least one Fernet key.")
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as error:
        raise ImproperlyConfigured("WORKBOOK_KEYS holds a key that is not a Fernet key.") from error


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.WORKBOOK_KEYS))


def encrypt(text: str) -> str:
    return fernet().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as error:
        raise ImproperlyConfigured(
            "A workbook entry cannot be decrypted with any key in WORKBOOK_KEYS."
        ) from error


def generate_key() -> str:
    return Fernet.generate_key().decode("ascii")
