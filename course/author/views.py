"""The author's pages: the courses to edit, a draft's outline with the check's findings, and the editors.

Every save writes one file of the draft and shows what the content check finds, beside the
field each finding concerns. Nothing reaches learners until a reviewer approves (review.py).
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..access import AUTHOR, REVIEWER, permission_required
from ..content import get_course
from ..content.writer import field_findings
from ..database import write_transaction
from ..forms import ConfirmForm
from ..i18n import gettext as _
from ..models import CourseDraft
from ..services import authoring
from . import editing
from .forms import FileForm, NewCourseForm, NewItemForm

bp = Blueprint("author", __name__)


def draft_or_404(course_id: str) -> CourseDraft:
    """The course's open draft. :raise 404: when there is none."""
    return authoring.draft_of(course_id) or abort(404)


def _refused(error: authoring.AuthoringError, to: str):
    flash(str(error), "error")
    return redirect(to, 303)


@bp.route("/")
@permission_required(AUTHOR, REVIEWER)
def home():
    """The courses that can be edited here, their drafts, and a new course."""
    drafts = {d.course_id: d for d in authoring.open_drafts()}
    editable = get_course().courses[1:]  # every course but the built-in one
    return render_template(
        "author/home.html", courses=editable, drafts=drafts, form=NewCourseForm(), confirm=ConfirmForm()
    )


@bp.route("/courses", methods=["POST"])
@permission_required(AUTHOR)
def new_course():
    """Start a draft of a new course."""
    form = NewCourseForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(str(message), "error")
        return redirect(url_for("author.home"), 303)
    try:
        with write_transaction():
            authoring.new_course(form.course_id.data, form.title.data, form.summary.data or "", current_user)
    except authoring.AuthoringError as error:
        return _refused(error, url_for("author.home"))
    return redirect(url_for("author.draft", course_id=form.course_id.data), 303)


@bp.route("/courses/<course_id>/draft/start", methods=["POST"])
@permission_required(AUTHOR)
def start_draft(course_id: str):
    """Open the course's draft (a copy of its newest version), or go to the one already open."""
    ConfirmForm().validate_on_submit() or abort(400)
    try:
        with write_transaction():
            authoring.start_draft(course_id, current_user)
    except authoring.AuthoringError as error:
        return _refused(error, url_for("author.home"))
    return redirect(url_for("author.draft", course_id=course_id), 303)


@bp.route("/courses/<course_id>/draft")
@permission_required(AUTHOR, REVIEWER)
def draft(course_id: str):
    """The draft's modules, lessons and quiz items, and every finding of the check."""
    draft = draft_or_404(course_id)
    return render_template(
        "author/draft.html",
        draft=draft,
        modules=authoring.outline(draft.files),
        findings=authoring.findings(draft),
        item_form=NewItemForm(formdata=None),
        confirm=ConfirmForm(),
    )


def _add(course_id: str, no_id: str, add, editor):
    """Add a module, lesson or quiz item with the posted id, then open its editor: `add(draft, form)` adds it,
    `editor(result)` is the editor's URL; `no_id` is the message when no id was given. A refusal goes back to
    the draft with its message."""
    draft = draft_or_404(course_id)
    form = NewItemForm()
    back = url_for("author.draft", course_id=course_id)
    if not form.validate_on_submit():
        return _refused(authoring.AuthoringError(no_id), back)
    try:
        with write_transaction():
            added = add(draft, form)
    except authoring.AuthoringError as error:
        return _refused(error, back)
    return redirect(editor(added), 303)


@bp.route("/courses/<course_id>/draft/modules", methods=["POST"])
@permission_required(AUTHOR)
def add_module(course_id: str):
    """Add a module at the end of the course and open its details."""
    return _add(
        course_id,
        _("Enter an id for the module."),
        lambda draft, form: authoring.add_module(draft, form.item_id.data, form.title.data or "", current_user),
        lambda folder: url_for("author.edit_file", course_id=course_id, path=f"{folder}/module.yaml"),
    )


@bp.route("/courses/<course_id>/draft/<folder>/lessons", methods=["POST"])
@permission_required(AUTHOR)
def add_lesson(course_id: str, folder: str):
    """Add a lesson at the end of the module and open it in the editor."""
    return _add(
        course_id,
        _("Enter an id for the lesson."),
        lambda draft, form: authoring.add_lesson(draft, folder, form.item_id.data, form.title.data or "", current_user),
        lambda name: url_for("author.edit_lesson", course_id=course_id, folder=folder, name=name),
    )


