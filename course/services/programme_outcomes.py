"""The programme's outcomes: the before-and-after figures over every cohort, by module and by question.

A learner counts who is or was a member of any cohort, with a pre-test and a first quiz in the
module; the date range selects pairs by the day of that first quiz (the "after"), in UTC. Nothing
here names a learner, and every figure over fewer than MIN_PAIRED learners is withheld, on the
page and in the download (docs/outcomes.md). Two queries of the progress read model
(services/progress_summary.py), whatever the number of learners: the module figures, and the
per-question shares over the questions each paired learner answered on both sides.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, Select, and_, case, func, select, true
from sqlalchemy.orm import InstrumentedAttribute

from ..content import Library, Module, Question
from ..extensions import db
from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l
from ..models import CohortMember
from ..models import ModuleSummary as S
from ..models import OutcomeItem as I
from .cohort_totals import ModuleTotal, module_totals
from .paired_outcomes import MIN_PAIRED


@dataclass(frozen=True)
class DateRange:
    """Days, both included, in UTC; an open end is no limit."""

    since: date | None = None
    until: date | None = None

    def condition(self, moment: InstrumentedAttribute[datetime | None]) -> ColumnElement[bool]:
        """The moment (when the first quiz, the "after", was submitted) is within the range."""
        parts = []
        if self.since:
            parts.append(moment >= datetime.combine(self.since, time(), UTC))
        if self.until:
            parts.append(moment < datetime.combine(self.until + timedelta(days=1), time(), UTC))
        return and_(true(), *parts)


@dataclass(frozen=True)
class ItemOutcome:
    """One pre-test question over the paired learners: the share right before and after (None under 5)."""

    module: Module
    module_label: str  # the module's title, and its course's when there are several
    question: Question
    paired: int
    right_before: int
    right_after: int

    @property
    def shown(self) -> bool:
        """Enough paired learners for the shares to be shown."""
        return self.paired >= MIN_PAIRED

    @property
    def share_before(self) -> int | None:
        """Percentage right on the pre-test (None when not shown)."""
        return round(100 * self.right_before / self.paired) if self.shown else None

    @property
    def share_after(self) -> int | None:
        """Percentage right on the first quiz (None when not shown)."""
        return round(100 * self.right_after / self.paired) if self.shown else None

    @property
    def change(self) -> int | None:
        """After minus before, in points of the share right."""
        if self.share_before is None or self.share_after is None:
            return None
        return self.share_after - self.share_before


@dataclass(frozen=True)
class ProgrammeOutcomes:
    """The page's figures: per module, and per pre-test question."""

    modules: tuple[ModuleTotal, ...]
    items: tuple[ItemOutcome, ...]


def _in_a_cohort() -> Select:
    return select(CohortMember.learner_id).distinct()


def programme_outcomes(course: Library, dates: DateRange) -> ProgrammeOutcomes:
    """By module and by pre-test question, over every cohort's learners paired within the dates."""
    return ProgrammeOutcomes(module_totals(_in_a_cohort(), course, dates.condition(S.after_at)), _items(course, dates))


def _items(course: Library, dates: DateRange) -> tuple[ItemOutcome, ...]:
    counts = {
        (module_id, question_id): (int(n), int(before), int(after))
        for module_id, question_id, n, before, after in db.session.execute(
            select(
                I.module_id,
                I.question_id,
                func.count(),
                func.sum(case((I.right_before.is_(True), 1), else_=0)),
                func.sum(case((I.right_after.is_(True), 1), else_=0)),
            )
            .join(S, and_(S.learner_id == I.learner_id, S.module_id == I.module_id))
            .where(I.learner_id.in_(_in_a_cohort()), dates.condition(S.after_at))
            .group_by(I.module_id, I.question_id)
        )
    }
    return tuple(
        ItemOutcome(module, course.module_label(module.id), question, *counts.get((module.id, question.id), (0, 0, 0)))
        for module in course.modules
        for question in module.pretest.questions
    )


# Lazy: each download gets the header in its reader's language (the same columns in every language).
CSV_HEADER = [
    _l("Level"),
    _l("Module"),
    _l("Question id"),
    _l("Question"),
    _l("Learners with both"),
    _l("Before (%)"),
    _l("After (%)"),
    _l("Change (points)"),
    _l("%(confidence)d%% interval, low", confidence=95),
    _l("%(confidence)d%% interval, high", confidence=95),
    _l("Cohen's d"),
    _l("Normalized gain"),
]


def outcomes_csv(outcomes: ProgrammeOutcomes) -> Iterator[list]:
    """The download's rows: one per module, then one per pre-test question; withheld cells are empty."""
    fewer = _("fewer than %(num)d", num=MIN_PAIRED)
    module, question = _("module"), _("question")
    for total in outcomes.modules:
        o = total.outcome
        figures = (
            [o.mean_pre, o.mean_post, o.mean_difference, o.ci_low, o.ci_high, o.cohens_d, o.normalized_gain]
            if o
            else [None] * 7
        )
        shown = total.paired if total.paired >= MIN_PAIRED else fewer
        yield [module, total.label, "", "", shown, *(_rounded(v) for v in figures)]
    for item in outcomes.items:
        shown = item.paired if item.shown else fewer
        yield [
            question,
            item.module_label,
            item.question.id,
            item.question.prompt,
            shown,
            item.share_before,
            item.share_after,
            item.change,
            None,
            None,
            None,
            None,
        ]


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)
