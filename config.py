"""Configuration classes. Every setting can be overridden by an environment variable."""

from __future__ import annotations

import os


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_str(name: str, default: str) -> str:
    return os.environ.get(name, "").strip() or default


class Config:
    # None: the factory puts a SQLite file in the instance folder.
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")
    # None: the factory generates one and keeps it in the instance folder.
    SECRET_KEY = os.environ.get("SECRET_KEY")
    HOST = os.environ.get("HOST", "127.0.0.1")
    PORT = int(os.environ.get("PORT", "5000"))
    REDIS_URL = os.environ.get("REDIS_URL")
    BASE_URL = os.environ.get("BASE_URL")  # e.g. https://subtext.example; used in e-mails
    # The authority of the feeds' entry ids (tag: URIs, RFC 4151): set once, never changed,
    # so feed readers never see an entry twice.
    FEED_ID_AUTHORITY = os.environ.get("FEED_ID_AUTHORITY", "subtext.example,2026")
    FEED_ENTRIES = 30

    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    MAX_CONTENT_LENGTH = 64 * 1024  # API.md: a whole request body at most 64 KiB
    WTF_CSRF_TIME_LIMIT = None  # tokens live as long as the session
    REMEMBER_COOKIE_DURATION = 60 * 60 * 24 * 30
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE

    PASSWORD_HASH_METHOD = "scrypt"  # werkzeug's: salted, memory-hard, slow
    PAGE_SIZE = 25
    REPLIES_PER_PAGE = 10  # top-level replies on a page of a thread, each with a bounded subtree

    RATELIMIT_ENABLED = _env_bool("RATELIMIT_ENABLED", True)
    # Counters live in memory (one process) unless REDIS_URL is set: then in Redis, shared
    # by every process and machine. If Redis stops answering, each process counts alone.
    RATELIMIT_STORAGE_URI = None  # the factory sets it from REDIS_URL (or memory://)
    RATELIMIT_STRATEGY = "moving-window"
    RATELIMIT_KEY_PREFIX = "subtext"
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    # The limits themselves (forum/limits.py applies them; README "Security" says why).
    # Each is "N per period" or several joined by ";", and each can be set in the
    # environment under the same name. Failed log-ins count three ways: from one address
    # (whatever the account), at one account from one address, and at one account from
    # anywhere, with a higher ceiling; the last never applies to an address the account
    # logged in from before (RATELIMIT_LOGIN_KNOWN_ADDRESS_DAYS), so a stranger's guesses
    # can't lock the owner out of their usual address.
    RATELIMIT_LOGIN_PER_ADDRESS = _env_str(
        "RATELIMIT_LOGIN_PER_ADDRESS", "6 per minute;30 per hour"
    )
    RATELIMIT_LOGIN_PER_ACCOUNT_AND_ADDRESS = _env_str(
        "RATELIMIT_LOGIN_PER_ACCOUNT_AND_ADDRESS", "6 per minute;20 per hour"
    )
    RATELIMIT_LOGIN_PER_ACCOUNT = _env_str(
        "RATELIMIT_LOGIN_PER_ACCOUNT", "30 per minute;100 per hour"
    )
    RATELIMIT_LOGIN_KNOWN_ADDRESS_DAYS = int(
        os.environ.get("RATELIMIT_LOGIN_KNOWN_ADDRESS_DAYS", "90")
    )
    # Wrong current passwords on the change-password and change-e-mail forms, per user.
    RATELIMIT_CURRENT_PASSWORD = _env_str("RATELIMIT_CURRENT_PASSWORD", "5 per minute;20 per hour")
    # Sign-up attempts, and accounts actually created, from one address.
    RATELIMIT_SIGNUP_ATTEMPTS_PER_ADDRESS = _env_str(
        "RATELIMIT_SIGNUP_ATTEMPTS_PER_ADDRESS", "10 per hour"
    )
    RATELIMIT_SIGNUPS_PER_ADDRESS = _env_str("RATELIMIT_SIGNUPS_PER_ADDRESS", "3 per day")
    # Password-reset requests, from one address and for one e-mail address.
    RATELIMIT_RESET_PER_ADDRESS = _env_str("RATELIMIT_RESET_PER_ADDRESS", "5 per hour")
    RATELIMIT_RESET_PER_EMAIL = _env_str("RATELIMIT_RESET_PER_EMAIL", "3 per hour")
    # Writing, per user (Discourse's defaults); *_NEW for accounts younger than
    # RATELIMIT_NEW_ACCOUNT_HOURS.
    RATELIMIT_THREADS = _env_str("RATELIMIT_THREADS", "1 per 15 seconds")
    RATELIMIT_THREADS_NEW = _env_str("RATELIMIT_THREADS_NEW", "1 per 2 minutes;3 per day")
    RATELIMIT_REPLIES = _env_str("RATELIMIT_REPLIES", "1 per 5 seconds")
    RATELIMIT_REPLIES_NEW = _env_str("RATELIMIT_REPLIES_NEW", "1 per 30 seconds;10 per day")
    RATELIMIT_VOTES = _env_str("RATELIMIT_VOTES", "30 per minute;500 per day")
    RATELIMIT_VOTES_NEW = _env_str("RATELIMIT_VOTES_NEW", "10 per minute;100 per day")
    RATELIMIT_REPORTS = _env_str("RATELIMIT_REPORTS", "10 per hour;50 per day")
    RATELIMIT_REPORTS_NEW = _env_str("RATELIMIT_REPORTS_NEW", "3 per hour;10 per day")
    RATELIMIT_PREVIEW = _env_str("RATELIMIT_PREVIEW", "20 per minute;300 per day")
    RATELIMIT_NEW_ACCOUNT_HOURS = int(os.environ.get("RATELIMIT_NEW_ACCOUNT_HOURS", "24"))
    # Searches per user (per address when signed out), the search page and the API together.
    RATELIMIT_SEARCH = _env_str("RATELIMIT_SEARCH", "20 per minute;300 per hour")
    # How many reverse proxies in front of the app set X-Forwarded-For/-Proto (0: none).
    # Rate limits per address and HSTS need the client's real address and scheme.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
    CONTENT_SECURITY_POLICY = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
    HSTS = "max-age=31536000; includeSubDomains"  # sent only on HTTPS responses
    PASSWORD_RESET_MAX_AGE = 60 * 60  # seconds a reset link works

    # Pages for signed-out readers (forum/pagecache): a shared cache in Redis when REDIS_URL
    # is set, else in this process; entries are replaced as soon as what they show changes,
    # and live PAGE_CACHE_TTL seconds at most whatever happens.
    PAGE_CACHE_ENABLED = _env_bool("PAGE_CACHE_ENABLED", True)
    PAGE_CACHE_TTL = int(os.environ.get("PAGE_CACHE_TTL", "60"))
    PAGE_CACHE_MAX_ENTRIES = int(os.environ.get("PAGE_CACHE_MAX_ENTRIES", "2000"))  # in-process
    PAGE_CACHE_KEY_PREFIX = os.environ.get("PAGE_CACHE_KEY_PREFIX", "subtext:")
    # What browsers and CDNs are told about signed-out pages (Cache-Control: public, ...).
    PAGE_CACHE_MAX_AGE = int(os.environ.get("PAGE_CACHE_MAX_AGE", "10"))
    PAGE_CACHE_STALE_WHILE_REVALIDATE = int(
        os.environ.get("PAGE_CACHE_STALE_WHILE_REVALIDATE", "30")
    )

    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", False)
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "Subtext <no-reply@subtext.invalid>")
    MAIL_TIMEOUT = 10  # seconds

    # The benchmark's SQL counter (forum/sqlcount.py): an X-SQL-Count header on every response.
    SQL_COUNT_HEADER = _env_bool("SQL_COUNT_HEADER", False)


