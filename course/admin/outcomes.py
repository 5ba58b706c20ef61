"""The programme's outcomes: before and after over every cohort, by module and question, and as CSV."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from flask import Response, render_template, request, stream_with_context, url_for
from flask_login import current_user

from ..access import ADMIN, role_required
from ..content import get_course
from ..database import write_transaction
from ..services import audit
from ..services.csv_export import stream_csv
from ..services.paired_outcomes import MIN_PAIRED
from ..services.programme_outcomes import CSV_HEADER, DateRange, outcomes_csv, programme_outcomes
from .forms import OutcomesRangeForm
from .outcome_chart import outcome_chart
from .views import bp


def _range_form() -> OutcomesRangeForm:
    form = OutcomesRangeForm(formdata=request.args)
    form.validate()
    return form


@bp.route("/outcomes")
@role_required(ADMIN)
def outcomes():
    """Before and after over every cohort, in a date range: a chart, a table by module, one by question."""
    form = _range_form()
    dates = form.to_range()
    figures = programme_outcomes(get_course(), dates)
    return render_template(
        "admin/outcomes.html",
        form=form,
        figures=figures,
        chart=outcome_chart(figures.modules),
        min_paired=MIN_PAIRED,
        export_url=_with_query(url_for("admin.export_outcomes"), _args(dates)),
    )


@bp.route("/outcomes.csv", methods=["POST"])
@role_required(ADMIN)
def export_outcomes():
    """Download the same figures as CSV: no names, nothing over fewer than the minimum; audited."""
    form = _range_form()
    dates = form.to_range()
    figures = programme_outcomes(get_course(), dates)
    with write_transaction():  # on record before the file is sent
        audit.record(audit.OUTCOMES_EXPORTED, actor=current_user, detail=f"programme outcomes {_label(dates)}")
    return Response(
        stream_with_context(stream_csv(CSV_HEADER, outcomes_csv(figures))),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="programme-outcomes.csv"'},
    )


def _args(dates: DateRange) -> dict[str, str]:
    """The range as query arguments, for the download's form."""
    return {name: value.isoformat() for name, value in (("since", dates.since), ("until", dates.until)) if value}


def _with_query(url: str, args: dict[str, str]) -> str:
    return f"{url}?{urlencode(args)}" if args else url


def _label(dates: DateRange) -> str:
    def day(value: date | None) -> str:
        return value.isoformat() if value else "any"

    return f"{day(dates.since)} to {day(dates.until)}"
