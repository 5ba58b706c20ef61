"""Settings, read from the environment in one place, with safe defaults for local use."""

from __future__ import annotations

import math
import os
from collections import Counter
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SECRET_KEY = "local-development-only-not-secret"
APP_ENVS = ("development", "testing", "production")
# A secret of 32 random hex digits carries 128 bits; refuse anything that looks far weaker.
MIN_SECRET_KEY_LENGTH = 32
MIN_SECRET_KEY_BITS = 96


class ConfigError(RuntimeError):
    """The configuration is unsafe or incomplete for the chosen mode."""


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    """Defaults for a developer's machine; production overrides them through the environment."""

    APP_ENV = os.environ.get("APP_ENV", "development").strip().lower()
    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
    # None means "SQLite in the instance folder", resolved by the factory.
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SQLITE_BUSY_TIMEOUT_MS = int(os.environ.get("SQLITE_BUSY_TIMEOUT_MS", "5000"))
    CONTENT_DIR = os.environ.get("CONTENT_DIR", str(PROJECT_ROOT / "modules"))
    # Imported courses live in the database; each node unpacks a version here once, and looks
    # for versions stored by other nodes at most this often (services/course_library.py).
    PACK_CACHE_DIR = os.environ.get("PACK_CACHE_DIR", str(PROJECT_ROOT / "instance" / "packs"))
    CONTENT_REFRESH_SECONDS = float(os.environ.get("CONTENT_REFRESH_SECONDS", "5"))

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_ENABLED = _env_bool("RATELIMIT_ENABLED", True)
    LOGIN_LIMIT_PER_CLIENT = "30/minute;300/hour"
    LOGIN_LIMIT_PER_ACCOUNT_AND_CLIENT = "10/minute;100/hour"
    # Forms that check a signed-in person's password, per account (course/rate_limits.py).
    PASSWORD_CHECK_LIMIT = "10/minute;50/hour"

    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
    SESSION_ABSOLUTE_HOURS = int(os.environ.get("SESSION_ABSOLUTE_HOURS", "12"))
    SESSION_COOKIE_NAME = "course_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", APP_ENV == "production")

    # Catalogs of the site's strings (translations/<lang>/LC_MESSAGES/messages.po, compiled by the Makefile).
    BABEL_TRANSLATION_DIRECTORIES = str(PROJECT_ROOT / "translations")

    # CSRF tokens live as long as the session: a quiz left open over lunch must still submit.
    WTF_CSRF_TIME_LIMIT = None
    MAX_CONTENT_LENGTH = 64 * 1024
    # Endpoints that take a file, with their own body limit (course/requests.py).
    UPLOAD_LIMITS = {"admin.import_course": 10 * 1024 * 1024}
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


def secret_key_bits(secret: str) -> float:
    """A rough estimate of a secret's entropy: its length times the Shannon entropy of its characters.

    It cannot prove a secret random, but it refuses the weak ones people type ("a" * 32, a word
    repeated): a 32-character hex token scores about 115 bits, "abcd" * 8 scores 64.
    """
    if not secret:
        return 0.0
    counts = Counter(secret)
    per_character = -sum(n / len(secret) * math.log2(n / len(secret)) for n in counts.values())
    return per_character * len(secret)


def check_production_safety(config: dict) -> None:
    """Refuse an unknown mode, and in production a weak secret or no real database.

    :raise ConfigError: when APP_ENV is unknown, or the mode is production and a setting is unsafe.
    """
    app_env = str(config.get("APP_ENV", "")).strip().lower()
    if app_env not in APP_ENVS:
        raise ConfigError(f"APP_ENV must be one of {', '.join(APP_ENVS)} (got {config.get('APP_ENV')!r}).")
    config["APP_ENV"] = app_env
    if app_env != "production":
        return
    secret = config.get("SECRET_KEY") or ""
    if (
        secret == DEFAULT_SECRET_KEY
        or len(secret) < MIN_SECRET_KEY_LENGTH
        or secret_key_bits(secret) < MIN_SECRET_KEY_BITS
    ):
        raise ConfigError(
            "SECRET_KEY must be set to a random value of at least 32 characters in production "
            "(for example: python -c 'import secrets; print(secrets.token_hex(32))')."
        )
    if not config.get("SQLALCHEMY_DATABASE_URI"):
        raise ConfigError("DATABASE_URL must be set in production.")


def check_server_settings(config: type | dict, workers: int) -> None:
    """Refuse a production server whose login limits would multiply: memory:// storage, several workers.

    Each worker keeps its own memory:// counters, so with N workers a person gets N times the
    limit. gunicorn.conf.py calls this before it forks; share the counters through Redis instead.

    :raise ConfigError: in production, with rate limits on, memory:// storage and more than one worker.
    """
    get = config.get if isinstance(config, dict) else lambda name: getattr(config, name, None)
    production = str(get("APP_ENV") or "").strip().lower() == "production"
    in_memory = str(get("RATELIMIT_STORAGE_URI") or "memory://").startswith("memory://")
    if production and get("RATELIMIT_ENABLED") and in_memory and workers > 1:
        raise ConfigError(
            f"RATELIMIT_STORAGE_URI is memory:// with {workers} workers: each worker would count "
            "sign-in failures on its own, multiplying the limits. Set RATELIMIT_STORAGE_URI to a "
            "shared store (redis://host:6379/0), or run one worker (WEB_CONCURRENCY=1)."
        )
