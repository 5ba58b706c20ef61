"""Settings, read from the environment in one place, with safe defaults for local use."""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SECRET_KEY = "local-development-only-not-secret"


class ConfigError(RuntimeError):
    """The configuration is unsafe or incomplete for the chosen mode."""


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    """Defaults for a developer's machine; production overrides them through the environment."""

    APP_ENV = os.environ.get("APP_ENV", "development")
    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
    # None means "SQLite in the instance folder", resolved by the factory.
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SQLITE_BUSY_TIMEOUT_MS = int(os.environ.get("SQLITE_BUSY_TIMEOUT_MS", "5000"))
    CONTENT_DIR = os.environ.get("CONTENT_DIR", str(PROJECT_ROOT / "modules"))

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_ENABLED = _env_bool("RATELIMIT_ENABLED", True)
    LOGIN_LIMIT_PER_CLIENT = "30/minute;300/hour"
    LOGIN_LIMIT_PER_ACCOUNT_AND_CLIENT = "10/minute;100/hour"

    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
    SESSION_ABSOLUTE_HOURS = int(os.environ.get("SESSION_ABSOLUTE_HOURS", "12"))
    SESSION_COOKIE_NAME = "course_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", APP_ENV == "production")

    # CSRF tokens live as long as the session: a quiz left open over lunch must still submit.
    WTF_CSRF_TIME_LIMIT = None
    MAX_CONTENT_LENGTH = 64 * 1024
    MAX_FORM_PARTS = 500

    # argon2id, about 50 ms a check on the 2-core machine (see docs/security.md).
    ARGON2_TIME_COST = 2
    ARGON2_MEMORY_KIB = 32 * 1024
    ARGON2_PARALLELISM = 1

    # Where the quick-exit button goes: a neutral, common site.
    QUICK_EXIT_URL = os.environ.get("QUICK_EXIT_URL", "https://www.google.com/search?q=weather")
    # Trust X-Forwarded-For from this many proxies (0 when the app faces clients directly).
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
    # bench/run.py only: serve the bare /bench/hello endpoint (course/bench_hello.py).
    BENCH_HELLO = _env_bool("BENCH_HELLO", False)
    # gunicorn.conf.py turns this off: a server never runs `flask db`.
    DB_MIGRATIONS = _env_bool("DB_MIGRATIONS", True)


class TestConfig(Config):
    """Settings for the test suite: a fresh database per test and fast password hashes."""

    APP_ENV = "testing"
    TESTING = True
    SECRET_KEY = "test-secret-key"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL") or "sqlite://"
    RATELIMIT_STORAGE_URI = "memory://"
    SESSION_COOKIE_SECURE = False
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_KIB = 1024


def check_production_safety(config: dict) -> None:
    """Refuse to run in production with a default secret or without a real database.

    :raise ConfigError: when the mode is production and a setting is unsafe.
    """
    if config.get("APP_ENV") != "production":
        return
    if config.get("SECRET_KEY") in (None, "", DEFAULT_SECRET_KEY) or len(config["SECRET_KEY"]) < 32:
        raise ConfigError("SECRET_KEY must be set to a random value of at least 32 characters in production.")
    if not config.get("SQLALCHEMY_DATABASE_URI"):
        raise ConfigError("DATABASE_URL must be set in production.")
