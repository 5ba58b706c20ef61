"""The progress read model (models/summary.py): kept true in the event's own transaction, rebuilt on demand.

Two tables: module_summary (a learner's figures in a module) and outcome_item (per pre-test
question, right before and after, once the learner has both).

Every event that changes a learner's figures in a module (a lesson completed, an attempt begun, a
pre-test skipped or closed, an attempt submitted) calls `refresh` before its transaction ends, which
recomputes that one row from the records: a row cannot disagree with the records it was computed
from, and a missed increment cannot drift it. `rebuild` computes every row with the same
aggregates (`flask progress rebuild`, and after bulk loads). tests/test_progress_summary.py checks
that the two agree after random mixes of events.

Why no delta updates ("+1 on submit"): a recompute reads a handful of indexed rows, and it stays
right whatever the event. On PostgreSQL (READ COMMITTED) two transactions of one learner and
module (two tabs) could each recompute without seeing the other's uncommitted event; a
transaction-scoped advisory lock on (learner, module) makes the second wait, and its recompute,
a later statement, then sees the first's commit. SQLite's write transactions already take turns.

Not in the row, decided when a report is read: a module's status (its prerequisites are the
course's, which can change), due dates and overdue (assignments and membership change, and the
clock moves), so an assignment changed or a member removed needs no refresh.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache
from typing import cast

from sqlalchemy import ColumnElement, Select, Table, and_, bindparam, case, delete, false, func, insert, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import BindParameter

from ..database import upsert
from ..extensions import db
from ..models import PRETEST, QUIZ, SURE, AttemptAnswer, LessonProgress, ModuleSummary, OutcomeItem
from ..models import QuizAttempt as QA

FIGURES = (
    "lessons_done",
    "attempts_begun",
    "quizzes_submitted",
    "quizzes_failed",
    "best_score",
    "passed",
    "pretest_score",
    "before_score",
    "after_score",
    "after_at",
    "sure_but_wrong",
    "last_activity_at",
)
REBUILD_BATCH = 2_000
BEFORE = aliased(QA, name="before")  # the pre-test of an outcome pair


def _attempt_figures() -> tuple:
    """Aggregates over one learner's attempts in one module (grouped by both, or filtered to them)."""
    submitted = QA.submitted_at.is_not(None)
    quiz, pretest = and_(QA.kind == QUIZ, submitted), and_(QA.kind == PRETEST, submitted)
    return (
        func.count(QA.id).label("attempts_begun"),
        func.sum(case((quiz, 1), else_=0)).label("quizzes_submitted"),
        func.sum(case((and_(QA.kind == QUIZ, QA.passed.is_(False)), 1), else_=0)).label("quizzes_failed"),
        func.max(case((quiz, QA.score))).label("best_score"),
        func.max(case((and_(QA.kind == QUIZ, QA.passed.is_(True)), 1), else_=0)).label("passed"),
        # A pre-test is taken at most once; a skipped one is submitted without a score.
        func.max(case((pretest, QA.score))).label("pretest_score"),
        func.max(case((pretest, QA.pretest_items_score))).label("before_score"),
        func.max(case((QA.first_quiz.is_(True), QA.pretest_items_score))).label("after_score"),
        func.max(case((QA.first_quiz.is_(True), QA.submitted_at))).label("after_at"),
        func.max(func.coalesce(QA.submitted_at, QA.started_at)).label("last_attempt_at"),
    )


_LESSONS_DONE = LessonProgress.completed_at.is_not(None)
_SURE_BUT_WRONG = and_(
    QA.kind == QUIZ, QA.submitted_at.is_not(None), AttemptAnswer.confidence == SURE, AttemptAnswer.correct.is_(False)
)


def _latest(*moments: datetime | None) -> datetime | None:
    return max((m for m in moments if m is not None), default=None)


def _row(learner_id: int, module_id: str, attempts, lessons: int, last_lesson_at, sure_but_wrong: int) -> dict:
    """The summary row from the aggregates (attempts: a row of _attempt_figures, or None when there are none)."""
    row = {
        "learner_id": learner_id,
        "module_id": module_id,
        "lessons_done": lessons,
        "sure_but_wrong": sure_but_wrong,
        "attempts_begun": 0,
        "quizzes_submitted": 0,
        "quizzes_failed": 0,
        "best_score": None,
        "passed": False,
        "pretest_score": None,
        "before_score": None,
        "after_score": None,
        "after_at": None,
        "last_activity_at": last_lesson_at,
    }
    if attempts is not None and attempts.attempts_begun:
        row.update(
            attempts_begun=int(attempts.attempts_begun),
            quizzes_submitted=int(attempts.quizzes_submitted or 0),
            quizzes_failed=int(attempts.quizzes_failed or 0),
            best_score=attempts.best_score,
            passed=bool(attempts.passed),
            pretest_score=attempts.pretest_score,
            before_score=attempts.before_score,
            after_score=attempts.after_score,
            after_at=attempts.after_at,
            last_activity_at=_latest(last_lesson_at, attempts.last_attempt_at),
        )
    return row


