"""Recording audit events (append-only, in UTC, never with passwords, tokens or answers) and listing them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import cast

from flask import has_request_context, request
from sqlalchemy import Select, Table, insert, literal, or_, select

from ..extensions import db
from ..i18n import lazy_gettext as _l
from ..models import AuditEvent, User, utcnow
from ..models.base import valid_id

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
PERMISSIONS_CHANGED = "permissions_changed"
# Content: a pack imported, an authored draft published by a reviewer, an earlier version made newest.
COURSE_IMPORTED = "course_imported"
COURSE_PUBLISHED = "course_published"
COURSE_RETURNED = "course_returned"
DRAFT_SAVED = "draft_saved"
DRAFT_SUBMITTED = "draft_submitted"
DRAFT_RETURNED = "draft_returned"  # the reviewer asked for changes
DRAFT_DISCARDED = "draft_discarded"
CASELOAD_ADDED = "caseload_added"
CASELOAD_REMOVED = "caseload_removed"
RECORD_VIEWED = "record_viewed"
RECORD_EXPORTED = "record_exported"
ACCOUNT_DELETED = "account_deleted"
ACCESS_DENIED = "access_denied"
MEMBER_REMOVED = "member_removed"
OUTCOMES_EXPORTED = "outcomes_exported"
RESOURCE_ADDED = "resource_added"
RESOURCE_EDITED = "resource_edited"
RESOURCE_MOVED = "resource_moved"
RESOURCE_DELETED = "resource_deleted"


def record(
    action: str, actor: User | None = None, subject_id: int | None = None, outcome: str = "ok", detail: str = ""
) -> AuditEvent:
    """Add an audit event to the current transaction; the caller commits it with its own change."""
    event = AuditEvent(
        action=action,
        actor_id=actor.id if actor else None,
        actor_role=actor.role if actor else None,
        subject_id=subject_id,
        outcome=outcome,
        detail=detail[:255],
        client=_client(),
    )
    db.session.add(event)
    return event


def _client() -> str | None:
    return request.remote_addr if has_request_context() else None


def record_each(action: str, actor: User, subject_ids: list[int] | Select, detail: str = "") -> None:
    """Add one audit event per subject to the current transaction, in ONE statement whatever their number.

    `subject_ids`: a list of ids (one executemany INSERT), or a select() of one id column (one
    INSERT ... SELECT, so the ids are never held in memory: a cohort of any size).
    """
    fields = {
        "occurred_at": utcnow(),
        "actor_id": actor.id,
        "actor_role": actor.role,
        "action": action,
        "outcome": "ok",
        "detail": detail[:255],
        "client": _client(),
    }
    if isinstance(subject_ids, Select):
        table = AuditEvent.__table__
        values = [literal(value, table.c[name].type) for name, value in fields.items()]
        query = subject_ids.with_only_columns(*values, subject_ids.selected_columns[0], maintain_column_froms=True)
        db.session.execute(insert(AuditEvent).from_select([*fields, "subject_id"], query))
    elif subject_ids:
        # On the table, not the mapped class: Core's executemany, without the ORM's bulk-insert bookkeeping.
        rows = [{**fields, "subject_id": subject_id} for subject_id in subject_ids]
        db.session.execute(insert(cast(Table, AuditEvent.__table__)), rows)


ACTIONS = (
    LOGIN,
    LOGIN_FAILED,
    LOGOUT,
    SIGNUP,
    PASSWORD_CHANGED,
    PASSWORD_RESET,
    USER_CREATED,
    USER_DEACTIVATED,
    USER_REACTIVATED,
    ROLE_CHANGED,
    CASELOAD_ADDED,
    CASELOAD_REMOVED,
    RECORD_VIEWED,
    RECORD_EXPORTED,
    ACCOUNT_DELETED,
    ACCESS_DENIED,
    MEMBER_REMOVED,
    OUTCOMES_EXPORTED,
    PERMISSIONS_CHANGED,
    COURSE_IMPORTED,
    COURSE_PUBLISHED,
    COURSE_RETURNED,
    DRAFT_SAVED,
    DRAFT_SUBMITTED,
    DRAFT_RETURNED,
    DRAFT_DISCARDED,
    RESOURCE_ADDED,
    RESOURCE_EDITED,
    RESOURCE_MOVED,
    RESOURCE_DELETED,
)


# How pages name each action (the audit log's filter and column): shown, so translated. The rows
# store the action itself, which is never translated.
ACTION_LABELS = {
    LOGIN: _l("Login"),
    LOGIN_FAILED: _l("Login failed"),
    LOGOUT: _l("Logout"),
    SIGNUP: _l("Signup"),
    PASSWORD_CHANGED: _l("Password changed"),
    PASSWORD_RESET: _l("Password reset"),
    USER_CREATED: _l("User created"),
    USER_DEACTIVATED: _l("User deactivated"),
    USER_REACTIVATED: _l("User reactivated"),
    ROLE_CHANGED: _l("Role changed"),
    CASELOAD_ADDED: _l("Caseload added"),
    CASELOAD_REMOVED: _l("Caseload removed"),
    RECORD_VIEWED: _l("Record viewed"),
    RECORD_EXPORTED: _l("Record exported"),
    ACCOUNT_DELETED: _l("Account deleted"),
    ACCESS_DENIED: _l("Access denied"),
    MEMBER_REMOVED: _l("Member removed"),
    OUTCOMES_EXPORTED: _l("Outcomes exported"),
    PERMISSIONS_CHANGED: _l("Permissions changed"),
    COURSE_IMPORTED: _l("Course imported"),
    COURSE_PUBLISHED: _l("Course published"),
    COURSE_RETURNED: _l("Course returned"),
    DRAFT_SAVED: _l("Draft saved"),
    DRAFT_SUBMITTED: _l("Draft submitted"),
    DRAFT_RETURNED: _l("Draft returned"),
    DRAFT_DISCARDED: _l("Draft discarded"),
    RESOURCE_ADDED: _l("Resource added"),
    RESOURCE_EDITED: _l("Resource edited"),
    RESOURCE_MOVED: _l("Resource moved"),
    RESOURCE_DELETED: _l("Resource deleted"),
}


@dataclass(frozen=True)
class EventFilter:
    """What the admin's audit log page narrows to; each field None means "any"."""

    action: str | None = None
    actor: str | None = None  # an account id, or a username
    subject: str | None = None  # an account id, or a username
    since: date | None = None  # first day included (UTC)
    until: date | None = None  # last day included (UTC)


