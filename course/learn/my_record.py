"""The learner's own record: progress in numbers, who can see it, export, and deleting the account.

No URL here carries an id: every page is about the signed-in learner and nobody else.
"""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, session, url_for
from flask_login import current_user, logout_user

from .. import rate_limits
from ..access import LEARNER, role_required
from ..content import get_course
from ..database import write_transaction
from ..i18n import gettext as _
from ..paging import requested_page
from ..services import data_export, own_record, progress
from .charts import score_chart
from .forms import DeleteAccountForm
from .views import bp


@bp.route("/progress")
@role_required(LEARNER)
def my_progress():
    """Per module: lessons done, quiz attempts and best score, pre-test against best score, as chart and table."""
    report = own_record.progress_report(progress.courses_progress(current_user, get_course()))
    return render_template("learn/progress.html", report=report, chart=score_chart(report))


@bp.route("/data")
@role_required(LEARNER)
def my_data():
    """Who can see the learner's record, recent views of it, downloads, and the way to delete it."""
    return render_template(
        "learn/data.html", viewers=own_record.record_viewers(current_user), views=own_record.recent_views(current_user)
    )


@bp.route("/data/access-log")
@role_required(LEARNER)
def access_log():
    """Every look at the learner's record by someone else: who, their role, when, what; paged, newest first."""
    pagination, looks = own_record.record_looks(current_user, get_course(), requested_page())
    return render_template("learn/access_log.html", page=pagination, looks=looks)


@bp.route("/data/export.<any(json, csv):fmt>", methods=["POST"])
@role_required(LEARNER)
def export(fmt: str):
    """Download everything the course keeps about the learner (a POST: each export is audited)."""
    learner = current_user._get_current_object()
    file = data_export.download(learner, get_course(), fmt)  # read before the write lock is taken
    with write_transaction():  # on record before the file is sent
        data_export.record_download(learner, fmt)
    return Response(
        file.body, mimetype=file.mimetype, headers={"Content-Disposition": f'attachment; filename="{file.filename}"'}
    )


@bp.route("/data/delete", methods=["GET", "POST"])
@role_required(LEARNER)
@rate_limits.password_check
def delete_account():
    """Delete the account after the learner types their username and password; then sign out."""
    form = DeleteAccountForm(current_user.username)
    if form.validate_on_submit():
        learner = current_user._get_current_object()
        try:
            own_record.confirm_deletion(learner, form.username.data, form.password.data)
        except own_record.DeletionRefused as refused:
            form[refused.field].errors.append(str(refused))
        else:
            with write_transaction():
                own_record.delete_account(learner)
            own_record.erase_traces()
            logout_user()
            session.clear()
            flash(_("Your account and your course data are deleted."), "success")
            response = redirect(url_for("pages.index"), 303)
            response.headers["Clear-Site-Data"] = '"cache", "storage"'
            return response
    return render_template("learn/delete.html", form=form), 422 if form.errors else 200
