"""A cohort's totals per module: who passed, the mean best score, and the pre-test to best-quiz difference.

One query over the current members, whatever their number. `attempt_summary` is the per
(learner, module) aggregate of attempts that the progress table reads as well.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case, func, select

from ..content import Course, Module
from ..extensions import db
from ..models import PRETEST, QUIZ, Cohort
from ..models import QuizAttempt as QA
from .cohorts import member_ids


def attempt_summary():
    """Per (learner, module) aggregates of attempts: best quiz score, pre-test score, passed (1 or 0)."""
    submitted = QA.submitted_at.is_not(None)
    return (
        func.max(case((and_(QA.kind == QUIZ, submitted), QA.score))).label("best"),
        # A pre-test is taken at most once; a skipped one is submitted without a score.
        func.max(case((and_(QA.kind == PRETEST, submitted), QA.score))).label("pretest"),
        func.max(case((and_(QA.kind == QUIZ, QA.passed.is_(True)), 1), else_=0)).label("passed"),
    )


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


def cohort_totals(cohort: Cohort, course: Course) -> tuple[ModuleTotal, ...]:
    """Per module, over current members: passed count, mean best score, and knowledge gain. One query."""
    per_learner = (
        select(QA.learner_id, QA.module_id, *attempt_summary())
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