def _item_pairs(*conditions: ColumnElement[bool]) -> Select:
    """(learner, module, question, right before, right after) of each pre-test question the learner answered
    on their scored pre-test and on their first quiz (`conditions` on the pre-test attempt, `BEFORE`)."""
    before_answer, after, after_answer = aliased(AttemptAnswer), aliased(QA), aliased(AttemptAnswer)
    return (
        select(
            BEFORE.learner_id,
            BEFORE.module_id,
            before_answer.question_id,
            func.coalesce(before_answer.correct, false()),
            func.coalesce(after_answer.correct, false()),
        )
        .join(before_answer, before_answer.attempt_id == BEFORE.id)
        .join(
            after,
            and_(
                after.learner_id == BEFORE.learner_id,
                after.module_id == BEFORE.module_id,
                after.first_quiz.is_(True),
                after.pretest_items_score.is_not(None),
            ),
        )
        .join(
            after_answer,
            and_(after_answer.attempt_id == after.id, after_answer.question_id == before_answer.question_id),
        )
        .where(
            BEFORE.kind == PRETEST,
            BEFORE.submitted_at.is_not(None),
            BEFORE.pretest_items_score.is_not(None),
            *conditions,
        )
    )


ITEM_COLUMNS = ["learner_id", "module_id", "question_id", "right_before", "right_after"]


def _store_item_pairs(*conditions: ColumnElement[bool]) -> None:
    db.session.execute(insert(OutcomeItem).from_select(ITEM_COLUMNS, _item_pairs(*conditions)))


def computed_item_pairs(learner_ids: Iterable[int]) -> set[tuple]:
    """The outcome_item rows the records give for these learners (for checks)."""
    return {tuple(row) for row in db.session.execute(_item_pairs(BEFORE.learner_id.in_(list(learner_ids))))}


def _module_key(module_id: str) -> int:
    """A stable signed 32-bit number for a module id (the advisory lock's second key)."""
    return zlib.crc32(module_id.encode()) - 2**31


# The statements of a refresh, built once (it runs inside every submit's write lock): bound to the
# learner and module by name, so SQLAlchemy reuses their compiled SQL.
_LEARNER: BindParameter[int] = bindparam("learner_id")
_MODULE: BindParameter[str] = bindparam("module_id")
_OWN_LESSONS = and_(LessonProgress.learner_id == _LEARNER, LessonProgress.module_id == _MODULE, _LESSONS_DONE)
_FIGURES_OF_ONE = select(
    *_attempt_figures(),
    select(func.count(LessonProgress.id)).where(_OWN_LESSONS).scalar_subquery().label("lessons"),
    select(func.max(LessonProgress.completed_at)).where(_OWN_LESSONS).scalar_subquery().label("last_lesson_at"),
    select(func.count(AttemptAnswer.id))
    .join(QA, QA.id == AttemptAnswer.attempt_id)
    .where(QA.learner_id == _LEARNER, QA.module_id == _MODULE, _SURE_BUT_WRONG)
    .correlate(None)  # its own attempts table, not the outer query's
    .scalar_subquery()
    .label("sure"),
    *(
        select(stored)
        .where(ModuleSummary.learner_id == _LEARNER, ModuleSummary.module_id == _MODULE)
        .scalar_subquery()
        # The pair the kept row was computed with: the item rows are rewritten only when it changes.
        .label(f"stored_{stored.key}")
        for stored in (ModuleSummary.before_score, ModuleSummary.after_at)
    ),
).where(QA.learner_id == _LEARNER, QA.module_id == _MODULE)
# On the tables, not the mapped classes: executed with parameters, an ORM insert would be a bulk insert.
_SUMMARY, _ITEMS = cast(Table, ModuleSummary.__table__), cast(Table, OutcomeItem.__table__)
_DELETE_ONE = delete(_SUMMARY).where(_SUMMARY.c.learner_id == _LEARNER, _SUMMARY.c.module_id == _MODULE)
_DELETE_ITEMS_OF_ONE = delete(_ITEMS).where(_ITEMS.c.learner_id == _LEARNER, _ITEMS.c.module_id == _MODULE)
_STORE_ITEMS_OF_ONE = insert(_ITEMS).from_select(
    ITEM_COLUMNS, _item_pairs(BEFORE.learner_id == _LEARNER, BEFORE.module_id == _MODULE)
)
_LOCK_ONE = select(func.pg_advisory_xact_lock(_LEARNER, bindparam("module_key")))


