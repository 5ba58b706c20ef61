"""Recording audit events: append-only, in UTC, never with passwords, tokens or answers."""
from __future__ import annotations

from flask import has_request_context, request

from ..extensions import db
from ..models import AuditEvent, User

# Actions, as constants so reports and tests spell them the same way.
LOGIN = "login"
LOGIN_FAILED = "login_failed"
LOGOUT = "logout"
SIGNUP = "signup"
PASSWORD_CHANGED = "password_changed"
PASSWORD_RESET = "password_reset"
USER_CREATED = "user_created"
USER_DEACTIVATED = "user_deactivated"
USER_REACTIVATED = "user_reactivated"
ROLE_CHANGED = "role_changed"
CASELOAD_ADDED = "caseload_added"
CASELOAD_REMOVED = "caseload_removed"
RECORD_VIEWED = "record_viewed"
RECORD_EXPORTED = "record_exported"
ACCOUNT_DELETED = "account_deleted"
ACCESS_DENIED = "access_denied"


def record(action: str, actor: User | None = None, subject_id: int | None = None,
           outcome: str = "ok", detail: str = "") -> AuditEvent:
    """Add an audit event to the current transaction; the caller commits it with its own change."""
    event = AuditEvent(
        action=action,
        actor_id=actor.id if actor else None,
        actor_role=actor.role if actor else None,
        subject_id=subject_id,
        outcome=outcome,
        detail=detail[:255],
        client=request.remote_addr if has_request_context() else None,
    )
    db.session.add(event)
    return event