@bp.route("/courses/<course_id>/draft/<folder>/lessons/<name>", methods=["GET", "POST"])
@permission_required(AUTHOR)
def edit_lesson(course_id: str, folder: str, name: str):
    """A lesson's editor: save runs the check; preview shows the lesson exactly as learners will see it."""
    draft = draft_or_404(course_id)
    path = f"{folder}/lessons/{name}"
    text = draft.files.get(path) or abort(404)
    form = editing.lesson_form(text)
    module = next(m for m in authoring.outline(draft.files) if m.folder == folder)
    position = 1 + next(i for i, lesson in enumerate(module.lessons) if lesson.name == name)
    lesson_id = module.lessons[position - 1].id
    status = 200
    if form.validate_on_submit() and form.action.data != "preview":
        with write_transaction():
            authoring.save_file(draft, path, editing.lesson_file(text, form), current_user)
        flash(_("Saved. The check ran again; its findings are beside the fields."), "success")
        return redirect(url_for("author.edit_lesson", course_id=course_id, folder=folder, name=name), 303)
    if form.errors:
        status = 422
    findings = authoring.findings(draft)
    other = editing.attach_findings(form, field_findings(findings.errors + findings.warnings, path))
    return render_template(
        "author/lesson.html",
        draft=draft,
        form=form,
        path=path,
        module=module,
        preview=editing.preview(form, lesson_id, module.id, position),
        other_findings=other,
    ), status


@bp.route("/courses/<course_id>/draft/<folder>/questions", methods=["POST"])
@permission_required(AUTHOR)
def add_question(course_id: str, folder: str):
    """Add a quiz item to the module and open it in the editor."""

    def add(draft, form) -> str:
        authoring.add_question(draft, folder, form.item_id.data, form.type.data, current_user)
        return form.item_id.data

    return _add(
        course_id,
        _("Enter an id for the question."),
        add,
        lambda question_id: url_for(
            "author.edit_question", course_id=course_id, folder=folder, question_id=question_id
        ),
    )


@bp.route("/courses/<course_id>/draft/<folder>/questions/<question_id>", methods=["GET", "POST"])
@permission_required(AUTHOR)
def edit_question(course_id: str, folder: str, question_id: str):
    """A quiz item's editor: stem, choices, feedback, myth tags, explanation, source; the check on every save."""
    draft = draft_or_404(course_id)
    path = f"{folder}/quiz.yaml"
    found = editing.find_question(draft.files.get(path, ""), question_id) or abort(404)
    form = editing.question_form(found[1])
    if form.validate_on_submit():
        with write_transaction():
            authoring.save_file(draft, path, editing.question_file(draft.files[path], question_id, form), current_user)
        flash(_("Saved. The check ran again; its findings are beside the fields."), "success")
        return redirect(
            url_for("author.edit_question", course_id=course_id, folder=folder, question_id=question_id), 303
        )
    status = 422 if form.errors else 200
    findings = authoring.findings(draft)
    problems = findings.errors + findings.warnings
    other = editing.attach_findings(form, field_findings(problems, path, f"questions[{found[0]}]"))
    return render_template(
        "author/question.html",
        draft=draft,
        form=form,
        folder=folder,
        question_id=question_id,
        other_findings=other + field_findings(problems, path, "questions").get("", []),
    ), status


@bp.route("/courses/<course_id>/draft/file", methods=["GET", "POST"])
@permission_required(AUTHOR)
def edit_file(course_id: str):
    """A whole file as text: course.yaml, the catalogue of myths, a module's metadata or its pre-test."""
    draft = draft_or_404(course_id)
    path = request.args.get("path", "")
    if not authoring.editable_as_text(path):
        abort(404)
    form = FileForm(text=draft.files.get(path, ""))
    if form.validate_on_submit():
        try:
            with write_transaction():
                authoring.save_file(draft, path, form.text.data.replace("\r\n", "\n"), current_user)
        except authoring.AuthoringError as error:
            return _refused(error, url_for("author.draft", course_id=course_id))
        flash(_("Saved. The check ran again; its findings are below."), "success")
        return redirect(url_for("author.edit_file", course_id=course_id, path=path), 303)
    findings = authoring.findings(draft)
    problems = [p for p in findings.errors + findings.warnings if p.file == path]
    return render_template("author/file.html", draft=draft, form=form, path=path, problems=problems)


@bp.route("/courses/<course_id>/draft/submit", methods=["POST"])
@permission_required(AUTHOR)
def submit(course_id: str):
    """Send the draft to a clinical reviewer (only when the check finds no error)."""
    draft = draft_or_404(course_id)
    ConfirmForm().validate_on_submit() or abort(400)
    try:
        with write_transaction():
            authoring.submit(draft, current_user)
    except authoring.AuthoringError as error:
        return _refused(error, url_for("author.draft", course_id=course_id))
    flash(
        _("Sent for review. A clinical reviewer who did not change it will approve it or ask for changes."), "success"
    )
    return redirect(url_for("author.draft", course_id=course_id), 303)


@bp.route("/courses/<course_id>/draft/discard", methods=["POST"])
@permission_required(AUTHOR)
def discard(course_id: str):
    """Throw the draft away; what learners see does not change."""
    draft = draft_or_404(course_id)
    ConfirmForm().validate_on_submit() or abort(400)
    with write_transaction():
        authoring.discard(draft, current_user)
    flash(_("The draft is discarded. The published course is unchanged."), "success")
    return redirect(url_for("author.home"), 303)
