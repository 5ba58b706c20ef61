"""The member list of a cohort, and taking a learner out of it."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from ..access import FACILITATOR, role_required
from ..database import write_transaction
from ..forms import ConfirmForm
from ..i18n import gettext as _
from ..paging import requested_page
from ..services import cohorts
from .views import bp, own_cohort_or_404


@bp.route("/cohorts/<int:cohort_id>/members")
@role_required(FACILITATOR)
def members(cohort_id: int):
    """Current members (username, name shown, date joined), 50 to a page."""
    cohort = own_cohort_or_404(cohort_id)
    rows, page = cohorts.members_page(cohort, requested_page())
    return render_template("facilitate/members.html", cohort=cohort, page=page, rows=rows, tab="members")


@bp.route("/cohorts/<int:cohort_id>/members/<int:learner_id>/remove", methods=["GET", "POST"])
@role_required(FACILITATOR)
def remove_member(cohort_id: int, learner_id: int):
    """Ask to confirm, then take the learner out of the cohort; their account and progress are kept."""
    cohort = own_cohort_or_404(cohort_id)
    found = cohorts.current_member(cohort, learner_id) or abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        with write_transaction():
            try:
                learner = cohorts.remove_member(own_cohort_or_404(cohort_id), learner_id, current_user)
            except cohorts.CohortError:
                abort(404)  # removed meanwhile, e.g. from another tab
        flash(
            _("%(username)s is no longer in this cohort. Their progress is kept.", username=learner.username), "success"
        )
        return redirect(url_for("facilitate.members", cohort_id=cohort_id), 303)
    return render_template(
        "facilitate/remove_member.html", cohort=cohort, learner=found[0], membership=found[1], form=form, tab="members"
    )
