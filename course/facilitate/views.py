"""The facilitator's pages: their cohorts, creating, renaming, archiving, and the join code.

Members, assignments and reports are in members.py, assignments.py and reports.py. Every route
that takes a cohort id finds the cohort through own_cohort_or_404, so another facilitator's
cohort, an unknown id and (for changes) an archived cohort all answer 404.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from ..access import FACILITATOR, role_required
from ..database import write_transaction
from ..forms import ConfirmForm
from ..i18n import gettext as _
from ..models import Cohort
from ..services import cohorts
from .forms import CohortNameForm

bp = Blueprint("facilitate", __name__)


def own_cohort_or_404(cohort_id: int, archived_ok: bool = False) -> Cohort:
    """The signed-in facilitator's cohort with this id.

    :raise 404: for another facilitator's cohort, an unknown id, or an archived cohort unless
        `archived_ok` (reports stay readable after archiving; changes do not).
    """
    cohort = cohorts.own_cohort(current_user, cohort_id)
    if cohort is None or (cohort.archived_at is not None and not archived_ok):
        abort(404)
    return cohort


def form_errors(form, error: cohorts.CohortError) -> None:
    """Show a refused action next to the field it is about, or as a message when it has none."""
    if error.field and error.field in form:
        form[error.field].errors = [*form[error.field].errors, str(error)]
    else:
        flash(str(error), "error")


@bp.route("/")
@role_required(FACILITATOR)
def home():
    """The facilitator's cohorts with member counts, a form to create one, and the archived ones."""
    return _home(CohortNameForm())


def _home(form: CohortNameForm, status: int = 200):
    return render_template(
        "facilitate/home.html",
        rows=cohorts.facilitator_cohorts(current_user),
        archived=cohorts.facilitator_cohorts(current_user, archived=True),
        form=form,
    ), status


@bp.route("/cohorts", methods=["POST"])
@role_required(FACILITATOR)
def create():
    """Create a cohort with a fresh join code, then show its join code."""
    form = CohortNameForm()
    if form.validate_on_submit():
        try:
            with write_transaction():
                cohort = cohorts.create_cohort(form.name.data, current_user)
        except cohorts.CohortError as error:
            form_errors(form, error)
        else:
            flash(_("The cohort is ready. Give its join code or link to your learners."), "success")
            return redirect(url_for("facilitate.settings", cohort_id=cohort.id), 303)
    return _home(form, 422)


@bp.route("/cohorts/<int:cohort_id>/settings")
@role_required(FACILITATOR)
def settings(cohort_id: int):
    """The join code (as text and as a link), renaming and archiving."""
    cohort = own_cohort_or_404(cohort_id)
    return _settings(cohort, CohortNameForm(name=cohort.name))


def _settings(cohort: Cohort, form: CohortNameForm, status: int = 200):
    return render_template(
        "facilitate/settings.html", cohort=cohort, form=form, confirm=ConfirmForm(), tab="settings"
    ), status


@bp.route("/cohorts/<int:cohort_id>/rename", methods=["POST"])
@role_required(FACILITATOR)
def rename(cohort_id: int):
    """Rename the cohort."""
    cohort = own_cohort_or_404(cohort_id)
    form = CohortNameForm()
    if form.validate_on_submit():
        try:
            with write_transaction():
                cohorts.rename(own_cohort_or_404(cohort_id), form.name.data)
        except cohorts.CohortError as error:
            form_errors(form, error)
        else:
            flash(_("The cohort is renamed."), "success")
            return redirect(url_for("facilitate.settings", cohort_id=cohort_id), 303)
    return _settings(cohort, form, 422)


def _change(cohort_id: int, action, message: str, archived_ok: bool = False, back: str | None = None):
    """Apply one change to the facilitator's cohort in a write transaction, then go back (to its settings)."""
    with write_transaction():
        action(own_cohort_or_404(cohort_id, archived_ok))
    flash(message, "success")
    return redirect(back or url_for("facilitate.settings", cohort_id=cohort_id), 303)


@bp.route("/cohorts/<int:cohort_id>/join-code/rotate", methods=["POST"])
@role_required(FACILITATOR)
def rotate_code(cohort_id: int):
    """Replace the join code; the old one stops working at once."""
    return _change(cohort_id, cohorts.rotate_join_code, _("There is a new join code. The old code no longer works."))


@bp.route("/cohorts/<int:cohort_id>/join-code/off", methods=["POST"])
@role_required(FACILITATOR)
def joining_off(cohort_id: int):
    """Switch joining off: the code stops working."""
    return _change(
        cohort_id,
        lambda cohort: cohorts.set_joining(cohort, False),
        _("Joining is off. Nobody can join with a code until you switch it on."),
    )


@bp.route("/cohorts/<int:cohort_id>/join-code/on", methods=["POST"])
@role_required(FACILITATOR)
def joining_on(cohort_id: int):
    """Switch joining on with a fresh code."""
    return _change(cohort_id, lambda cohort: cohorts.set_joining(cohort, True), _("Joining is on, with a new code."))


@bp.route("/cohorts/<int:cohort_id>/archive", methods=["POST"])
@role_required(FACILITATOR)
def archive(cohort_id: int):
    """Archive the cohort: off the main list, joining off, reports still readable."""
    return _change(
        cohort_id,
        cohorts.archive,
        _("The cohort is archived. Its reports stay available."),
        back=url_for("facilitate.home"),
    )


@bp.route("/cohorts/<int:cohort_id>/restore", methods=["POST"])
@role_required(FACILITATOR)
def restore(cohort_id: int):
    """Bring an archived cohort back; joining stays off until switched on."""
    return _change(
        cohort_id,
        cohorts.restore,
        _("The cohort is back on your list. Joining is off until you switch it on."),
        archived_ok=True,
    )
