"""Server-side sessions behind the cookie: start, load (with idle and absolute timeouts), revoke."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app, g
from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import joinedload

from ..database import write_transaction
from ..extensions import db
from ..models import User, UserSession, utcnow

# last_seen_at is written at most this often, so reading a page is not a write every time.
TOUCH_INTERVAL = timedelta(seconds=60)

IDLE = "idle"
EXPIRED = "expired"
LOGOUT = "logout"
PASSWORD_CHANGED = "password_changed"
DEACTIVATED = "deactivated"
ROLE_CHANGED = "role_changed"
ACCOUNT_DELETED = "account_deleted"
PASSWORD_RESET = "password_reset"


# Every signed-in request runs this: built once, so SQLAlchemy reuses its compiled form and cache key.
_SESSION_BY_TOKEN = (
    select(UserSession).where(UserSession.token_hash == bindparam("token_hash")).options(joinedload(UserSession.user))
)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: User) -> UserSession:
    """Create a new session for the user (a fresh random id) in the current transaction."""
    token, now = secrets.token_urlsafe(32), utcnow()
    row = UserSession(token_hash=_digest(token), user=user, created_at=now, last_seen_at=now)
    row.token = token
    db.session.add(row)
    user.current_session = row
    user.last_active_at = now  # signing in is activity: a counselor's "last active" shows it
    return row


def _timed_out(row: UserSession) -> str | None:
    now, cfg = utcnow(), current_app.config
    if now - row.created_at > timedelta(hours=cfg["SESSION_ABSOLUTE_HOURS"]):
        return EXPIRED
    if now - row.last_seen_at > timedelta(minutes=cfg["SESSION_IDLE_MINUTES"]):
        return IDLE
    return None


def load_user(token: str) -> User | None:
    """The user behind a session token, or None when the session is unknown, ended or timed out."""
    row = db.session.scalar(_SESSION_BY_TOKEN, {"token_hash": _digest(token)})
    if row is None or row.revoked_at is not None or not row.user.active:
        return None
    reason = _timed_out(row)
    if reason:
        with write_transaction():
            row.revoked_at, row.revoked_reason = utcnow(), reason
        g.session_timed_out = reason
        return None
    _touch(row)
    row.token = token
    row.user.current_session = row
    return row.user


def _touch(row: UserSession) -> None:
    now = utcnow()
    if now - row.last_seen_at < TOUCH_INTERVAL:
        return
    try:
        with write_transaction():
            row.last_seen_at = now
            row.user.last_active_at = now
    except OperationalError:
        # Only a "last seen" time is lost under heavy write contention; the request goes on.
        current_app.logger.warning("could not record session activity")


def end_session(row: UserSession, reason: str = LOGOUT) -> None:
    """Mark one session ended, in the current transaction."""
    row.revoked_at, row.revoked_reason = utcnow(), reason


def end_all_sessions(user: User, reason: str) -> None:
    """End every open session of a user, in the current transaction."""
    stmt = (
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
        .values(revoked_at=utcnow(), revoked_reason=reason)
    )
    db.session.execute(stmt)
