"""A learner's own record: progress in numbers, who may see it and who looked, deleting the account.

Everything here is about the learner passed in, and only about them: the pages that use it take
no ids from the URL, so one learner can never ask for another's record.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import delete, null, or_, select, union_all, update

from ..access import COUNSELOR, FACILITATOR, ROLE_LABELS
from ..content import Course
from ..database import checkpoint_wal
from ..extensions import db
from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l
from ..models import AuditEvent, Caseload, Cohort, CohortMember, User
from . import audit, sessions
from .accounts import normalise_username
from .passwords import verify_password
from .progress import CourseProgress, ModuleProgress
from .standing import whole_percent

TAKEN, SKIPPED, NOT_TAKEN = "taken", "skipped", "not taken"
# The pre-test's state as a learner reads it where a score would be.
PRETEST_STATE_LABELS = {TAKEN: _l("taken"), SKIPPED: _l("skipped"), NOT_TAKEN: _l("not taken")}
ACTION_LABELS = {
    audit.RECORD_VIEWED: _l("Looked at your record"),
    audit.RECORD_EXPORTED: _l("Exported your record"),
    audit.PASSWORD_RESET: _l("Reset your password"),
    audit.USER_DEACTIVATED: _l("Switched off your account"),
    audit.USER_REACTIVATED: _l("Switched your account back on"),
    audit.CASELOAD_ADDED: _l("Added you to a caseload"),
    audit.CASELOAD_REMOVED: _l("Took you off a caseload"),
    audit.ACCESS_DENIED: _l("Tried to open your record and was refused"),
}
# What the "who has seen my record" page lists: looks by someone else.
LOOK_ACTIONS = (audit.RECORD_VIEWED, audit.RECORD_EXPORTED)
LOOKS_PER_PAGE = 25


def pretest_state_label(state: str) -> str:
    """A pre-test state (TAKEN, SKIPPED, NOT_TAKEN) in the request's language."""
    return str(PRETEST_STATE_LABELS.get(state, state))


@dataclass(frozen=True)
class ModuleReport:
    """One row of "My progress": lessons, quiz attempts, pre-test, best quiz, and what changed in one module."""

    module_id: str
    title: str
    lessons_done: int
    lessons_total: int
    quiz_attempts: int
    best_score: float | None
    pretest_score: float | None
    pretest_state: str
    first_quiz_on_pretest_items: float | None = None  # the first quiz's score on the pre-test's questions
    course_title: str = ""

    @property
    def pretest_state_label(self) -> str:
        """The pre-test's state in the request's language ("skipped", "not taken")."""
        return pretest_state_label(self.pretest_state)

    @property
    def best_percent(self) -> int | None:
        """The best quiz score as a whole percentage, as the pages show it."""
        return whole_percent(self.best_score)

    @property
    def pretest_percent(self) -> int | None:
        """The pre-test score as a whole percentage."""
        return whole_percent(self.pretest_score)

    @property
    def change(self) -> int | None:
        """What was learned: the first quiz minus the pre-test, on the same questions, in percentage points.

        Not the best score: retakes can go on until a pass, so a best score rises by design
        (docs/outcomes.md). None until there is both a pre-test score and a first quiz.
        """
        after = whole_percent(self.first_quiz_on_pretest_items)
        if after is None or self.pretest_percent is None:
            return None
        return after - self.pretest_percent


def _pretest_state(item: ModuleProgress) -> str:
    if item.pretest_score is not None:
        return TAKEN
    if item.pretest_offered and not item.open_pretest_id:
        return SKIPPED  # a submitted pre-test without a score is one the learner chose to skip
    return NOT_TAKEN


def progress_report(courses: Iterable[CourseProgress]) -> list[ModuleReport]:
    """The numbers of the progress page, one row per module, course by course in course order."""
    return [
        ModuleReport(
            module_id=item.module.id,
            title=item.module.title,
            course_title=summary.course.title,
            lessons_done=len(item.completed_lessons),
            lessons_total=len(item.module.lessons),
            quiz_attempts=len(item.quiz_scores),
            best_score=item.best_score,
            pretest_score=item.pretest_score,
            pretest_state=_pretest_state(item),
            first_quiz_on_pretest_items=item.pretest_items_first_quiz,
        )
        for summary in courses
        for item in summary.modules
    ]


