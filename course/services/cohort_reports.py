"""Cohort reports: the progress table with cohort totals and knowledge gain, and its CSV rows.

Each report is a fixed handful of aggregate queries, so the number of SQL statements does not
grow with the number of learners; the progress table is paged, and the CSV rows are read in
partitions so an export of any size streams. Status, best score and overdue follow
services/progress exactly (see docs/facilitating.md), over the current members of one cohort.
Item analysis is in item_analysis.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, func, or_, select

from ..content import Course, Module
from ..database import write_transaction
from ..extensions import db
from ..models import PRETEST, QUIZ, Assignment, Cohort, CohortMember, LessonProgress, QuizAttempt, User, utcnow
from . import audit
from .cohorts import Page, member_count, member_ids
from .progress import AVAILABLE, IN_PROGRESS, LOCKED, PASSED, unmet_prerequisites

PER_PAGE = 50
EXPORT_BATCH = 500
STATUS_LABELS = {LOCKED: "Locked", AVAILABLE: "Not started", IN_PROGRESS: "In progress", PASSED: "Passed"}
QA = QuizAttempt


def _percent(score: float | None) -> int | None:
    return None if score is None else int(round(score))


def _attempt_summary():
    """Per (learner, module) aggregates of attempts: best quiz score, pre-test score, passed (1 or 0)."""
    submitted = QA.submitted_at.is_not(None)
    return (
        func.max(case((and_(QA.kind == QUIZ, submitted), QA.score))).label("best"),
        # A pre-test is taken at most once; a skipped one is submitted without a score.
        func.max(case((and_(QA.kind == PRETEST, submitted), QA.score))).label("pretest"),
        func.max(case((and_(QA.kind == QUIZ, QA.passed.is_(True)), 1), else_=0)).label("passed"),
    )


# Sorting -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sort:
    """A whitelisted sort of the progress table: by name, by progress, or by one module's best score."""

    key: str  # "name", "progress" or "module:<module id>"
    descending: bool = False

    @property
    def value(self) -> str:
        """The `sort` URL parameter for this sort."""
        return ("-" if self.descending else "") + self.key

    def link(self, key: str) -> str:
        """The `sort` parameter for a column header: ascending first, then the other way round."""
        return Sort(key, not self.descending).value if key == self.key else key


DEFAULT_SORT = Sort("name")


def parse_sort(value: str | None, course: Course) -> Sort:
    """The sort asked for, if it is one we offer; otherwise sorting by name."""
    value = value or ""
    descending = value.startswith("-")
    key = value[1:] if descending else value
    allowed = {"name", "progress"} | {f"module:{m.id}" for m in course.modules}
    return Sort(key, descending) if key in allowed else DEFAULT_SORT


def _sort_key(sort: Sort, cohort: Cohort, course: Course):
    """(the column to order by, the subqueries to outer-join for it)."""
    members, module_ids = member_ids(cohort), [m.id for m in course.modules]
    if sort.key == "progress":
        lessons = (
            select(LessonProgress.learner_id, func.count().label("n"))
            .where(
                LessonProgress.learner_id.in_(members),
                LessonProgress.completed_at.is_not(None),
                LessonProgress.module_id.in_(module_ids),
            )
            .group_by(LessonProgress.learner_id)
            .subquery()
        )
        passed = (
            select(QA.learner_id, func.count(QA.module_id.distinct()).label("n"))
            .where(QA.learner_id.in_(members), QA.kind == QUIZ, QA.passed.is_(True), QA.module_id.in_(module_ids))
            .group_by(QA.learner_id)
            .subquery()
        )
        return func.coalesce(lessons.c.n, 0) + func.coalesce(passed.c.n, 0), (lessons, passed)
    if sort.key.startswith("module:"):
        best = (
            select(QA.learner_id, func.max(QA.score).label("best"))
            .where(
                QA.learner_id.in_(members),
                QA.kind == QUIZ,
                QA.module_id == sort.key.split(":", 1)[1],
                QA.submitted_at.is_not(None),
            )
            .group_by(QA.learner_id)
            .subquery()
        )
        return func.coalesce(best.c.best, -1), (best,)  # no score sorts as the lowest
    return User.username, ()


# One learner's row -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One learner in one module: status, best quiz score, pre-test score, lessons done, due date."""

    status: str
    best_score: float | None
    pretest_score: float | None
    lessons_done: int
    due_at: datetime | None
    overdue: bool

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def best_percent(self) -> int | None:
        """The best quiz score as a whole percentage, as the learner's own pages show it."""
        return _percent(self.best_score)


@dataclass(frozen=True)
class LearnerRow:
    """One current member of the cohort and their cells, in course order."""

    learner_id: int
    username: str
    display_name: str
    joined_at: datetime
    percent: int
    cells: tuple[Cell, ...]


