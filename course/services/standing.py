"""Where a learner stands in a module, as pure rules: status, percentages, due dates.

The learner's own pages (services/progress.py) and the facilitator's cohort reports
(services/cohort_progress.py) read their facts differently (one learner's rows, or aggregates
over a page of learners), then both decide through these functions, so the two always agree.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime

from ..content import Course, Module
from ..i18n import lazy_gettext as _l

LOCKED = "locked"
AVAILABLE = "available"
IN_PROGRESS = "in_progress"
PASSED = "passed"
# "Ready to start", not "Not started": a locked module is not started either.
STATUS_LABELS = {
    LOCKED: _l("Locked"),
    AVAILABLE: _l("Ready to start"),
    IN_PROGRESS: _l("In progress"),
    PASSED: _l("Passed"),
}


def unmet_prerequisites(module: Module, passed_ids: Collection[str], course: Course) -> tuple[Module, ...]:
    """The prerequisites of the module whose quiz is not passed: the module opens when none are left.

    None for an `always_open` module, whatever its prerequisites.
    """
    if module.always_open:
        return ()
    return tuple(course.modules_by_id[p] for p in module.prerequisites if p not in passed_ids)


def module_status(locked: bool, passed: bool, started: bool) -> str:
    """A module's status: locked (prerequisites unmet) before passed, passed before in progress."""
    if locked:
        return LOCKED
    if passed:
        return PASSED
    return IN_PROGRESS if started else AVAILABLE


def is_overdue(due_at: datetime | None, status: str, now: datetime) -> bool:
    """Past its due date and not passed."""
    return bool(due_at and due_at < now and status != PASSED)


def merge_due(current: datetime | None, due: datetime | None) -> datetime | None:
    """Two live assignments of one module: the earliest date wins; one without a date adds none."""
    if current is None:
        return due
    return min(current, due) if due else current


def whole_percent(score: float | None) -> int | None:
    """A score as the whole percentage every page shows (Python's round, as Jinja's `round` filter)."""
    return None if score is None else int(round(score))


def course_percent(modules: Iterable[Module], steps_done: Iterable[int]) -> int:
    """Share of the modules' steps (each lesson, and each module's quiz) done, as a whole percentage."""
    steps = sum(len(m.lessons) + 1 for m in modules)
    return round(100 * sum(steps_done) / steps) if steps else 0
