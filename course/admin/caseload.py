"""The admin's caseload pages: attach a cohort or a learner to a counselor, or detach one."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_login import current_user

from ..access import ADMIN, COUNSELOR, role_required
from ..database import write_transaction
from ..extensions import db
from ..i18n import gettext as _
from ..models import User
from ..services import caseload_links
from .forms import AttachCohortForm, AttachLearnerForm, cohort_form
from .views import bp, render_user_page

COUNSELOR_URL = "/users/<int:user_id>/caseload"


def counselor_or_404(user_id: int) -> User:
    """The counselor account with this id. :raise 404: for an unknown id or another role."""
    account = db.session.get(User, user_id)
    if account is None or account.role != COUNSELOR:
        abort(404)
    return account


def _done(account: User, message: str):
    flash(message, "success")
    return redirect(url_for("admin.user", user_id=account.id), 303)


def _refused(account: User, form, message: str | None = None):
    """Show the account page again with the form's errors (and the service's reason, if any)."""
    if message:
        next(f for f in form if f.name != "csrf_token").errors.append(message)
    forms = {"cohort_form": form} if isinstance(form, AttachCohortForm) else {"learner_form": form}
    return render_user_page(account, 422, **forms)


@bp.route(f"{COUNSELOR_URL}/cohorts", methods=["POST"])
@role_required(ADMIN)
def attach_cohort(user_id: int):
    """Put a cohort on the counselor's caseload: its current members' records become visible to them."""
    account = counselor_or_404(user_id)
    form = cohort_form()
    if not form.validate_on_submit():
        return _refused(account, form)
    try:
        with write_transaction():
            cohort = caseload_links.attach_cohort(account, form.cohort.data, current_user)
    except caseload_links.CaseloadError as error:
        return _refused(account, form, str(error))
    return _done(
        account,
        _(
            "The cohort “%(cohort)s” is now on %(counselor)s's caseload.",
            cohort=cohort.name,
            counselor=account.username,
        ),
    )


@bp.route(f"{COUNSELOR_URL}/learners", methods=["POST"])
@role_required(ADMIN)
def attach_learner(user_id: int):
    """Put one learner on the counselor's caseload."""
    account = counselor_or_404(user_id)
    form = AttachLearnerForm()
    if not form.validate_on_submit():
        return _refused(account, form)
    try:
        with write_transaction():
            learner = caseload_links.attach_learner(account, form.username.data, current_user)
    except caseload_links.CaseloadError as error:
        return _refused(account, form, str(error))
    return _done(
        account,
        _("%(learner)s is now on %(counselor)s's caseload.", learner=learner.username, counselor=account.username),
    )


@bp.route(f"{COUNSELOR_URL}/<int:link_id>/detach", methods=["POST"])
@role_required(ADMIN)
def detach(user_id: int, link_id: int):
    """Take a cohort or a learner off the caseload; the counselor loses access at their next request."""
    account = counselor_or_404(user_id)
    with write_transaction():
        detached = caseload_links.detach(account, link_id, current_user)
    if not detached:
        abort(404)
    return _done(account, _("Detached. The counselor can no longer see those records."))
