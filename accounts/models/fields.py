"""Model fields whose value is encrypted before it reaches the database (accounts/crypto.py)."""

from __future__ import annotations

import json

from django.db import models

from accounts import crypto


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token: lookups on it are meaningless, reading it needs the key."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(value)


class EncryptedJSONField(models.TextField):
    """A dict of short texts (a worksheet row), stored as one Fernet token of its JSON."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return {}
        return json.loads(crypto.decrypt(value))

    def to_python(self, value):
        if isinstance(value, dict):
            return value
        if not value:
            return {}
        return json.loads(value)

    def get_prep_value(self, value):
        return crypto.encrypt(json.dumps(value or {}, ensure_ascii=False))

    def value_to_string(self, obj):
        return json.dumps(self.value_from_object(obj), ensure_ascii=False)
