"""Settings shared by every environment; each value can be set from the environment."""

from __future__ import annotations

from pathlib import Path

from csp.constants import NONE, SELF

from .env import database_from_url, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("HOMEGROUP_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "channels",
    "allauth",
    "allauth.account",
    "allauth.usersessions",
    "accounts",
    "forum",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.RejectNulInAddressMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, using the member's keys read with the session (accounts/sessions.py).
    "accounts.sessions.AuthenticationMiddleware",
    "accounts.banned.BannedMemberMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # allauth's UserSessionsMiddleware is not listed: all it does is record each session's
    # activity, which USERSESSIONS_TRACK_ACTIVITY turns off. Sessions are recorded at login.
    "config.middleware.ContentSecurityPolicyMiddleware",
    "forum.caching.InvalidateVisitorPagesMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                # {% csrf_token %}: Django's token, masked once a request (config/csrf.py).
                "config.csrf.csrf",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "forum.context_processors.site",
            ],
        },
    }
]

DATABASES = {
    "default": database_from_url(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'homegroup.sqlite3'}"), base_dir=BASE_DIR
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            # Redis down reads as a cache miss (config/cache.py): pages keep working.
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "hg"),
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    # Sessions are read from Redis on every request and written through to the database; a
    # session ended anywhere (logout, a ban) is deleted from both. Without Redis they are read
    # from the database. Django's cached_db, reading the member in the session's round trip.
    SESSION_ENGINE = "accounts.sessions"
    # CHANNEL_LAYER=pubsub picks channels_redis's RedisPubSubChannelLayer (see docs/benchmarks.md).
    if env_str("CHANNEL_LAYER", "core") == "pubsub":
        CHANNEL_LAYERS = {
            "default": {
                "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
                "CONFIG": {
                    "hosts": [REDIS_URL],
                    "prefix": env_str("CHANNEL_LAYER_PREFIX", "hg:asgi"),
                },
            }
        }
    else:
        CHANNEL_LAYERS = {
            "default": {
                "BACKEND": "channels_redis.core.RedisChannelLayer",
                "CONFIG": {
                    "hosts": [REDIS_URL],
                    "prefix": env_str("CHANNEL_LAYER_PREFIX", "hg:asgi"),
                    "capacity": 1500,
                    "expiry": 30,
                },
            }
        }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # The one that authenticates (a failed login costs one hash) and reads permissions in one
    # query; the other two stay listed only so sessions they started remain valid.
    "accounts.backends.OneQueryPermissionsBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# django-allauth: a pseudonym and a password are enough; the email is optional and only for recovery.
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
SIGNUP_OPEN = env_bool("SIGNUP_OPEN", True)
ACCOUNT_FORMS = {
    "login": "accounts.forms.LoginForm",
    "signup": "accounts.forms.SignupForm",
    "reset_password": "accounts.forms.ResetPasswordForm",
}
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PRESERVE_USERNAME_CASING = True
ACCOUNT_USERNAME_MIN_LENGTH = 1  # our own validators explain length limits
ACCOUNT_USERNAME_VALIDATORS = "accounts.pseudonyms.PSEUDONYM_VALIDATORS"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_RATE_LIMITS_ENABLED = env_bool("ACCOUNT_RATE_LIMITS_ENABLED", True)
ACCOUNT_RATE_LIMITS = {
    # Failed logins (accounts/login_limits.py): per network; per pseudonym and network; per
    # pseudonym from anywhere, slower; on a device the member logged in from, only per device.
    "login_failed": "10/m/ip",
    "login_failed_network": "5/5m/key",
    "login_failed_pseudonym": "30/h/key",
    "login_failed_known_device": "10/5m/key",
    # allauth's cap on every login form post per network would let a stranger sharing the
    # member's network (a clinic's wifi) lock them out; failures are what the limits above count.
    "login": "",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "change_password": "5/m/user",
}
if not ACCOUNT_RATE_LIMITS_ENABLED:
    ACCOUNT_RATE_LIMITS = False
USERSESSIONS_TRACK_ACTIVITY = False  # turning it on needs allauth's UserSessionsMiddleware
# Behind nginx (deploy/), allauth's per-address rate limits read X-Forwarded-For from one proxy.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Everything is served from this site: no inline scripts or styles, no third parties, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Fernet keys for the private step workbook, newest first (accounts/crypto.py). Production
# refuses to start without one; local and test settings generate one into var/.
WORKBOOK_KEYS = env_list("WORKBOOK_KEYS", [])

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Production refuses a backend that only writes mail somewhere local (see production.py).
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Homegroup <no-reply@localhost>")

DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # No recovery address or reset key reaches a log, whatever logger wrote it.
    "filters": {"redact": {"()": "config.log_redaction.RedactPrivateData"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    "loggers": {
        # uvicorn writes an ASGI application's uncaught exceptions through its own handler.
        "uvicorn.error": {"filters": ["redact"]},
        # Django's default "django" handler printed every line a second time on its way to root.
        "django": {"handlers": [], "propagate": True},
    },
}

# Product rules that operators may tune.
HOMEGROUP = {
    "CARRY_MESSAGE_STEP": 12,
    "MENTOR_MIN_ACCOUNT_DAYS": env_int("MENTOR_MIN_ACCOUNT_DAYS", 30),
    "NEWCOMER_DAYS": env_int("NEWCOMER_DAYS", 7),
    # Moderation: a new account's first posts wait for approval; content reported by this many
    # distinct members is hidden until a moderator reviews it.
    "NEW_MEMBER_QUEUED_POSTS": env_int("NEW_MEMBER_QUEUED_POSTS", 2),
    "REPORT_HIDE_THRESHOLD": env_int("REPORT_HIDE_THRESHOLD", 3),
    # Only reporters with standing count toward that threshold: an account this many days old
    # with this many published posts or chat messages. A member sends at most REPORTS_PER_HOUR
    # reports; REPORT_HIDE_THRESHOLD reports on one item within an hour from accounts without
    # standing put a "burst of reports" flag in the queue instead of hiding anything.
    "REPORT_STANDING_DAYS": env_int("REPORT_STANDING_DAYS", 7),
    "REPORT_STANDING_POSTS": env_int("REPORT_STANDING_POSTS", 3),
    "REPORTS_PER_HOUR": env_int("REPORTS_PER_HOUR", 10),
    # Boards: per-member write limits (count per window in seconds); stricter on the first day.
    "TOPICS_PER_HOUR": env_int("TOPICS_PER_HOUR", 5),
    "TOPICS_PER_HOUR_FIRST_DAY": env_int("TOPICS_PER_HOUR_FIRST_DAY", 2),
    "POST_INTERVAL_SECONDS": env_int("POST_INTERVAL_SECONDS", 10),
    "POST_INTERVAL_SECONDS_FIRST_DAY": env_int("POST_INTERVAL_SECONDS_FIRST_DAY", 30),
    "REACTIONS_PER_MINUTE": env_int("REACTIONS_PER_MINUTE", 30),
    "TOPICS_PER_PAGE": 30,
    "POSTS_PER_PAGE": 20,
    # Chat: at most CHAT_RATE_LIMIT messages per CHAT_RATE_WINDOW seconds per member (all rooms,
    # all server processes); sockets re-join their groups, refresh presence and catch up from the
    # database every CHAT_HEARTBEAT_SECONDS; a connection missing heartbeats for
    # CHAT_PRESENCE_TTL seconds no longer counts as present.
    "CHAT_RATE_LIMIT": env_int("CHAT_RATE_LIMIT", 5),
    "CHAT_RATE_WINDOW": env_int("CHAT_RATE_WINDOW", 5),
    "CHAT_HEARTBEAT_SECONDS": env_int("CHAT_HEARTBEAT_SECONDS", 10),
    "CHAT_PRESENCE_TTL": env_int("CHAT_PRESENCE_TTL", 35),
    # Each process tells members who joined or left at most once per CHAT_PRESENCE_SECONDS.
    "CHAT_PRESENCE_SECONDS": env_int("CHAT_PRESENCE_SECONDS", 1),
    # Open sockets (chat and notifications) per member across all processes; opening one more
    # closes the oldest with code 4429 (forum/realtime/socket_limit.py).
    "SOCKETS_PER_MEMBER": env_int("SOCKETS_PER_MEMBER", 10),
    # Meetings: accounts younger than this many days always wait in a meeting's lobby (0: off).
    "MEETING_LOBBY_NEW_ACCOUNT_DAYS": env_int("MEETING_LOBBY_NEW_ACCOUNT_DAYS", 0),
    # Each process reads a meeting's state and sends it to its sockets at most once per this
    # many milliseconds, however many changes rang meanwhile (shares are not held back).
    "MEETING_STATE_MS": env_int("MEETING_STATE_MS", 250),
    # Public pages rendered for visitors are cached until content changes (forum/caching.py);
    # this is only the backstop lifetime. 0 turns the cache off.
    "VISITOR_PAGE_CACHE_SECONDS": env_int("VISITOR_PAGE_CACHE_SECONDS", 60),
    # Rendered post and topic-row blocks shared between members whose rows print the same
    # (forum/fragments.py); keyed by what they show, so this is only how long an unused one is
    # kept. 0 renders every block each time.
    "MEMBER_BLOCK_CACHE_SECONDS": env_int("MEMBER_BLOCK_CACHE_SECONDS", 300),
    # Tradition 11: pages are noindex and robots.txt disallows crawling unless a group opens
    # its public boards to search engines. Profiles are never indexable.
    "INDEX_PUBLIC_BOARDS": env_bool("INDEX_PUBLIC_BOARDS", False),
}

# Crisis resources shown on /crisis/. Operators replace these with local services.
CRISIS_RESOURCES = [
    {
        "name": "Emergency services",
        "detail": "If you or someone else is in immediate danger, call your local emergency number (112 in Europe, 911 in North America, 999 in the UK).",
        "contact": "112 / 911 / 999",
    },
    {
        "name": "Samaritans (UK and Ireland)",
        "detail": "Someone to talk to, any time of day or night, about anything.",
        "contact": "116 123",
    },
    {
        "name": "988 Suicide & Crisis Lifeline (USA)",
        "detail": "Call or text, free and confidential, 24 hours a day.",
        "contact": "988",
    },
    {
        "name": "Find a helpline anywhere",
        "detail": "An international directory of free, confidential helplines.",
        "contact": "https://findahelpline.com",
    },
]

# The pseudonym is unique case-insensitively through a functional UniqueConstraint
# (accounts_user_pseudonym_ci_unique), which this check cannot see.
SILENCED_SYSTEM_CHECKS = ["auth.W004"]
