"""Settings for the test suite: same backends as configured by the environment, fast hashing."""

from .base import *  # noqa: F403
from .base import STORAGES, VAR_DIR, WORKBOOK_KEYS
from .env import env_str
from .secret import local_workbook_key

SECRET_KEY = env_str("SECRET_KEY", "tests-only-not-a-secret")
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WHITENOISE_AUTOREFRESH = True

VAR_DIR.mkdir(parents=True, exist_ok=True)  # the default SQLite file lives here
WORKBOOK_KEYS = WORKBOOK_KEYS or [local_workbook_key(VAR_DIR)]
