"""The sorts the cohort progress table offers: by name, by progress, or by one module's best score.

A sort is whitelisted (anything else in the URL sorts by name) and becomes a column to order by
plus the subqueries of the progress read model to outer-join for it, so sorting stays one query
however large the cohort.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case, func, select

from ..content import Course
from ..models import ModuleSummary as S
from ..models import User
from .cohorts import MEMBER_IDS_BY_COHORT


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


def sort_key(sort: Sort, module_ids: tuple[str, ...]):
    """(the column to order by, the subqueries to outer-join for it), bound to the cohort by "cohort_id"."""
    of_members = and_(S.learner_id.in_(MEMBER_IDS_BY_COHORT), S.module_id.in_(module_ids))
    if sort.key == "progress":
        steps = (
            select(S.learner_id, func.sum(S.lessons_done + case((S.passed.is_(True), 1), else_=0)).label("n"))
            .where(of_members)
            .group_by(S.learner_id)
            .subquery()
        )
        return func.coalesce(steps.c.n, 0), (steps,)
    if sort.key.startswith("module:"):
        best = (
            select(S.learner_id, S.best_score.label("best"))
            .where(of_members, S.module_id == sort.key.split(":", 1)[1])
            .subquery()
        )
        return func.coalesce(best.c.best, -1), (best,)  # no score sorts as the lowest
    return User.username, ()
