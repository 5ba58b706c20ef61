"""The cohort progress table: learners × modules, paged and sorted, and every row for exports.

Each page is a fixed handful of queries of the progress read model (services/progress_summary.py),
so the number of SQL statements does not grow with the number of learners; exports read rows in
partitions so a file of any size streams.
Status, percent, best score and overdue are decided by services/standing, as on the learner's
own pages (see docs/facilitating.md), over the current members of one cohort.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import NamedTuple, cast

from sqlalchemy import BindParameter, Select, Table, and_, bindparam, or_, select

from ..content import Course, Library
from ..extensions import db
from ..models import Assignment, Cohort, CohortMember, ModuleSummary, User, utcnow
from ..paging import PER_PAGE, Page
from .cohort_sorting import DEFAULT_SORT, Sort, sort_key
from .cohort_totals import ModuleTotal, cohort_totals
from .cohorts import member_count
from .learner_languages import languages_used
from .standing import (
    PASSED,
    STATUS_LABELS,
    course_percent,
    is_overdue,
    merge_due,
    module_status,
    unmet_prerequisites,
    whole_percent,
)

EXPORT_BATCH = 500
SUMMARY = cast(Table, ModuleSummary.__table__)


class Cell(NamedTuple):
    """One learner in one module: status, best quiz score, pre-test score, lessons done, due date.

    A named tuple: a page builds 250 of them, an export five per learner, and a tuple is made fastest.
    """

    status: str
    best_score: float | None
    pretest_score: float | None
    lessons_done: int
    due_at: datetime | None
    overdue: bool

    @property
    def status_label(self) -> str:
        """The status as the pages and the CSV name it."""
        return STATUS_LABELS[self.status]

    @property
    def best_percent(self) -> int | None:
        """The best quiz score as a whole percentage, as the learner's own pages show it."""
        return whole_percent(self.best_score)

    @property
    def shown(self) -> tuple:
        """What the progress table shows of the cell: cells alike in it are drawn once a page (facilitate/reports)."""
        due = None if self.overdue or self.status == PASSED else self.due_at
        return self.status, self.best_percent, self.overdue, due


@dataclass(frozen=True)
class LearnerRow:
    """One current member of the cohort and their cells, in course order."""

    learner_id: int
    username: str
    display_name: str
    joined_at: datetime
    percent: int
    cells: tuple[Cell, ...]
    last_activity_at: datetime | None  # the latest lesson completed or attempt begun or submitted
    languages: tuple[str, ...] = ()  # the languages the learner used (services/learner_languages.py)


@dataclass
class _Facts:
    """What a batch of learners did: summary rows keyed by (learner id, module id), and due dates."""

    summaries: dict
    dues: dict
    with_activity: bool = False  # the rows carry last_activity_at (exports only)


_CELL_FIGURES = (
    SUMMARY.c.learner_id,
    SUMMARY.c.module_id,
    SUMMARY.c.lessons_done,
    SUMMARY.c.attempts_begun,
    SUMMARY.c.best_score,
    SUMMARY.c.passed,
    SUMMARY.c.pretest_score,
)


# The page's statements, built once with bound parameters: SQLAlchemy then reuses their cache keys and
# compiled SQL, where building them anew each page cost a good part of a millisecond.
_LEARNERS: BindParameter[list[int]] = bindparam("learner_ids", expanding=True)
_SUMMARIES = select(*_CELL_FIGURES).where(SUMMARY.c.learner_id.in_(_LEARNERS))
_SUMMARIES_WITH_ACTIVITY = select(*_CELL_FIGURES, SUMMARY.c.last_activity_at).where(SUMMARY.c.learner_id.in_(_LEARNERS))
_DUES = select(Assignment.learner_id, Assignment.module_id, Assignment.due_at).where(
    Assignment.withdrawn_at.is_(None),
    or_(
        Assignment.cohort_id == bindparam("cohort_id"),
        and_(Assignment.learner_id.in_(_LEARNERS), Assignment.assigned_by_id == bindparam("facilitator_id")),
    ),
)


def _facts(cohort: Cohort, learner_ids: list[int], with_activity: bool = False) -> _Facts:
    """Two queries for any number of learners: their progress summaries, and the due dates.

    The last activity (a timestamp per row, for exports) only `with_activity`: the page does not show it.
    """
    summaries = {
        (r.learner_id, r.module_id): r
        for r in db.session.execute(
            _SUMMARIES_WITH_ACTIVITY if with_activity else _SUMMARIES, {"learner_ids": learner_ids}
        )
    }
    dues: dict = {}
    bound = {"cohort_id": cohort.id, "learner_ids": learner_ids, "facilitator_id": cohort.facilitator_id}
    for learner_id, module_id, due in db.session.execute(_DUES, bound):
        for target in [learner_id] if learner_id is not None else learner_ids:
            dues[target, module_id] = merge_due(dues.get((target, module_id)), due)
    return _Facts(summaries, dues, with_activity)


