"""Configuration: safe defaults locally, refusal to start unsafely in production."""
import pytest

from course import create_app
from course.config import DEFAULT_SECRET_KEY, Config, ConfigError


def production(**overrides):
    return type("Production", (Config,), {"APP_ENV": "production", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                                          "SECRET_KEY": "x" * 40, **overrides})


@pytest.mark.parametrize("secret", [DEFAULT_SECRET_KEY, "", "short-secret"])
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