@dataclass(frozen=True)
class Viewer:
    """A member of staff who may see the learner's record, and why."""

    name: str
    role: str
    reasons: tuple[str, ...]

    @property
    def role_label(self) -> str:
        return str(ROLE_LABELS.get(self.role, self.role))


def record_viewers(learner: User) -> list[Viewer]:
    """The staff who may see this learner's record, by the same rules as access.can_view_learner.

    Facilitators of the cohorts the learner is a current member of; counselors attached to the
    learner directly or to one of those cohorts. One query.
    """
    current = (CohortMember.learner_id == learner.id, CohortMember.removed_at.is_(None))
    columns = (User.id, User.username, User.display_name, User.role)
    facilitators = (
        select(*columns, Cohort.name.label("via"))
        .join(Cohort, Cohort.facilitator_id == User.id)
        .join(CohortMember, CohortMember.cohort_id == Cohort.id)
        .where(User.role == FACILITATOR, *current)
    )
    direct = (
        select(*columns, null().label("via"))
        .join(Caseload, Caseload.counselor_id == User.id)
        .where(User.role == COUNSELOR, Caseload.learner_id == learner.id)
    )
    via_cohort = (
        select(*columns, Cohort.name.label("via"))
        .join(Caseload, Caseload.counselor_id == User.id)
        .join(Cohort, Cohort.id == Caseload.cohort_id)
        .join(CohortMember, CohortMember.cohort_id == Cohort.id)
        .where(User.role == COUNSELOR, *current)
    )
    people: dict[int, tuple[str, str, list[str]]] = {}
    row: Any
    for row in db.session.execute(union_all(facilitators, direct, via_cohort)).all():
        name, role, reasons = people.setdefault(row.id, (row.display_name or row.username, row.role, []))
        reasons.append(_("through your group “%(group)s”", group=row.via) if row.via else _("attached to you directly"))
    viewers = [Viewer(name, role, tuple(sorted(set(reasons)))) for name, role, reasons in people.values()]
    return sorted(viewers, key=lambda v: (v.role, v.name.lower()))


def audit_events_about(learner: User, by_others: bool = False, limit: int | None = None) -> list[dict]:
    """Audit events about the learner, oldest first; or the latest `limit` made by someone else."""
    stmt = (
        select(AuditEvent, User.display_name, User.username)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .where(AuditEvent.subject_id == learner.id)
        .order_by(AuditEvent.occurred_at, AuditEvent.id)
    )
    if by_others:  # `!=` leaves out events with no actor too (a failed sign-in with their username)
        stmt = (
            stmt.where(AuditEvent.actor_id != learner.id)
            .order_by(None)
            .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
            .limit(limit)
        )
    return [
        {
            "when": e.occurred_at,
            "action": e.action,
            "outcome": e.outcome,
            "by": _actor(learner, e, display_name or username),
            "by_role": e.actor_role,
        }
        for e, display_name, username in db.session.execute(stmt)
    ]


def _actor(learner: User, event: AuditEvent, name: str | None) -> str:
    if event.actor_id is None:
        return _("nobody signed in")
    if event.actor_id == learner.id:
        return _("you")
    role = ROLE_LABELS.get(event.actor_role or "", _l("unknown role"))
    return name or _("a deleted account (%(role)s)", role=role)


def recent_views(learner: User, limit: int = 10) -> list[dict]:
    """The latest audit events about the learner made by someone else, newest first, with a plain label."""
    return [
        {**event, "what": str(ACTION_LABELS.get(event["action"], event["action"].replace("_", " ").capitalize()))}
        for event in audit_events_about(learner, by_others=True, limit=limit)
    ]