@lru_cache(maxsize=2)
def _upsert_one(dialect: str):
    stmt = upsert(_SUMMARY, dialect).values({name: bindparam(name) for name in ("learner_id", "module_id", *FIGURES)})
    return stmt.on_conflict_do_update(
        index_elements=["learner_id", "module_id"], set_={name: stmt.excluded[name] for name in FIGURES}
    )


def refresh(learner_id: int, module_id: str) -> None:
    """Recompute the learner's row in the module from the records (caller's transaction, after the event)."""
    session = db.session
    dialect = session.get_bind().dialect.name
    key = {"learner_id": learner_id, "module_id": module_id}
    if dialect == "postgresql":
        session.execute(_LOCK_ONE, {"learner_id": learner_id, "module_key": _module_key(module_id)})
    figures = session.execute(_FIGURES_OF_ONE, key).one()
    row = _row(learner_id, module_id, figures, int(figures.lessons or 0), figures.last_lesson_at, int(figures.sure))
    if not row["lessons_done"] and not row["attempts_begun"]:
        session.execute(_DELETE_ONE, key)
        return
    session.execute(_upsert_one(dialect), row)
    paired = row["before_score"] is not None and row["after_score"] is not None
    # The item rows belong to the pair (the one scored pre-test, the first quiz); both are kept with the row,
    # so a later quiz, which changes neither, leaves them as they are. Records are never taken back, so an
    # unpaired learner has no item rows to remove.
    if paired and (figures.stored_before_score, figures.stored_after_at) != (row["before_score"], row["after_at"]):
        session.execute(_DELETE_ITEMS_OF_ONE, key)
        session.execute(_STORE_ITEMS_OF_ONE, key)


def computed_rows(learner_ids: Iterable[int] | None = None) -> dict[tuple[int, str], dict]:
    """Every summary row as the records give it (of these learners only, if given), keyed by (learner, module)."""
    ids = None if learner_ids is None else list(learner_ids)

    def only(column):
        return True if ids is None else column.in_(ids)

    lessons = {
        (r.learner_id, r.module_id): (int(r.n), r.last)
        for r in db.session.execute(
            select(
                LessonProgress.learner_id,
                LessonProgress.module_id,
                func.count(LessonProgress.id).label("n"),
                func.max(LessonProgress.completed_at).label("last"),
            )
            .where(_LESSONS_DONE, only(LessonProgress.learner_id))
            .group_by(LessonProgress.learner_id, LessonProgress.module_id)
        )
    }
    attempts = {
        (r.learner_id, r.module_id): r
        for r in db.session.execute(
            select(QA.learner_id, QA.module_id, *_attempt_figures())
            .where(only(QA.learner_id))
            .group_by(QA.learner_id, QA.module_id)
        )
    }
    sure = {
        (learner_id, module_id): int(n)
        for learner_id, module_id, n in db.session.execute(
            select(QA.learner_id, QA.module_id, func.count(AttemptAnswer.id))
            .join(QA, QA.id == AttemptAnswer.attempt_id)
            .where(_SURE_BUT_WRONG, only(QA.learner_id))
            .group_by(QA.learner_id, QA.module_id)
        )
    }
    rows = {}
    for key in lessons.keys() | attempts.keys():
        n, last = lessons.get(key, (0, None))
        rows[key] = _row(*key, attempts.get(key), n, last, sure.get(key, 0))
    return rows


def rebuild(learner_ids: Iterable[int] | None = None) -> int:
    """Recompute every row (of these learners only, if given) from the records (caller's transaction)."""
    ids = None if learner_ids is None else list(learner_ids)
    rows = list(computed_rows(ids).values())
    if ids is None:
        db.session.execute(delete(ModuleSummary))
        db.session.execute(delete(OutcomeItem))
        _store_item_pairs()
    else:
        db.session.execute(delete(ModuleSummary).where(ModuleSummary.learner_id.in_(ids)))
        db.session.execute(delete(OutcomeItem).where(OutcomeItem.learner_id.in_(ids)))
        _store_item_pairs(BEFORE.learner_id.in_(ids))
    for start in range(0, len(rows), REBUILD_BATCH):
        db.session.execute(insert(ModuleSummary), rows[start : start + REBUILD_BATCH])
    return len(rows)