def _person(column, value: str):
    """Condition: the id column names this account, given as its id or its username (either, for digits)."""
    value = value.strip()
    by_name = column.in_(select(User.id).where(User.username == value.lower()))
    if value.isascii() and value.isdigit() and valid_id(int(value)):
        return or_(column == int(value), by_name)
    return by_name


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def events_query(flt: EventFilter) -> Select:
    """A select() of audit events, newest first, narrowed by `flt`."""
    stmt = select(AuditEvent).order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    if flt.action:
        stmt = stmt.where(AuditEvent.action == flt.action)
    if flt.actor:
        stmt = stmt.where(_person(AuditEvent.actor_id, flt.actor))
    if flt.subject:
        stmt = stmt.where(_person(AuditEvent.subject_id, flt.subject))
    if flt.since:
        stmt = stmt.where(AuditEvent.occurred_at >= _day_start(flt.since))
    if flt.until:
        stmt = stmt.where(AuditEvent.occurred_at < _day_start(flt.until + timedelta(days=1)))
    return stmt


def people(events) -> dict[int, User]:
    """The accounts the events name as actor or subject, by id (one query; deleted accounts are absent)."""
    ids = {i for e in events for i in (e.actor_id, e.subject_id) if i is not None}
    if not ids:
        return {}
    return {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(ids)))}