@dataclass(frozen=True)
class Look:
    """One look at the learner's record by someone else: when, who (and their role then), what they saw."""

    when: datetime
    who: str
    role: str
    what: str


def _look_label(event: AuditEvent, course: Course) -> str:
    """Which part of the record a look showed, from the event's detail (ids only)."""
    parts = event.detail.split()
    if parts[:1] == ["cohort"]:  # a facilitator's progress table of the group, or its download
        if event.action == audit.RECORD_EXPORTED:
            return _("Your progress and scores, in your group's progress table (downloaded)")
        return _("Your progress and scores, in your group's progress table")
    if event.action == audit.RECORD_EXPORTED:
        return _("Downloaded your record")
    if parts[:1] == ["attempt"] and len(parts) == 4:
        module = course.module(parts[3])
        title = module.title if module else parts[3]
        if parts[2] == "pretest":
            return _("Your answers in the pre-test of “%(module)s”", module=title)
        return _("Your answers in the quiz of “%(module)s”", module=title)
    return _("Your record: progress, scores, answers summary and myths")


def record_looks(learner: User, course: Course, page: int) -> tuple[Pagination, list[Look]]:
    """One page of the looks at the learner's record by others, newest first (two queries, plus names)."""
    stmt = (
        select(AuditEvent)
        .where(
            AuditEvent.subject_id == learner.id, AuditEvent.action.in_(LOOK_ACTIONS), AuditEvent.actor_id != learner.id
        )
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    )
    pagination = db.paginate(stmt, page=page, per_page=LOOKS_PER_PAGE, error_out=False)
    names = audit.people(pagination.items)
    looks = [
        Look(
            e.occurred_at,
            names[e.actor_id].name if e.actor_id in names else _("a deleted account"),
            str(ROLE_LABELS.get(e.actor_role or "", _l("unknown role"))),
            _look_label(e, course),
        )
        for e in pagination.items
    ]
    return pagination, looks


class DeletionRefused(ValueError):
    """The username or password typed to confirm deletion was wrong; `field` says which."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def confirm_deletion(learner: User, username: str, password: str) -> None:
    """Check the username and password the learner typed to confirm deleting their account (no writes).

    :raise DeletionRefused: when the username or the password does not match.
    """
    if normalise_username(username) != learner.username:
        raise DeletionRefused("username", _("That is not your username. Type it as shown above the box."))
    if not verify_password(learner.password_hash, password):
        raise DeletionRefused("password", _("That password is not right. Type the password you sign in with."))


def delete_account(learner: User) -> None:
    """Delete the learner's account and every row about their learning (caller's transaction).

    The audit trail stays, holding only the numeric id (a pseudonym): the client addresses in the
    rows by or about the learner are cleared. After the commit, `erase_traces` empties SQLite's
    write-ahead log.
    """
    learner_id = learner.id
    audit.record(audit.ACCOUNT_DELETED, actor=learner, subject_id=learner_id)
    sessions.end_all_sessions(learner, sessions.ACCOUNT_DELETED)
    # Every table about the learner refers to the user with ON DELETE CASCADE (sessions,
    # memberships, lesson progress, attempts and their answers, direct assignments, caseload
    # links; SQLite enforces it with PRAGMA foreign_keys=ON). Audit rows hold plain ids and stay.
    db.session.execute(delete(User).where(User.id == learner_id))
    db.session.execute(
        update(AuditEvent)
        .where(or_(AuditEvent.actor_id == learner_id, AuditEvent.subject_id == learner_id))
        .values(client=None)
    )


def erase_traces() -> None:
    """After a deletion is committed: on SQLite, checkpoint and empty the write-ahead log.

    With secure_delete (course/database.py) zeroing the deleted rows, neither file then keeps the
    username or the password hash.
    """
    if not checkpoint_wal():
        current_app.logger.warning(
            "account deleted, but the WAL checkpoint could not complete: "
            "the -wal file may keep a copy of the rows until the next full checkpoint"
        )
