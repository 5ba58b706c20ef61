"""The clinical reviewer's pages: a draft's changes beside the check, approve or ask for changes; versions.

Approving publishes the draft as the course's next version. Every version is kept; any two can
be compared, and an earlier one made the newest again (a new version, audited).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..access import AUTHOR, REVIEWER, has_permission, permission_required
from ..database import write_transaction
from ..forms import ConfirmForm
from ..i18n import gettext as _
from ..services import authoring, course_library, course_packs
from .forms import NoteForm
from .views import _refused, bp, draft_or_404


@bp.route("/courses/<course_id>/review")
@permission_required(REVIEWER, AUTHOR)
def review(course_id: str):
    """What the draft changes, file by file, and what the check finds."""
    draft = draft_or_404(course_id)
    return render_template(
        "author/review.html",
        draft=draft,
        changes=authoring.diff(authoring.version_files(draft.base_version), draft.files),
        findings=authoring.findings(draft),
        may_approve=has_permission(current_user, REVIEWER) and current_user.id not in draft.editor_ids,
        note_form=NoteForm(formdata=None),
        confirm=ConfirmForm(),
    )


@bp.route("/courses/<course_id>/review/approve", methods=["POST"])
@permission_required(REVIEWER)
def approve(course_id: str):
    """Publish the draft: learners get it at their next page."""
    draft = draft_or_404(course_id)
    ConfirmForm().validate_on_submit() or abort(400)
    try:
        with write_transaction():
            version = authoring.approve(draft, current_user)
    except authoring.AuthoringError as error:
        return _refused(error, url_for("author.review", course_id=course_id))
    course_library.reload()
    flash(_("Published as version %(number)s.", number=version.number), "success")
    return redirect(url_for("author.versions", course_id=course_id), 303)


@bp.route("/courses/<course_id>/review/changes", methods=["POST"])
@permission_required(REVIEWER)
def ask_for_changes(course_id: str):
    """Send the draft back to its authors with what to change."""
    draft = draft_or_404(course_id)
    form = NoteForm()
    if not form.validate_on_submit():
        return _refused(
            authoring.AuthoringError(_("Say what to change.")), url_for("author.review", course_id=course_id)
        )
    try:
        with write_transaction():
            authoring.ask_for_changes(draft, form.note.data, current_user)
    except authoring.AuthoringError as error:
        return _refused(error, url_for("author.review", course_id=course_id))
    flash(_("Sent back to its authors with your note."), "success")
    return redirect(url_for("author.home"), 303)


@bp.route("/courses/<course_id>/versions")
@permission_required(REVIEWER, AUTHOR)
def versions(course_id: str):
    """Every version of the course; the changes between any two (?a=1&b=3)."""
    stored = course_packs.versions_by_course().get(course_id) or abort(404)
    numbers = {v.number: v for v in stored}
    newest = stored[0].number
    a, b = request.args.get("a", type=int), request.args.get("b", type=int)
    if a not in numbers or b not in numbers:
        a, b = max(newest - 1, 1), newest
    changes = authoring.diff(
        authoring.version_files(authoring.version(course_id, a)),
        authoring.version_files(authoring.version(course_id, b)),
    )
    return render_template(
        "author/versions.html",
        course_id=course_id,
        versions=stored,
        a=a,
        b=b,
        changes=changes,
        may_return=has_permission(current_user, REVIEWER),
        confirm=ConfirmForm(),
    )


@bp.route("/courses/<course_id>/versions/<int:number>/return", methods=["POST"])
@permission_required(REVIEWER)
def return_to(course_id: str, number: int):
    """Make an earlier version the newest again, as a new version."""
    ConfirmForm().validate_on_submit() or abort(400)
    try:
        with write_transaction():
            version = authoring.return_to(course_id, number, current_user)
    except authoring.AuthoringError as error:
        return _refused(error, url_for("author.versions", course_id=course_id))
    course_library.reload()
    flash(_("Version %(old)s is served again, as version %(new)s.", old=number, new=version.number), "success")
    return redirect(url_for("author.versions", course_id=course_id), 303)
