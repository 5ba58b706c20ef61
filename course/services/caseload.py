"""A counselor's caseload: the paged, filtered list with progress in numbers (the links: caseload_links.py).

The list is built from `access.visible_learners` (the same rule as the record page), so it can
never show a learner the record page would refuse. Its cost does not grow with the caseload: one
count and one page query, then three queries over the learners of that page only, two of them of
the progress read model (services/progress_summary.py).

Rules (docs/counseling-and-audit.md):
- behind: at least one live assignment (to the learner or a cohort they are a current member
  of) whose due date has passed, in a module the learner has not passed — as on their own page;
- inactive for N days: last active (or, never active, the account's creation) N days ago or more;
- failed a quiz twice: two or more failed quiz attempts in one module with no passing attempt in
  that module (passing after failing clears it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, case, distinct, exists, func, select, union_all

from ..access import visible_learners
from ..content import Course
from ..extensions import db
from ..models import Assignment, CohortMember, User, utcnow
from ..models import ModuleSummary as S

INACTIVE_DAYS = (7, 14, 30)
PER_PAGE = 25


@dataclass(frozen=True)
class CaseloadFilter:
    """The filters of the caseload list; all off shows every learner on the caseload."""

    behind: bool = False
    inactive_days: int | None = None
    failed_twice: bool = False

    def __post_init__(self):
        if self.inactive_days is not None and self.inactive_days not in INACTIVE_DAYS:
            raise ValueError(f"inactive_days must be one of {INACTIVE_DAYS}")


@dataclass(frozen=True)
class CaseloadRow:
    """One learner in the list, with their progress in numbers."""

    learner: User
    modules_passed: int
    lessons_done: int
    overdue: int
    failed_twice: tuple[str, ...]  # titles of the modules failed twice and not passed
    sure_but_wrong: int  # wrong quiz answers the learner said they were sure of


@dataclass(frozen=True)
class CaseloadPage:
    """One page of the caseload, with the course totals the numbers are out of."""

    rows: tuple[CaseloadRow, ...]
    pagination: Pagination
    modules_total: int
    lessons_total: int


def _passed(learner_id, module_id):
    """SQL condition: the learner has passed the module's quiz (their progress summary says so)."""
    return exists().where(S.learner_id == learner_id, S.module_id == module_id, S.passed.is_(True))


def _overdue(now: datetime, module_ids: list[str], learner_ids=None):
    """(learner_id, module_id) of live assignments past due in modules not passed (a subquery)."""
    live = Assignment.withdrawn_at.is_(None)
    direct = select(Assignment.learner_id.label("learner_id"), Assignment.module_id, Assignment.due_at).where(
        live, Assignment.learner_id.is_not(None)
    )
    via_cohort = (
        select(CohortMember.learner_id.label("learner_id"), Assignment.module_id, Assignment.due_at)
        .join(Assignment, Assignment.cohort_id == CohortMember.cohort_id)
        .where(live, CohortMember.removed_at.is_(None))
    )
    if learner_ids is not None:
        direct = direct.where(Assignment.learner_id.in_(learner_ids))
        via_cohort = via_cohort.where(CohortMember.learner_id.in_(learner_ids))
    assigned = union_all(direct, via_cohort).subquery()
    return (
        select(assigned.c.learner_id, assigned.c.module_id)
        .where(
            assigned.c.due_at < now,
            assigned.c.module_id.in_(module_ids),
            ~_passed(assigned.c.learner_id, assigned.c.module_id),
        )
        .subquery()
    )


def _failed_twice(module_ids: list[str], learner_ids=None) -> Select:
    """(learner_id, module_id) with two or more failed quiz attempts and no pass in that module."""
    stmt = select(S.learner_id, S.module_id).where(
        S.quizzes_failed >= 2, S.passed.is_(False), S.module_id.in_(module_ids)
    )
    if learner_ids is not None:
        stmt = stmt.where(S.learner_id.in_(learner_ids))
    return stmt


def caseload_query(counselor: User, course: Course, flt: CaseloadFilter, now: datetime | None = None) -> Select:
    """A select() of the counselor's learners that match the filter, in username order."""
    now = now or utcnow()
    module_ids = [m.id for m in course.modules]
    stmt = visible_learners(counselor)
    if flt.behind:
        stmt = stmt.where(User.id.in_(select(_overdue(now, module_ids).c.learner_id)))
    if flt.inactive_days:
        cutoff = now - timedelta(days=flt.inactive_days)
        stmt = stmt.where(func.coalesce(User.last_active_at, User.created_at) <= cutoff)
    if flt.failed_twice:
        stmt = stmt.where(User.id.in_(select(_failed_twice(module_ids).subquery().c.learner_id)))
    return stmt.order_by(User.username, User.id)


def _counts(stmt: Select) -> dict[int, int]:
    return {learner_id: n for learner_id, n in db.session.execute(stmt)}


def caseload_page(
    counselor: User, course: Course, flt: CaseloadFilter, page: int = 1, per_page: int = PER_PAGE
) -> CaseloadPage:
    """One page of the counselor's caseload with each learner's numbers; five queries whatever the size."""
    now = utcnow()
    pagination = db.paginate(caseload_query(counselor, course, flt, now), page=page, per_page=per_page, error_out=False)
    ids = [learner.id for learner in pagination.items]
    module_ids = [m.id for m in course.modules]
    lessons, passed, sure_but_wrong = {}, {}, {}
    for learner_id, done, modules_passed, sure in db.session.execute(
        select(
            S.learner_id,
            func.sum(S.lessons_done),
            func.sum(case((S.passed.is_(True), 1), else_=0)),
            func.sum(S.sure_but_wrong),
        )
        .where(S.learner_id.in_(ids), S.module_id.in_(module_ids))
        .group_by(S.learner_id)
    ):
        lessons[learner_id], passed[learner_id], sure_but_wrong[learner_id] = int(done), int(modules_passed), int(sure)
    overdue_pairs = _overdue(now, module_ids, ids)
    overdue = _counts(
        select(overdue_pairs.c.learner_id, func.count(distinct(overdue_pairs.c.module_id))).group_by(
            overdue_pairs.c.learner_id
        )
    )
    struggling: dict[int, list[str]] = {}
    for learner_id, module_id in db.session.execute(_failed_twice(module_ids, ids)):
        struggling.setdefault(learner_id, []).append(module_id)
    titles = {m.id: m.title for m in course.modules}
    order = {m.id: n for n, m in enumerate(course.modules)}
    rows = tuple(
        CaseloadRow(
            learner,
            passed.get(learner.id, 0),
            lessons.get(learner.id, 0),
            overdue.get(learner.id, 0),
            tuple(titles[m] for m in sorted(struggling.get(learner.id, ()), key=order.__getitem__)),
            sure_but_wrong.get(learner.id, 0),
        )
        for learner in pagination.items
    )
    return CaseloadPage(rows, pagination, len(course.modules), sum(len(m.lessons) for m in course.modules))
