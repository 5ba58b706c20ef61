"""Spaced review: the short sets of questions a learner missed, asked again after the module was passed."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..access import LEARNER, role_required
from ..content import get_course
from ..database import write_transaction
from ..i18n import gettext as _
from ..services import grading, spaced_review
from ..services.review import QuestionView
from .views import bp


@bp.route("/review")
@role_required(LEARNER)
def review():
    """The questions due for review now (at most five), to answer; they do not count for any score."""
    due = spaced_review.next_set(current_user, get_course())
    return render_template("learn/review.html", due=due, chosen={}, missing=set())


@bp.route("/review", methods=["POST"])
@role_required(LEARNER)
def answer_review():
    """Grade the review's answers, keep them, and show each with its explanation."""
    course = get_course()
    item_ids = [int(v) for v in request.form.getlist("item") if v.isdigit() and len(v) < 12][: spaced_review.SET_MAX]
    chosen = {i: frozenset(v for v in request.form.getlist(f"r-{i}") if v) for i in item_ids}
    with write_transaction():
        due = spaced_review.pending(current_user, course, item_ids)
        if not due:  # sent twice, or from an old page: what was answered is kept as it was
            flash(_("These review questions are already answered."), "info")
            return redirect(url_for("learn.home"), 303)
        missing = {entry.item.id for entry in due if not chosen.get(entry.item.id)}
        if missing:
            flash(_("Please answer every question. Your choices are still filled in below."), "error")
            return render_template("learn/review.html", due=due, chosen=chosen, missing=missing), 422
        try:
            grades = spaced_review.record_answers(due, chosen)
        except grading.AnswerError as error:
            flash(str(error), "error")
            return render_template("learn/review.html", due=due, chosen=chosen, missing=set()), 400
    views = [
        QuestionView(n, entry.question, tuple(entry.question.choices), chosen[entry.item.id], grade)
        for n, (entry, grade) in enumerate(zip(due, grades, strict=True), 1)
    ]
    left = spaced_review.due_count(current_user, course)
    return render_template("learn/review_result.html", views=views, left=left, course=course)
