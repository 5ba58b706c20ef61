"""What the tests share besides fixtures: the app factory, a browser-like client, signing in.

Tests import these from here (never from conftest, which pytest loads itself).
"""

from __future__ import annotations

import contextvars
import os
import re
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import sqlalchemy as sa
from flask import has_app_context
from flask.testing import FlaskClient
from sqlalchemy import text

from course import create_app
from course.config import PROJECT_ROOT, TestConfig
from course.extensions import db
from course.models import User

from . import factories

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
# The course tests run on: a small fixed one, so that editing the real course (modules/) breaks
# only the tests that are about it (marked real_course).
SMALL_COURSE = Path(__file__).resolve().parent / "fixtures" / "modules" / "good"
REAL_COURSE = PROJECT_ROOT / "modules"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')
_postgres_schema_ready = False


def _reset_postgres() -> None:
    """Schema once per run, then an empty table set per test (much faster than drop/create)."""
    global _postgres_schema_ready
    if not _postgres_schema_ready:
        db.drop_all()
        db.create_all()
        _postgres_schema_ready = True
        return
    tables = ", ".join(f'"{table.name}"' for table in db.metadata.sorted_tables)
    db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    db.session.commit()


def old_schema_user(username: str, role: str = "learner", password_hash: str = "h") -> SimpleNamespace:
    """An account row written with only the columns the first schema had, for a database at an old migration.

    Today's User model has columns added since (can_author, ...), so the ORM cannot insert there.
    """
    now = datetime.now(UTC)
    user = sa.table("user", *(sa.column(name) for name in _FIRST_USER_COLUMNS))
    values = {"username": username, "display_name": "", "password_hash": password_hash, "role": role}
    values |= {"active": True, "must_change_password": False, "created_at": now, "updated_at": now}
    new_id = db.session.execute(sa.insert(user).values(values).returning(user.c.id)).scalar_one()
    return SimpleNamespace(id=new_id, username=username)


def old_schema_insert(table: str, values: dict) -> int:
    """A row written with only the given columns (a database at an old migration); its new id."""
    t = sa.table(table, sa.column("id"), *(sa.column(name, _json_if_list(v)) for name, v in values.items()))
    return db.session.execute(sa.insert(t).values(values).returning(t.c.id)).scalar_one()


def _json_if_list(value):
    return sa.JSON() if isinstance(value, list | dict) else None


_FIRST_USER_COLUMNS = (
    "id",
    "username",
    "display_name",
    "password_hash",
    "role",
    "active",
    "must_change_password",
    "created_at",
    "updated_at",
)


class IsolatedClient(FlaskClient):
    """A client whose every request gets its own app context, `g` and database session, as on a server.

    The test itself holds an app context for factories and queries; without this, requests would
    share its `g` (and Flask-Login's cached user). After each request the test's session ends its
    transaction, so what it reads next includes what the request wrote.
    """

    def open(self, *args, **kwargs):
        kwargs.setdefault("buffered", True)
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if has_app_context():  # not inside a redirect being followed
            db.session.rollback()
            db.session.expire_all()
        return response


def make_app(tmp_path, **settings):
    """An app on a fresh database: a temporary SQLite file, or PostgreSQL when TEST_DATABASE_URL is set.

    It teaches the small test course unless `settings` name another CONTENT_DIR (REAL_COURSE, say).
    """
    url = TEST_DATABASE_URL or f"sqlite:///{tmp_path / 'test.sqlite3'}"
    settings = {
        "SQLALCHEMY_DATABASE_URI": url,
        "CONTENT_DIR": str(SMALL_COURSE),
        "PACK_CACHE_DIR": str(tmp_path / "packs"),
        **settings,
    }
    config = type("Settings", (TestConfig,), settings)
    app = create_app(config)
    app.test_client_class = IsolatedClient
    with app.app_context():
        if TEST_DATABASE_URL:
            _reset_postgres()
        else:
            db.create_all()
    return app


class Browser:
    """A test client that reads CSRF tokens from pages, as a browser's form would send them."""

    def __init__(self, client):
        self.client = client

    def get(self, url, **kwargs):
        return self.client.get(url, **kwargs)

    def token(self, url: str) -> str:
        """The CSRF token from the form on the page at `url`."""
        page = self.client.get(url)
        match = CSRF.search(page.get_data(as_text=True))
        assert match, f"no CSRF token on {url} (status {page.status_code})"
        return match.group(1) or match.group(2)

    def post(self, url, data=None, form_page: str | None = None, **kwargs):
        """POST with the CSRF token taken from `form_page` (default: the same URL)."""
        data = dict(data or {})
        data.setdefault("csrf_token", self.token(form_page or url))
        return self.client.post(url, data=data, **kwargs)

    def login(self, username: str, password: str = factories.PASSWORD):
        return self.post("/auth/login", {"username": username, "password": password})

    def logout(self):
        return self.post("/auth/logout", form_page="/auth/password")


def sign_in(browser: Browser, user: User) -> Browser:
    """Sign `user` in on `browser` and return the browser."""
    browser.login(user.username)
    return browser
