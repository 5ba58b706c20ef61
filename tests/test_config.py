"""Configuration: safe defaults locally, refusal to start unsafely in production."""

import secrets

import pytest

from course import create_app
from course.config import DEFAULT_SECRET_KEY, Config, ConfigError, check_server_settings, secret_key_bits

RANDOM_SECRET = secrets.token_hex(32)


def production(**overrides):
    return type(
        "Production",
        (Config,),
        {"APP_ENV": "production", "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": RANDOM_SECRET, **overrides},
    )


@pytest.mark.parametrize(
    "secret", [DEFAULT_SECRET_KEY, "", "short-secret", "a" * 32, "x" * 40, "abcd" * 8, "password" * 4]
)
def test_production_refuses_a_default_or_weak_secret(secret):
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app(production(SECRET_KEY=secret))


def test_production_refuses_to_run_without_a_database_url():
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        create_app(production(SQLALCHEMY_DATABASE_URI=None))


def test_production_with_a_real_secret_starts_with_secure_cookies():
    app = create_app(production(SESSION_COOKIE_SECURE=True))
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_development_defaults_to_sqlite_in_the_instance_folder():
    app = create_app(type("Local", (Config,), {"SQLALCHEMY_DATABASE_URI": None}))
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{app.instance_path}/course.sqlite3"
    assert app.config["WTF_CSRF_TIME_LIMIT"] is None
    assert app.config["SESSION_IDLE_MINUTES"] == 30
    assert app.config["SESSION_ABSOLUTE_HOURS"] == 12


@pytest.mark.parametrize("secret", [secrets.token_hex(16), secrets.token_urlsafe(32), secrets.token_hex(32)])
def test_production_accepts_a_random_secret(secret):
    assert secret_key_bits(secret) >= 96
    assert create_app(production(SECRET_KEY=secret)).config["SECRET_KEY"] == secret


@pytest.mark.parametrize("app_env", ["Production", "PRODUCTION", " production "])
def test_app_env_is_read_case_insensitively(app_env):
    """ "Production" must not quietly mean "not production" and skip every production guard."""
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app(production(APP_ENV=app_env, SECRET_KEY="short-secret"))
    assert create_app(production(APP_ENV=app_env)).config["APP_ENV"] == "production"


@pytest.mark.parametrize("app_env", ["prod", "staging", "", "live"])
def test_an_unknown_app_env_is_refused(app_env):
    with pytest.raises(ConfigError, match="APP_ENV must be one of development, testing, production"):
        create_app(production(APP_ENV=app_env))


@pytest.mark.parametrize(
    ("settings", "workers", "refused"),
    [
        ({"APP_ENV": "production", "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"}, 4, True),
        ({"APP_ENV": "production", "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"}, 1, False),
        ({"APP_ENV": "production", "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "redis://r:6379/0"}, 4, False),
        ({"APP_ENV": "production", "RATELIMIT_ENABLED": False, "RATELIMIT_STORAGE_URI": "memory://"}, 4, False),
        ({"APP_ENV": "development", "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"}, 4, False),
    ],
)
def test_a_production_server_refuses_per_worker_login_limits(settings, workers, refused):
    if refused:
        with pytest.raises(ConfigError, match="memory:// with 4 workers"):
            check_server_settings(settings, workers)
    else:
        check_server_settings(settings, workers)