@dataclass
class _Facts:
    """What a batch of learners did, keyed by (learner id, module id)."""

    lessons: dict
    attempts: dict
    dues: dict


def _merge_due(current: datetime | None, due: datetime | None) -> datetime | None:
    # As services/progress.due_dates: the earliest date wins; an assignment without a date adds none.
    return due if current is None else min(current, due) if due else current


def _facts(cohort: Cohort, learner_ids: list[int]) -> _Facts:
    """Three queries for any number of learners: lessons done, attempt aggregates, due dates."""
    lessons = {
        (lid, mid): n
        for lid, mid, n in db.session.execute(
            select(LessonProgress.learner_id, LessonProgress.module_id, func.count())
            .where(LessonProgress.learner_id.in_(learner_ids), LessonProgress.completed_at.is_not(None))
            .group_by(LessonProgress.learner_id, LessonProgress.module_id)
        )
    }
    attempts = {
        (r.learner_id, r.module_id): r
        for r in db.session.execute(
            select(QA.learner_id, QA.module_id, *_attempt_summary())
            .where(QA.learner_id.in_(learner_ids))
            .group_by(QA.learner_id, QA.module_id)
        )
    }
    dues: dict = {}
    individual = and_(Assignment.learner_id.in_(learner_ids), Assignment.assigned_by_id == cohort.facilitator_id)
    for learner_id, module_id, due in db.session.execute(
        select(Assignment.learner_id, Assignment.module_id, Assignment.due_at).where(
            Assignment.withdrawn_at.is_(None), or_(Assignment.cohort_id == cohort.id, individual)
        )
    ):
        for target in [learner_id] if learner_id is not None else learner_ids:
            dues[target, module_id] = _merge_due(dues.get((target, module_id)), due)
    return _Facts(lessons, attempts, dues)


def _learner_row(member, course: Course, facts: _Facts, now: datetime) -> LearnerRow:
    """Statuses exactly as services/progress derives them, from the batch's facts."""
    passed_ids = {m.id for m in course.modules if (a := facts.attempts.get((member.id, m.id))) and a.passed}
    cells = []
    for module in course.modules:
        done = facts.lessons.get((member.id, module.id), 0)
        attempt = facts.attempts.get((member.id, module.id))
        if unmet_prerequisites(module, passed_ids, course):
            status = LOCKED
        elif module.id in passed_ids:
            status = PASSED
        elif done or attempt:
            status = IN_PROGRESS
        else:
            status = AVAILABLE
        due = facts.dues.get((member.id, module.id))
        cells.append(
            Cell(
                status,
                attempt.best if attempt else None,
                attempt.pretest if attempt else None,
                done,
                due,
                bool(due and due < now and status != PASSED),
            )
        )
    steps = sum(len(m.lessons) + 1 for m in course.modules)
    finished = sum(c.lessons_done + (c.status == PASSED) for c in cells)
    return LearnerRow(
        member.id,
        member.username,
        member.display_name or "",
        member.joined_at,
        round(100 * finished / steps) if steps else 0,
        tuple(cells),
    )


def _member_rows(cohort_id: int):
    return (
        select(User.id, User.username, User.display_name, CohortMember.joined_at)
        .join(CohortMember, CohortMember.learner_id == User.id)
        .where(CohortMember.cohort_id == cohort_id, CohortMember.removed_at.is_(None))
    )


# The progress page -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ModuleTotal:
    """The cohort in one module: who passed, the mean best score, and the pre-test to quiz gain."""

    module: Module
    passed: int
    scored: int
    average_best: float | None
    gain_learners: int
    mean_pretest: float | None
    mean_best_with_pretest: float | None

    @property
    def gain(self) -> float | None:
        """Mean best quiz score minus mean pre-test score, in points, for learners with both."""
        if self.mean_pretest is None or self.mean_best_with_pretest is None:
            return None
        return round(self.mean_best_with_pretest - self.mean_pretest, 1)


@dataclass(frozen=True)
class ProgressPage:
    """One page of the progress table, with totals over the whole cohort."""

    rows: tuple[LearnerRow, ...]
    totals: tuple[ModuleTotal, ...]
    paging: Page
    sort: Sort


