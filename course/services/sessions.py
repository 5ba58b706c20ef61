"""Server-side sessions behind the cookie: start, load (with idle and absolute timeouts), revoke."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import joinedload

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


def look_up(token: str) -> tuple[UserSession | None, str | None]:
    """The live session behind a token, or (the session, IDLE or EXPIRED) when it has just timed out.

    (None, None) for an unknown token, an ended session or a deactivated account. Reads only: the
    caller ends a timed-out session (`end_session`) and notes activity (`note_activity`).
    """
    row = db.session.scalar(_SESSION_BY_TOKEN, {"token_hash": _digest(token)})
    if row is None or row.revoked_at is not None or not row.user.active:
        return None, None
    return row, _timed_out(row)


def activity_due(row: UserSession) -> bool:
    """Whether the session's "last seen" is old enough to write again (at most once a TOUCH_INTERVAL)."""
    return utcnow() - row.last_seen_at >= TOUCH_INTERVAL


def note_activity(row: UserSession) -> None:
    """Note that the session and its user were active now, in the current transaction."""
    now = utcnow()
    row.last_seen_at = now
    row.user.last_active_at = now


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
