"""A cohort's progress CSV, and the audit of a facilitator's looks at and exports of a cohort's results.

The audit functions write in the caller's transaction (see the services package); the view commits
them before the page or the file is sent.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..content import Library
from ..i18n import gettext as _
from ..models import Cohort, User
from . import audit
from .cohort_progress import ProgressPage, iter_progress, member_rows


def progress_csv(cohort: Cohort, course: Library) -> tuple[list[str], Iterator[list]]:
    """Header and (lazily read) rows of the progress export: one row per current member."""
    header = [_("Username"), _("Display name"), _("Joined"), _("Done (%)"), _("Last course activity (UTC)")]
    for m in course.modules:
        label = course.module_label(m.id)
        header += [
            _("%(module)s: status", module=label),
            _("%(module)s: best quiz score (%%)", module=label),
            _("%(module)s: pre-test score (%%)", module=label),
            _("%(module)s: due", module=label),
            _("%(module)s: overdue", module=label),
        ]
    yes, no = _("yes"), _("no")

    def rows() -> Iterator[list]:
        for row in iter_progress(cohort, course):
            last = row.last_activity_at.strftime("%Y-%m-%d %H:%M") if row.last_activity_at else None
            line = [row.username, row.display_name, row.joined_at.date(), row.percent, last]
            for cell in row.cells:
                line += [
                    cell.status_label,
                    cell.best_score,
                    cell.pretest_score,
                    cell.due_at.date() if cell.due_at else None,
                    yes if cell.overdue else no,
                ]
            yield line

    return header, rows()


def record_views(facilitator: User, cohort: Cohort, page: ProgressPage) -> None:
    """Audit a look at each learner on the page (their results are shown).

    One statement for the whole page, so the page's statement count does not grow with its learners.
    """
    shown = [row.learner_id for row in page.rows]
    if shown:
        audit.record_each(audit.RECORD_VIEWED, facilitator, shown, detail=f"cohort {cohort.id} progress")


def record_export(facilitator: User, cohort: Cohort, what: str) -> None:
    """Audit a cohort export ("cohort <id> <what> csv").

    The progress export shows each current member's results, so each of them gets an event too
    (one INSERT ... SELECT over the members, held in no list: the export itself streams). The item
    analysis shows only counts over the cohort: one event for the cohort.
    """
    detail = f"cohort {cohort.id} {what} csv"
    audit.record(audit.RECORD_EXPORTED, actor=facilitator, detail=detail)
    if what == "progress":
        audit.record_each(audit.RECORD_EXPORTED, facilitator, member_rows(cohort.id), detail=detail)