def _learner_row(member, course: Course, facts: _Facts, now: datetime, languages: tuple[str, ...] = ()) -> LearnerRow:
    """The learner's row from the batch's facts, decided by services/standing as on their own pages."""
    summaries = {m.id: facts.summaries.get((member.id, m.id)) for m in course.modules}
    passed_ids = frozenset(module_id for module_id, s in summaries.items() if s and s.passed)
    cells = []
    for module in course.modules:
        summary = summaries[module.id]
        done = summary.lessons_done if summary else 0
        locked = _locked(module.id, passed_ids, course)
        started = bool(summary and (summary.lessons_done or summary.attempts_begun))
        status = module_status(locked, module.id in passed_ids, started)
        due = facts.dues.get((member.id, module.id))
        cells.append(
            Cell(
                status,
                summary.best_score if summary else None,
                summary.pretest_score if summary else None,
                done,
                due,
                is_overdue(due, status, now),
            )
        )
    return LearnerRow(
        member.id,
        member.username,
        member.display_name or "",
        member.joined_at,
        course_percent(course.modules, (c.lessons_done + (c.status == PASSED) for c in cells)),
        tuple(cells),
        _last_activity(summaries.values()) if facts.with_activity else None,
        languages,
    )


def _last_activity(summaries) -> datetime | None:
    return max((s.last_activity_at for s in summaries if s and s.last_activity_at), default=None)


@lru_cache(maxsize=1024)
def _locked(module_id: str, passed_ids: frozenset[str], course: Course) -> bool:
    """Whether the module is locked for a learner who passed these modules (a page asks the same few often).

    Keyed by the course object itself (compared by identity): a reloaded course is asked afresh.
    """
    return bool(unmet_prerequisites(course.modules_by_id[module_id], passed_ids, course))


# The current members of a cohort (id, username, display name, joined), bound to "cohort_id".
_MEMBERS_BY_COHORT = (
    select(User.id, User.username, User.display_name, CohortMember.joined_at)
    .join(CohortMember, CohortMember.learner_id == User.id)
    .where(CohortMember.cohort_id == bindparam("cohort_id"), CohortMember.removed_at.is_(None))
)


@lru_cache(maxsize=256)
def _page_query(sort: Sort, module_ids: tuple[str, ...]) -> Select:
    """A page of members in this order, bound to "cohort_id", "limit" and "offset": built once a sort."""
    key, joins = sort_key(sort, module_ids)
    stmt = _MEMBERS_BY_COHORT
    for subquery in joins:
        stmt = stmt.outerjoin(subquery, subquery.c.learner_id == User.id)
    stmt = stmt.order_by(key.desc() if sort.descending else key.asc(), User.username, User.id)
    return stmt.limit(bindparam("limit")).offset(bindparam("offset"))


def member_rows(cohort_id: int) -> Select:
    """The current members of a cohort: id, username, display name, joined (for rows and audit)."""
    return _MEMBERS_BY_COHORT.params(cohort_id=cohort_id)


@dataclass(frozen=True)
class ProgressPage:
    """One page of the progress table, with totals over the whole cohort."""

    rows: tuple[LearnerRow, ...]
    totals: tuple[ModuleTotal, ...]
    paging: Page
    sort: Sort


def progress_page(
    cohort: Cohort, course: Library, sort: Sort = DEFAULT_SORT, page: int | None = 1, per_page: int = PER_PAGE
) -> ProgressPage:
    """One page of learners × modules, sorted, with cohort totals: five queries, however large the cohort."""
    paging = Page.clamp(page, per_page, member_count(cohort))
    bound = {"cohort_id": cohort.id, "limit": per_page, "offset": paging.offset}
    learners = db.session.execute(_page_query(sort, tuple(m.id for m in course.modules)), bound).all()
    facts = _facts(cohort, [r.id for r in learners])
    now = utcnow()
    languages = languages_used([r.id for r in learners])
    rows = tuple(_learner_row(r, course, facts, now, languages[r.id]) for r in learners)
    return ProgressPage(rows, cohort_totals(cohort, course), paging, sort)


def iter_progress(cohort: Cohort, course: Course, batch: int = EXPORT_BATCH) -> Iterator[LearnerRow]:
    """Every current member's row, by username, read `batch` learners at a time (for exports)."""
    stmt = member_rows(cohort.id).order_by(User.username, User.id).execution_options(yield_per=batch)
    now = utcnow()
    for partition in db.session.execute(stmt).partitions():
        facts = _facts(cohort, [r.id for r in partition], with_activity=True)
        for member in partition:
            yield _learner_row(member, course, facts, now)
