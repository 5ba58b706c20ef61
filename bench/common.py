"""Shared by the bench scripts and the tests that drive a real server (tests/fault_helpers.py,
tests/e2e/): a free local port, one HTTP request, the app on the bench database, and signed-in
sessions with their CSRF tokens.

Load needs many signed-in learners. Signing in through the login form would cost one argon2 hash
each, so the bench does what the login does, directly: a UserSession row whose sha256 is the
token in the signed cookie, and the CSRF token Flask-WTF would put in the form.
"""
from __future__ import annotations

import hashlib
import http.client
import secrets
import socket
import sys
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from itsdangerous import URLSafeTimedSerializer  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from course import create_app  # noqa: E402
from course.extensions import db  # noqa: E402
from course.models import UserSession, utcnow  # noqa: E402

POSTGRES_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
POSTGRES_BENCH_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/course_bench"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_request(port: int, method: str, path: str, cookie: str | None = None, body: str | None = None,
                 timeout: float = 30) -> tuple[int, dict, str]:
    """One HTTP request to 127.0.0.1:port, redirects not followed: (status, headers, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {"Cookie": cookie} if cookie else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def bench_app(database_url: str, secret_key: str, **settings):
    """The app as the server runs it (production mode), on the bench database."""
    return create_app({"APP_ENV": "production", "SECRET_KEY": secret_key, "SQLALCHEMY_DATABASE_URI": database_url,
                       "RATELIMIT_ENABLED": False, **settings})


@dataclass(frozen=True)
class Credentials:
    """What a signed-in browser sends: the session cookie and the CSRF token of its forms."""

    user_id: int
    cookie: str  # "course_session=...", a Cookie header
    csrf_token: str


def open_sessions(app, user_ids: list[int]) -> dict[int, Credentials]:
    """Start one server-side session per user, as a sign-in would; returns each one's cookie and CSRF token.

    Call inside an app context.
    """
    signer = app.session_interface.get_signing_serializer(app)
    csrf = URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token")
    now, rows, result = utcnow(), [], {}
    for user_id in user_ids:
        token, raw_csrf = secrets.token_urlsafe(32), hashlib.sha1(secrets.token_bytes(64)).hexdigest()
        rows.append({"token_hash": hashlib.sha256(token.encode()).hexdigest(), "user_id": user_id,
                     "created_at": now, "last_seen_at": now})
        cookie = signer.dumps({"_user_id": token, "_fresh": True, "csrf_token": raw_csrf})
        result[user_id] = Credentials(user_id, f"{app.config['SESSION_COOKIE_NAME']}={cookie}", csrf.dumps(raw_csrf))
    for start in range(0, len(rows), 2000):
        db.session.execute(insert(UserSession), rows[start:start + 2000])
    db.session.commit()
    return result