def cohort_totals(cohort: Cohort, course: Course) -> tuple[ModuleTotal, ...]:
    """Per module, over current members: passed count, mean best score, and knowledge gain. One query."""
    per_learner = (
        select(QA.learner_id, QA.module_id, *_attempt_summary())
        .where(QA.learner_id.in_(member_ids(cohort)))
        .group_by(QA.learner_id, QA.module_id)
        .subquery()
    )
    both = and_(per_learner.c.best.is_not(None), per_learner.c.pretest.is_not(None))
    rows = {
        r.module_id: r
        for r in db.session.execute(
            select(
                per_learner.c.module_id,
                func.sum(per_learner.c.passed).label("passed"),
                func.count(per_learner.c.best).label("scored"),
                func.avg(per_learner.c.best).label("average"),
                func.sum(case((both, 1), else_=0)).label("gain_n"),
                func.avg(case((both, per_learner.c.pretest))).label("pre"),
                func.avg(case((both, per_learner.c.best))).label("post"),
            ).group_by(per_learner.c.module_id)
        )
    }
    totals = []
    for module in course.modules:
        r = rows.get(module.id)
        if r is None:
            totals.append(ModuleTotal(module, 0, 0, None, 0, None, None))
        else:
            totals.append(
                ModuleTotal(
                    module,
                    int(r.passed or 0),
                    int(r.scored or 0),
                    _float(r.average),
                    int(r.gain_n or 0),
                    _float(r.pre),
                    _float(r.post),
                )
            )
    return tuple(totals)


def _float(value) -> float | None:
    return None if value is None else float(value)


def progress_page(
    cohort: Cohort, course: Course, sort: Sort = DEFAULT_SORT, page: int | None = 1, per_page: int = PER_PAGE
) -> ProgressPage:
    """One page of learners × modules, sorted, with cohort totals: six queries, however large the cohort."""
    paging = Page.clamp(page, per_page, member_count(cohort))
    key, joins = _sort_key(sort, cohort, course)
    stmt = _member_rows(cohort.id)
    for subquery in joins:
        stmt = stmt.outerjoin(subquery, subquery.c.learner_id == User.id)
    stmt = stmt.order_by(key.desc() if sort.descending else key.asc(), User.username, User.id)
    learners = db.session.execute(stmt.limit(per_page).offset(paging.offset)).all()
    facts = _facts(cohort, [r.id for r in learners])
    now = utcnow()
    rows = tuple(_learner_row(r, course, facts, now) for r in learners)
    return ProgressPage(rows, cohort_totals(cohort, course), paging, sort)


def iter_progress(cohort: Cohort, course: Course, batch: int = EXPORT_BATCH) -> Iterator[LearnerRow]:
    """Every current member's row, by username, read `batch` learners at a time (for exports)."""
    stmt = _member_rows(cohort.id).order_by(User.username, User.id).execution_options(yield_per=batch)
    now = utcnow()
    for partition in db.session.execute(stmt).partitions():
        facts = _facts(cohort, [r.id for r in partition])
        for member in partition:
            yield _learner_row(member, course, facts, now)


# CSV and audit ---------------------------------------------------------------------------------


def progress_csv(cohort: Cohort, course: Course) -> tuple[list[str], Iterator[list]]:
    """Header and (lazily read) rows of the progress export: one row per current member."""
    header = ["Username", "Display name", "Joined", "Done (%)"]
    for m in course.modules:
        header += [
            f"{m.title}: status",
            f"{m.title}: best quiz score (%)",
            f"{m.title}: pre-test score (%)",
            f"{m.title}: due",
            f"{m.title}: overdue",
        ]

    def rows() -> Iterator[list]:
        for row in iter_progress(cohort, course):
            line = [row.username, row.display_name, row.joined_at.date(), row.percent]
            for cell in row.cells:
                line += [
                    cell.status_label,
                    cell.best_score,
                    cell.pretest_score,
                    cell.due_at.date() if cell.due_at else None,
                    "yes" if cell.overdue else "no",
                ]
            yield line

    return header, rows()


def record_views(facilitator: User, cohort: Cohort, page: ProgressPage) -> None:
    """Audit a look at each learner on the page (their results are shown), committed before it is shown.

    One statement for the whole page, so the page's statement count does not grow with its learners.
    """
    shown = [row.learner_id for row in page.rows]
    if shown:
        with write_transaction():
            audit.record_each(audit.RECORD_VIEWED, facilitator, shown, detail=f"cohort {cohort.id} progress")


def record_export(facilitator: User, cohort: Cohort, what: str) -> None:
    """Write the audit of a cohort export ("cohort <id> <what> csv") in its own transaction.

    The progress export shows each current member's results, so each of them gets an event too
    (one INSERT ... SELECT over the members, held in no list: the export itself streams). The item
    analysis shows only counts over the cohort: one event for the cohort.
    """
    detail = f"cohort {cohort.id} {what} csv"
    with write_transaction():
        audit.record(audit.RECORD_EXPORTED, actor=facilitator, detail=detail)
        if what == "progress":
            audit.record_each(audit.RECORD_EXPORTED, facilitator, _member_rows(cohort.id), detail=detail)
