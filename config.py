"""Configuration classes. Every setting can be overridden by an environment variable."""

from __future__ import annotations

import os


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    # None: the factory puts a SQLite file in the instance folder.
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")
    # None: the factory generates one and keeps it in the instance folder.
    SECRET_KEY = os.environ.get("SECRET_KEY")
    HOST = os.environ.get("HOST", "127.0.0.1")
    PORT = int(os.environ.get("PORT", "5000"))
    REDIS_URL = os.environ.get("REDIS_URL")
    BASE_URL = os.environ.get("BASE_URL")  # e.g. https://subtext.example; used in e-mails

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
    REPLY_DEPTH_LIMIT = 6  # deeper replies continue on their own page

    RATELIMIT_ENABLED = _env_bool("RATELIMIT_ENABLED", True)
    # Counters live in memory (one process) unless REDIS_URL is set: then in Redis, shared
    # by every process and machine. If Redis stops answering, each process counts alone.
    RATELIMIT_STORAGE_URI = None  # the factory sets it from REDIS_URL (or memory://)
    RATELIMIT_STRATEGY = "moving-window"
    RATELIMIT_KEY_PREFIX = "subtext"
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    # How many reverse proxies in front of the app set X-Forwarded-For/-Proto (0: none).
    # Rate limits per address and HSTS need the client's real address and scheme.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
    CONTENT_SECURITY_POLICY = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
    HSTS = "max-age=31536000; includeSubDomains"  # sent only on HTTPS responses
    PASSWORD_RESET_MAX_AGE = 60 * 60  # seconds a reset link works

    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", False)
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "Subtext <no-reply@subtext.invalid>")
    MAIL_TIMEOUT = 10  # seconds


class ProductionConfig(Config):
    """Chosen by SUBTEXT_ENV=production: cookies only over HTTPS."""

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
    MAIL_SERVER = None  # never the environment's: mail tests run their own (aiosmtpd)


def from_environment() -> type[Config]:
    """The config `flask --app forum` and gunicorn get: SUBTEXT_ENV=production picks
    ProductionConfig; anything else (or nothing) picks Config."""
    if os.environ.get("SUBTEXT_ENV", "").strip().lower() == "production":
        return ProductionConfig
    return Config