class ProductionConfig(Config):
    """Chosen by SUBTEXT_ENV=production (`make serve`): cookies only over HTTPS, and a
    SECRET_KEY from the environment (see `production_problems`)."""

    PRODUCTION = True
    PREFERRED_URL_SCHEME = "https"
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE


class TestConfig(Config):
    TESTING = True
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL") or "sqlite://"
    SECRET_KEY = "test-secret-key-not-for-production"
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # fast for tests; production uses scrypt
    PAGE_SIZE = 5
    SERVER_NAME = None
    # Off for the suite: several test apps share one database, and an in-process cache can't
    # see another app's writes. tests/test_page_cache.py turns it on for its own apps.
    PAGE_CACHE_ENABLED = False
    MAIL_SERVER = None  # never the environment's: mail tests run their own (aiosmtpd)


SECRET_KEY_HINT = (
    "export SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_hex(32))')"
    " -- keep it, and give every app node the same one"
)


def production_problems(config: type[Config]) -> tuple[list[str], list[str]]:
    """What stops the production configuration from serving (errors), and what it can serve
    without but should not (warnings), each as a sentence that says what to set."""
    errors, warnings = [], []
    if not config.SECRET_KEY:
        errors.append(
            f"SECRET_KEY is not set: it signs sessions, forms and links. {SECRET_KEY_HINT}"
        )
    elif len(config.SECRET_KEY) < 32:
        errors.append(f"SECRET_KEY is shorter than 32 characters. {SECRET_KEY_HINT}")
    if not config.SQLALCHEMY_DATABASE_URI:
        warnings.append("DATABASE_URL is not set: serving from the SQLite file "
                        "instance/subtext.db (one machine only; PostgreSQL for more).")  # fmt: skip
    if not config.REDIS_URL:
        warnings.append("REDIS_URL is not set: each worker counts rate limits on its own.")
    if not config.BASE_URL:
        warnings.append("BASE_URL is not set: password-reset mails link to http://HOST:PORT.")
    if not config.MAIL_SERVER:
        warnings.append("MAIL_SERVER is not set: password-reset mails go to the log.")
    return errors, warnings


def from_environment() -> type[Config]:
    """The config `flask --app forum` and gunicorn get: SUBTEXT_ENV=production picks
    ProductionConfig; anything else (or nothing) picks Config."""
    if os.environ.get("SUBTEXT_ENV", "").strip().lower() == "production":
        return ProductionConfig
    return Config
