"""Assignments: modules assigned to a whole cohort or to chosen members, with optional due dates.

A cohort's assignments are those made to the whole cohort, plus those its facilitator made to one
of its current members (the schema lets an assignment name a cohort or a learner, not both).
Every function works in the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import and_, or_, select

from ..content import Course, Library
from ..extensions import db
from ..i18n import gettext as _
from ..models import Assignment, Cohort, CohortMember, User, utcnow
from ..models.base import valid_id
from .cohorts import CohortError, member_ids

DUE_TIME = time(23, 59, 59, tzinfo=UTC)  # a date means "by the end of that day, UTC"
DUE_HORIZON_DAYS = 5 * 366


def due_at_from_date(day: date | None, today: date | None = None) -> datetime | None:
    """The due time for a date picked in the form: the end of that day in UTC, or None for no date.

    :raise CohortError: for a date before today (UTC) or more than five years ahead.
    """
    if day is None:
        return None
    today = today or utcnow().date()
    if day < today:
        raise CohortError(_("That date has passed. Choose today or a later date."), "due")
    if day > today + timedelta(days=DUE_HORIZON_DAYS):
        raise CohortError(_("Choose a date within the next five years."), "due")
    return datetime.combine(day, DUE_TIME)


@dataclass(frozen=True)
class AssignmentRow:
    """A live assignment as the assignments page lists it; `learner` is None for the whole cohort."""

    assignment: Assignment
    learner: User | None


def _cohort_scope(cohort: Cohort):
    """SQL condition: a live assignment of this cohort (to all of it, or by its facilitator to a member)."""
    individual = and_(Assignment.learner_id.in_(member_ids(cohort)), Assignment.assigned_by_id == cohort.facilitator_id)
    return and_(Assignment.withdrawn_at.is_(None), or_(Assignment.cohort_id == cohort.id, individual))


def live_assignments(cohort: Cohort) -> list[AssignmentRow]:
    """The cohort's live assignments: whole-cohort ones first, then by member; by due date within each."""
    rows = db.session.execute(
        select(Assignment, User)
        .outerjoin(User, User.id == Assignment.learner_id)
        .where(_cohort_scope(cohort))
        .order_by(
            Assignment.learner_id.is_not(None), User.username, Assignment.due_at, Assignment.module_id, Assignment.id
        )
    ).all()
    return [AssignmentRow(assignment, learner) for assignment, learner in rows]


def cohort_assignment(cohort: Cohort, assignment_id: int) -> AssignmentRow | None:
    """One live assignment of the cohort, or None (another cohort's, withdrawn, or unknown)."""
    if not valid_id(assignment_id):
        return None
    row = db.session.execute(
        select(Assignment, User)
        .outerjoin(User, User.id == Assignment.learner_id)
        .where(Assignment.id == assignment_id, _cohort_scope(cohort))
    ).first()
    return AssignmentRow(row[0], row[1]) if row else None


def _check_modules(module_ids: list[str], course: Course) -> list[str]:
    chosen = list(dict.fromkeys(module_ids or []))
    if not chosen:
        raise CohortError(_("Choose at least one module."), "modules")
    if any(course.module(module_id) is None for module_id in chosen):
        raise CohortError(_("Choose modules from the list."), "modules")
    return chosen


def _check_members(cohort: Cohort, learner_ids: list) -> list[int]:
    try:
        wanted = {int(value) for value in learner_ids}
    except (TypeError, ValueError):
        raise CohortError(_("Choose members of this cohort from the list."), "learners") from None
    if not all(valid_id(value) for value in wanted):
        raise CohortError(_("Choose members of this cohort from the list."), "learners")
    if not wanted:
        raise CohortError(_("Choose at least one member, or assign to everyone in the cohort."), "learners")
    found = set(db.session.scalars(member_ids(cohort).where(CohortMember.learner_id.in_(wanted))))
    if found != wanted:
        raise CohortError(_("Choose members of this cohort from the list."), "learners")
    return sorted(found)


def members_by_username(cohort: Cohort, text: str) -> list[int]:
    """The ids of current members named in `text` (usernames separated by commas, spaces or lines).

    :raise CohortError: naming the usernames that are not current members.
    """
    names = {name.strip().lower() for name in text.replace(",", " ").split() if name.strip()}
    if not names:
        raise CohortError(_("Type at least one username, or assign to everyone in the cohort."), "usernames")
    found = dict(
        db.session.execute(
            select(User.username, User.id).where(User.username.in_(names), User.id.in_(member_ids(cohort)))
        ).all()
    )
    missing = sorted(names - set(found))
    if missing:
        shown = ", ".join(missing[:10])
        if len(missing) > 10:
            raise CohortError(_("Not members of this cohort: %(names)s and others.", names=shown), "usernames")
        raise CohortError(_("Not members of this cohort: %(names)s.", names=shown), "usernames")
    return sorted(found.values())


def assign(
    cohort: Cohort, module_ids: list[str], learner_ids: list | None, due_at: datetime | None, by: User, course: Course
) -> int:
    """Assign modules to the whole cohort (learner_ids None) or to chosen current members.

    A module already assigned to the same people gets the new due date instead of a second
    assignment. Returns the number of assignments made or updated.
    :raise CohortError: for no or unknown modules, or learners who are not current members.
    """
    modules = _check_modules(module_ids, course)
    if learner_ids is None:
        key, targets = "cohort_id", [cohort.id]
    else:
        key, targets = "learner_id", _check_members(cohort, learner_ids)
    live = select(Assignment).where(
        getattr(Assignment, key).in_(targets), Assignment.module_id.in_(modules), Assignment.withdrawn_at.is_(None)
    )
    if learner_ids is not None:  # another facilitator's assignment to the same learner stays theirs
        live = live.where(Assignment.assigned_by_id == by.id)
    existing = {(getattr(a, key), a.module_id): a for a in db.session.scalars(live)}
    for target in targets:
        for module_id in modules:
            if (target, module_id) in existing:
                existing[target, module_id].due_at = due_at
            else:
                db.session.add(Assignment(module_id=module_id, due_at=due_at, assigned_by_id=by.id, **{key: target}))
    return len(targets) * len(modules)


def change_due(assignment: Assignment, due_at: datetime | None) -> None:
    """Set (or clear, with None) an assignment's due date."""
    assignment.due_at = due_at


def withdraw(assignment: Assignment) -> None:
    """Withdraw an assignment: learners no longer see it or its due date; the row is kept."""
    assignment.withdrawn_at = assignment.withdrawn_at or utcnow()


def cohort_courses(cohort: Cohort, library: Library) -> Library:
    """The courses the cohort's reports show: the built-in one, and each other course with a live assignment in it.

    No query when the installation serves one course.
    """
    if len(library.courses) == 1:
        return library
    assigned = set(
        db.session.scalars(
            select(Assignment.module_id)
            .where(Assignment.cohort_id == cohort.id, Assignment.withdrawn_at.is_(None))
            .distinct()
        )
    )
    courses = library.courses_with(assigned)
    return library if len(courses) == len(library.courses) else Library.of(courses)
