"""Assigning modules to a cohort or to chosen members, changing due dates, withdrawing."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from wtforms import SelectChoice

from ..access import FACILITATOR, role_required
from ..content import get_course
from ..database import write_transaction
from ..extensions import db
from ..forms import ConfirmForm
from ..i18n import gettext as _
from ..i18n import ngettext
from ..models import Cohort
from ..services import assignments as assigning
from ..services import cohorts
from .forms import EVERYONE, AssignForm, DueDateForm
from .views import bp, form_errors, own_cohort_or_404

# Up to this many members are listed as checkboxes; a larger cohort types usernames instead.
CHECKBOX_LIMIT = 200


def _assign_form(cohort: Cohort) -> tuple[AssignForm, bool]:
    """The form with the course's modules and, for a cohort small enough, its members as choices."""
    form = AssignForm()
    form.modules.choices = [SelectChoice(m.id, m.title) for m in get_course().modules]
    large = cohorts.member_count(cohort) > CHECKBOX_LIMIT
    if not large:
        form.learners.choices = [
            SelectChoice(str(user.id), user.username + (f" ({user.display_name})" if user.display_name else ""))
            for user, _ in db.session.execute(cohorts.current_members(cohort)).all()
        ]
    return form, large


def _page(cohort: Cohort, form: AssignForm, large: bool, status: int = 200):
    return render_template(
        "facilitate/assignments.html",
        cohort=cohort,
        form=form,
        large=large,
        rows=assigning.live_assignments(cohort),
        titles={m.id: get_course().module_label(m.id) for m in get_course().modules},
        module_groups=[(c.title, [m.id for m in c.modules]) for c in get_course().courses],
        tab="assignments",
    ), status


@bp.route("/cohorts/<int:cohort_id>/assignments", methods=["GET", "POST"])
@role_required(FACILITATOR)
def assignments(cohort_id: int):
    """The cohort's live assignments, and the form to assign modules with an optional due date."""
    cohort = own_cohort_or_404(cohort_id)
    form, large = _assign_form(cohort)
    if not form.validate_on_submit():
        return _page(cohort, form, large, 422 if form.is_submitted() else 200)
    try:
        due_at = assigning.due_at_from_date(form.due.data)
        with write_transaction():
            cohort = own_cohort_or_404(cohort_id)
            if form.who.data == EVERYONE:
                learners = None
            elif large:
                learners = assigning.members_by_username(cohort, form.usernames.data or "")
            else:
                learners = form.learners.data or []
            assigning.assign(cohort, form.modules.data or [], learners, due_at, current_user, get_course())
    except cohorts.CohortError as error:
        form_errors(form, error)
        return _page(cohort, form, large, 422)
    modules = len(set(form.modules.data))
    if learners is None:
        message = ngettext(
            "Assigned %(num)d module to the whole cohort.", "Assigned %(num)d modules to the whole cohort.", modules
        )
    else:
        # Two counts: the modules as a phrase of their own, placed in the sentence counting the members.
        message = ngettext(
            "Assigned %(modules)s to %(num)d chosen member.",
            "Assigned %(modules)s to %(num)d chosen members.",
            len(learners),
            modules=ngettext("%(num)d module", "%(num)d modules", modules),
        )
    flash(message, "success")
    return redirect(url_for("facilitate.assignments", cohort_id=cohort_id), 303)


def _assignment_or_404(cohort: Cohort, assignment_id: int) -> assigning.AssignmentRow:
    """A live assignment of this cohort. :raise 404: for another cohort's, a withdrawn or an unknown one."""
    return assigning.cohort_assignment(cohort, assignment_id) or abort(404)


@bp.route("/cohorts/<int:cohort_id>/assignments/<int:assignment_id>", methods=["GET", "POST"])
@role_required(FACILITATOR)
def assignment(cohort_id: int, assignment_id: int):
    """One assignment: change or clear its due date, or withdraw it."""
    cohort = own_cohort_or_404(cohort_id)
    row = _assignment_or_404(cohort, assignment_id)
    form = DueDateForm(data={"due": row.assignment.due_at.date() if row.assignment.due_at else None})
    if form.validate_on_submit():
        try:
            due_at = assigning.due_at_from_date(form.due.data)
            with write_transaction():
                assigning.change_due(_assignment_or_404(own_cohort_or_404(cohort_id), assignment_id).assignment, due_at)
        except cohorts.CohortError as error:
            form_errors(form, error)
        else:
            flash(_("The due date is changed.") if due_at else _("The assignment has no due date now."), "success")
            return redirect(url_for("facilitate.assignments", cohort_id=cohort_id), 303)
    status = 422 if form.errors else 200
    return render_template(
        "facilitate/assignment.html",
        cohort=cohort,
        row=row,
        form=form,
        confirm=ConfirmForm(),
        module=get_course().module(row.assignment.module_id),
        tab="assignments",
    ), status


@bp.route("/cohorts/<int:cohort_id>/assignments/<int:assignment_id>/withdraw", methods=["POST"])
@role_required(FACILITATOR)
def withdraw(cohort_id: int, assignment_id: int):
    """Withdraw an assignment: learners no longer see it or its due date."""
    with write_transaction():
        assigning.withdraw(_assignment_or_404(own_cohort_or_404(cohort_id), assignment_id).assignment)
    flash(_("The assignment is withdrawn."), "success")
    return redirect(url_for("facilitate.assignments", cohort_id=cohort_id), 303)
