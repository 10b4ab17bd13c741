"""The embedded default for a newcomer's machine: SQLite, in-memory channel layer, DEBUG on."""

from .base import *  # noqa: F403
from .base import VAR_DIR, WORKBOOK_KEYS
from .env import env_bool, env_str
from .secret import local_secret_key, local_workbook_key

DEBUG = env_bool("DEBUG", True)
WHITENOISE_AUTOREFRESH = DEBUG
SECRET_KEY = env_str("SECRET_KEY") or local_secret_key(VAR_DIR)
# Local development only: mail, reset links included, is printed to the terminal.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
WORKBOOK_KEYS = WORKBOOK_KEYS or [local_workbook_key(VAR_DIR)]
VAR_DIR.mkdir(parents=True, exist_ok=True)
