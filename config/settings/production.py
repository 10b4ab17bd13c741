"""Production: DEBUG off, secrets and hosts from the environment, HTTPS assumed at the proxy."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .env import env_bool, env_int, env_list, env_str

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment for production.")
WORKBOOK_KEYS = env_list("WORKBOOK_KEYS", [])
if not WORKBOOK_KEYS:
    raise ImproperlyConfigured(
        "WORKBOOK_KEYS must be set in the environment for production (a Fernet key: "
        "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')."
    )

# Mail carries recovery addresses and live reset links: these backends would write them to the
# server's output or disk, or drop them.
LOCAL_EMAIL_BACKENDS = {
    f"django.core.mail.backends.{name}.EmailBackend"
    for name in ("console", "filebased", "locmem", "dummy")
}
EMAIL_BACKEND = env_str("EMAIL_BACKEND")
if not EMAIL_BACKEND or EMAIL_BACKEND in LOCAL_EMAIL_BACKENDS:
    raise ImproperlyConfigured(
        "EMAIL_BACKEND must be set in the environment for production to a backend that sends "
        "mail (e.g. django.core.mail.backends.smtp.EmailBackend with EMAIL_HOST); the console, "
        "file, locmem and dummy backends are refused."
    )

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
