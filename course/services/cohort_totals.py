"""A cohort's totals per module: who passed, the mean best score, and the before-and-after outcome figures.

One query of the progress read model (services/progress_summary.py) over the current members,
whatever their number.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, case, func, select

from ..content import Library, Module
from ..extensions import db
from ..models import Cohort
from ..models import ModuleSummary as S
from .cohorts import MEMBER_IDS_BY_COHORT
from .paired_outcomes import PairedSummary, PairedSums, summarise


@dataclass(frozen=True)
class ModuleTotal:
    """The cohort in one module: who passed, the mean best score, and the before-and-after figures."""

    module: Module
    label: str  # the module's title, and its course's when several are shown
    passed: int
    scored: int
    average_best: float | None
    paired: int  # learners with both a pre-test score and a first quiz
    outcome: PairedSummary | None  # None under MIN_PAIRED paired learners


def cohort_totals(cohort: Cohort, course: Library) -> tuple[ModuleTotal, ...]:
    """Per module, over current members: passed count, mean best score and outcome figures. One query."""
    return _by_module(db.session.execute(_COHORT_TOTALS, {"cohort_id": cohort.id}), course)


def module_totals(
    learners: Select, course: Library, after_window: ColumnElement[bool] | None = None
) -> tuple[ModuleTotal, ...]:
    """Per module, over the learners whose ids `learners` selects: one query, whatever their number.

    With `after_window` (a condition on ModuleSummary.after_at), only pairs whose "after" (first
    quiz) meets it are paired.
    """
    return _by_module(db.session.execute(_totals_query(learners, after_window)), course)


def _totals_query(learners: Select, after_window: ColumnElement[bool] | None = None) -> Select:
    before = S.before_score
    after = S.after_score if after_window is None else case((after_window, S.after_score))
    both = and_(before.is_not(None), after.is_not(None))
    difference = after - before
    return (
        select(
            S.module_id,
            func.sum(case((S.passed.is_(True), 1), else_=0)).label("passed"),
            func.count(S.best_score).label("scored"),
            func.avg(S.best_score).label("average"),
            func.sum(case((both, 1), else_=0)).label("paired"),
            func.sum(case((both, before))).label("sum_before"),
            func.sum(case((both, after))).label("sum_after"),
            func.sum(case((both, difference))).label("sum_difference"),
            func.sum(case((both, difference * difference))).label("sum_difference_squared"),
        )
        .where(S.learner_id.in_(learners))
        .group_by(S.module_id)
    )


# The cohort page's totals, built once and bound to the cohort by id: building the statement and its
# cache key anew took about a third of a millisecond a page.
_COHORT_TOTALS = _totals_query(MEMBER_IDS_BY_COHORT)


def _by_module(rows, course: Library) -> tuple[ModuleTotal, ...]:
    found = {r.module_id: r for r in rows}
    return tuple(_total(module, course.module_label(module.id), found.get(module.id)) for module in course.modules)


def _total(module: Module, label: str, row) -> ModuleTotal:
    if row is None:
        return ModuleTotal(module, label, 0, 0, None, 0, None)
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
        label,
        int(row.passed or 0),
        int(row.scored or 0),
        None if row.average is None else float(row.average),
        paired,
        summarise(sums),
    )
