"""A cohort's totals per module: who passed, the mean best score, and the before-and-after outcome figures.

One query over the current members, whatever their number. `attempt_summary` is the per
(learner, module) aggregate of attempts that the progress table reads as well.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, case, func, select

from ..content import Course, Module
from ..extensions import db
from ..models import PRETEST, QUIZ, Cohort
from ..models import QuizAttempt as QA
from .cohorts import member_ids
from .paired_outcomes import PairedSummary, PairedSums, summarise


def attempt_summary(after_window: ColumnElement[bool] | None = None):
    """Per (learner, module) aggregates of attempts: best quiz score, pre-test score, passed (1 or 0),
    and the matched pair of outcome scores: the pre-test, and the first quiz on the pre-test's questions
    (only when that quiz meets `after_window`, a condition on its row, if given).
    """
    submitted = QA.submitted_at.is_not(None)
    first_quiz = QA.first_quiz.is_(True) if after_window is None else and_(QA.first_quiz.is_(True), after_window)
    return (
        func.max(case((and_(QA.kind == QUIZ, submitted), QA.score))).label("best"),
        # A pre-test is taken at most once; a skipped one is submitted without a score.
        func.max(case((and_(QA.kind == PRETEST, submitted), QA.score))).label("pretest"),
        func.max(case((and_(QA.kind == QUIZ, QA.passed.is_(True)), 1), else_=0)).label("passed"),
        func.max(case((and_(QA.kind == PRETEST, submitted), QA.pretest_items_score))).label("before"),
        func.max(case((first_quiz, QA.pretest_items_score))).label("after"),
    )


@dataclass(frozen=True)
class ModuleTotal:
    """The cohort in one module: who passed, the mean best score, and the before-and-after figures."""

    module: Module
    passed: int
    scored: int
    average_best: float | None
    paired: int  # learners with both a pre-test score and a first quiz
    outcome: PairedSummary | None  # None under MIN_PAIRED paired learners


def cohort_totals(cohort: Cohort, course: Course) -> tuple[ModuleTotal, ...]:
    """Per module, over current members: passed count, mean best score and outcome figures. One query."""
    return module_totals(QA.learner_id.in_(member_ids(cohort)), course)


def module_totals(
    learners: ColumnElement[bool], course: Course, after_window: ColumnElement[bool] | None = None
) -> tuple[ModuleTotal, ...]:
    """Per module, over the attempts of the learners `learners` selects: one query, whatever their number.

    With `after_window`, only pairs whose "after" (first quiz) attempt meets it are paired.
    """
    per_learner = (
        select(QA.learner_id, QA.module_id, *attempt_summary(after_window))
        .where(learners)
        .group_by(QA.learner_id, QA.module_id)
        .subquery()
    )
    before, after = per_learner.c.before, per_learner.c.after
    both = and_(before.is_not(None), after.is_not(None))
    difference = after - before
    rows = {
        r.module_id: r
        for r in db.session.execute(
            select(
                per_learner.c.module_id,
                func.sum(per_learner.c.passed).label("passed"),
                func.count(per_learner.c.best).label("scored"),
                func.avg(per_learner.c.best).label("average"),
                func.sum(case((both, 1), else_=0)).label("paired"),
                func.sum(case((both, before))).label("sum_before"),
                func.sum(case((both, after))).label("sum_after"),
                func.sum(case((both, difference))).label("sum_difference"),
                func.sum(case((both, difference * difference))).label("sum_difference_squared"),
            ).group_by(per_learner.c.module_id)
        )
    }
    return tuple(_total(module, rows.get(module.id)) for module in course.modules)


def _total(module: Module, row) -> ModuleTotal:
    if row is None:
        return ModuleTotal(module, 0, 0, None, 0, None)
    paired = int(row.paired or 0)
    sums = PairedSums(
        paired,
        float(row.sum_before or 0),
        float(row.sum_after or 0),
        float(row.sum_difference or 0),
        float(row.sum_difference_squared or 0),
    )
    return ModuleTotal(
        module,
        int(row.passed or 0),
        int(row.scored or 0),
        None if row.average is None else float(row.average),
        paired,
        summarise(sums),
    )
