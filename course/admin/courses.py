"""The admin's courses page: every course served, its stored versions, a pack's import and export."""

from __future__ import annotations

from flask import Response, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from ..access import ADMIN, role_required
from ..content import get_course
from ..database import write_transaction
from ..i18n import gettext as _
from ..services import course_library, course_packs
from .forms import ImportPackForm
from .views import bp


@bp.route("/courses")
@role_required(ADMIN)
def courses():
    """The courses the learners can be given, each with its versions; the import form."""
    return render_courses(ImportPackForm())


def render_courses(form: ImportPackForm, problems: tuple[str, ...] = (), status: int = 200):
    """The courses page, with the import form (and, after a refused import, every problem it named)."""
    page = render_template(
        "admin/courses.html",
        library=get_course(),
        # Translations awaiting bilingual review, by course: read off the English library, which holds them.
        review={c.id: c.translations_awaiting_review() for c in current_app.extensions["course"].courses},
        versions=course_packs.versions_by_course(),
        form=form,
        problems=problems,
    )
    return page, status


@bp.route("/courses/import", methods=["POST"])
@role_required(ADMIN)
def import_course():
    """Check the uploaded pack and store it; a refused pack changes nothing and each problem is listed."""
    form = ImportPackForm()
    if not form.validate_on_submit():
        return render_courses(form, status=422)
    try:
        with write_transaction():
            imported = course_packs.import_pack(form.pack.data.read(), current_user)
    except course_packs.PackRefused as refused:
        return render_courses(form, refused.problems, 422)
    course_library.reload()
    version = imported.version
    if imported.new:
        flash(
            _(
                "Imported “%(course)s” as version %(number)s. Learners can be given its modules now.",
                course=version.title,
                number=version.number,
            )
        )
    else:
        flash(
            _(
                "“%(course)s” version %(number)s is already this pack; nothing changed.",
                course=version.title,
                number=version.number,
            )
        )
    return redirect(url_for("admin.courses"), 303)


@bp.route("/courses/<course_id>/pack.zip")
@role_required(ADMIN)
def export_course(course_id: str):
    """The course's newest version as a pack (the folder format, zipped)."""
    try:
        pack = course_packs.export_pack(course_id)
    except LookupError:
        abort(404)
    return Response(
        pack,
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{course_id}.zip"'},
    )
