"""A cohort's progress table, item analysis and their CSV exports (readable after archiving too)."""

from __future__ import annotations

from collections.abc import Hashable, Iterable

from flask import Response, abort, get_template_attribute, render_template, request, stream_with_context
from flask_login import current_user
from markupsafe import Markup

from .. import i18n
from ..access import FACILITATOR, role_required
from ..content import get_course
from ..database import write_transaction
from ..forms import ConfirmForm
from ..paging import requested_page
from ..services import assignments, cohort_exports, cohort_progress, cohort_sorting, item_analysis
from ..services.csv_export import stream_csv
from ..services.paired_outcomes import MIN_PAIRED
from .views import bp, own_cohort_or_404


@bp.route("/cohorts/<int:cohort_id>")
@role_required(FACILITATOR)
def cohort(cohort_id: int):
    """Learners × modules: status, best score and overdue flag, sortable and paged, with cohort totals."""
    cohort = own_cohort_or_404(cohort_id, archived_ok=True)
    course = assignments.cohort_courses(cohort, get_course())
    sort = cohort_sorting.parse_sort(request.args.get("sort"), course)
    report = cohort_progress.progress_page(cohort, course, sort, requested_page())
    if report.rows:
        with write_transaction():  # the looks are on record before the results are shown
            cohort_exports.record_views(current_user, cohort, report)
    return render_template(
        "facilitate/cohort.html",
        cohort=cohort,
        report=report,
        cells=drawn_once("progress_cell", ((cell.shown, cell) for row in report.rows for cell in row.cells)),
        languages=drawn_once("languages_note", ((row.languages, row.languages) for row in report.rows)),
        course=course,
        confirm=ConfirmForm(),
        tab="progress",
        min_paired=MIN_PAIRED,
    )


def drawn_once(macro: str, things: Iterable[tuple[Hashable, object]]) -> dict[Hashable, Markup]:
    """Each distinct thing drawn once by a macro of facilitate/_progress_table.html, keyed as given.

    A page of 50 learners has 250 cells but a few dozen distinct ones, and three or so sets of languages;
    drawn one by one, translating and formatting their text took half the page's rendering time.
    """
    draw = get_template_attribute("facilitate/_progress_table.html", macro)
    distinct = dict(things)
    return {key: draw(thing) for key, thing in distinct.items()}


@bp.route("/cohorts/<int:cohort_id>/modules/<module_id>")
@role_required(FACILITATOR)
def items(cohort_id: int, module_id: str):
    """Question by question: share correct on first attempts, the most chosen wrong answer and its myth."""
    cohort = own_cohort_or_404(cohort_id, archived_ok=True)
    course = get_course()
    module = course.module(module_id) or abort(404)
    language = i18n.chosen_language(request.args.get("language"))  # split by the attempts' language; else all
    return render_template(
        "facilitate/items.html",
        cohort=cohort,
        module=module,
        module_label=course.module_label(module.id),
        rows=item_analysis.item_analysis(cohort, [module], course, language),
        learners=item_analysis.first_attempt_counts(cohort, [module], language).get(module.id, 0),
        language=language,
        confirm=ConfirmForm(),
        tab="progress",
    )


def _csv_download(cohort_id: int, what: str, build) -> Response:
    """Audit the export, then stream the file: rows are read while the response is sent."""
    cohort = own_cohort_or_404(cohort_id, archived_ok=True)
    with write_transaction():  # on record before the first row is sent
        cohort_exports.record_export(current_user, cohort, what)
    header, rows = build(cohort, assignments.cohort_courses(cohort, get_course()))
    return Response(
        stream_with_context(stream_csv(header, rows)),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="cohort-{cohort.id}-{what}.csv"'},
    )


@bp.route("/cohorts/<int:cohort_id>/export/progress.csv", methods=["POST"])
@role_required(FACILITATOR)
def export_progress(cohort_id: int):
    """Download the progress table of every current member as CSV (a POST: each export is audited)."""
    return _csv_download(cohort_id, "progress", cohort_exports.progress_csv)


@bp.route("/cohorts/<int:cohort_id>/export/items.csv", methods=["POST"])
@role_required(FACILITATOR)
def export_items(cohort_id: int):
    """Download the item analysis of every module as CSV (audited)."""
    return _csv_download(cohort_id, "items", item_analysis.items_csv)
