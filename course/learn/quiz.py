"""The quiz and pre-test pages: start, answer (drafts saved as the learner goes), submit once, review."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from .. import unsent_answers
from ..access import LEARNER, role_required
from ..content import get_course
from ..database import write_transaction
from ..i18n import current_language
from ..i18n import gettext as _
from ..models import PRETEST, QUIZ
from ..services import attempts, grading, progress, review, spaced_review
from .views import bp, module_or_404, module_standing, open_module


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _own_attempt_or_404(attempt_id: int):
    """The signed-in learner's attempt; another learner's attempt is 404, as if it did not exist."""
    attempt = attempts.find_attempt(current_user, attempt_id)
    if attempt is None:
        abort(404)
    return attempt, module_or_404(attempt.module_id)


def _sequence() -> int | None:
    try:
        return int(request.form["sequence"])
    except (KeyError, ValueError):
        return None


@bp.route("/modules/<module_id>/quiz")
@role_required(LEARNER)
def quiz(module_id: str):
    """The quiz's start page: what it is, the pass mark, past attempts."""
    module, standing = open_module(module_id)
    return render_template("learn/quiz_start.html", module=module, standing=standing)


@bp.route("/modules/<module_id>/<any(quiz, pretest):kind>/start", methods=["POST"])
@role_required(LEARNER)
def start(module_id: str, kind: str):
    """Start (or resume) the quiz or the pre-test."""
    module, standing = open_module(module_id)
    if kind == PRETEST and not (standing.pretest_open or standing.pretest_to_finish):
        if standing.pretest_offered:
            flash(_("You have already taken or skipped this module's pre-test."), "info")
        else:  # before and after must be measured on either side of the lessons (docs/outcomes.md)
            flash(_("The pre-test comes before the module's first lesson, so it is no longer offered here."), "info")
        return redirect(url_for("learn.module", module_id=module.id), 303)
    with write_transaction():
        attempt = attempts.start_attempt(current_user, module, PRETEST if kind == PRETEST else QUIZ)
    return redirect(url_for("learn.attempt", attempt_id=attempt.id), 303)


@bp.route("/modules/<module_id>/pretest/skip", methods=["POST"])
@role_required(LEARNER)
def skip_pretest(module_id: str):
    """Skip the pre-test; it is not offered again."""
    module, _ = open_module(module_id)
    with write_transaction():
        attempts.skip_pretest(current_user, module)
    first = module.lessons[0]
    return redirect(url_for("learn.lesson", module_id=module.id, lesson_id=first.id), 303)


@bp.route("/attempts/<int:attempt_id>")
@role_required(LEARNER)
def attempt(attempt_id: int):
    """The questions, with the answers saved so far."""
    attempt, module = _own_attempt_or_404(attempt_id)
    if attempt.submitted_at is not None:
        return redirect(url_for("learn.result", attempt_id=attempt.id))
    if unsent_answers.restore(attempt):
        flash(_("You were signed out, but the answers you sent then are saved below."), "success")
    return _render_attempt(attempt, module, attempts.saved_answers(attempt))


def _render_attempt(attempt, module, answers, status: int = 200, unanswered=(), confidence=None):
    view = review.attempt_view(attempt, module, answers, confidence)
    return render_template(
        "learn/attempt.html",
        attempt=attempt,
        module=module,
        view=view,
        unanswered=set(unanswered),
        confidence_levels=review.confidence_labels(),
    ), status


@bp.route("/attempts/<int:attempt_id>/draft", methods=["POST"])
@unsent_answers.keeps_answers_on_signout
@role_required(LEARNER)
def save_draft(attempt_id: int):
    """Save the answers as a draft (the page's Save button, or the autosave script)."""
    attempt, module = _own_attempt_or_404(attempt_id)
    try:
        answers = attempts.parse_answers(attempt, request.form)
        confidence = attempts.parse_confidence(attempt, request.form)
        with write_transaction():
            sequence = attempts.save_draft(attempt, answers, _sequence(), confidence)
    except attempts.AttemptClosed:
        return _reply_closed(attempt)
    except attempts.StaleAttempt:
        return _reply_stale(attempt, module)
    except grading.AnswerError as error:
        return _reply_error(attempt, module, str(error))
    if _wants_json():
        return jsonify(saved=True, sequence=sequence)
    flash(_("Your answers are saved. You can come back to them at any time."), "success")
    return redirect(url_for("learn.attempt", attempt_id=attempt.id), 303)


@bp.route("/attempts/<int:attempt_id>/submit", methods=["POST"])
@unsent_answers.keeps_answers_on_signout
@role_required(LEARNER)
def submit(attempt_id: int):
    """Submit the attempt once; a repeat of the same submit shows the first result."""
    attempt, module = _own_attempt_or_404(attempt_id)
    if attempt.submitted_at is not None:
        return _reply_closed(attempt)
    if attempt.kind == PRETEST and progress.module_started(current_user, module):
        with write_transaction():
            attempts.close_unscored(attempt)
        flash(
            _(
                "The module's lessons were opened before this pre-test was sent, so it no longer shows what you knew "
                "before them: it is closed without a score. Your quiz will show what you learned."
            ),
            "info",
        )
        return redirect(url_for("learn.module", module_id=module.id), 303)
    try:
        answers = attempts.parse_answers(attempt, request.form)
        confidence = attempts.parse_confidence(attempt, request.form)
        # Grading, and what a first pass will bring back for review, are worked out before the write lock.
        graded = attempts.grade_answers(attempt, answers, module, confidence)
        review = spaced_review.plan_after_pass(current_user, module, graded.rows) if graded.passed else []
        with write_transaction():
            if graded.missing:  # nothing a learner sent is lost: the answers given are kept as a draft
                attempts.save_draft(attempt, answers, _sequence(), confidence)
            else:
                result = attempts.submit(attempt, graded, _sequence(), current_language())
                if result.first_time and review:  # the missed questions come back in a day, 3 and 7
                    spaced_review.schedule(current_user, module, review)
    except attempts.StaleAttempt:
        return _reply_stale(attempt, module)
    except attempts.AttemptClosed:
        return _reply_closed(attempt)
    except grading.AnswerError as error:
        return _reply_error(attempt, module, str(error))
    if graded.missing:
        flash(
            _(
                "Please answer every question before you submit. Not answered yet: question %(numbers)s. "
                "Your other answers are saved.",
                numbers=", ".join(map(str, graded.missing)),
            ),
            "error",
        )
        return _render_attempt(attempt, module, attempts.saved_answers(attempt), 422, _unanswered(attempt, graded))
    if not result.first_time:
        flash(_("This quiz was already submitted. Here is your result."), "info")
    # attempt_id, not attempt.id: the submit expired the attempt, and reading it would cost a query.
    return redirect(url_for("learn.result", attempt_id=attempt_id), 303)


def _unanswered(attempt, graded: attempts.GradedAnswers) -> list[str]:
    return [attempt.layout[n - 1]["question"] for n in graded.missing]


def _reply_closed(attempt):
    if _wants_json():
        return jsonify(saved=False, reason="submitted", result=url_for("learn.result", attempt_id=attempt.id)), 409
    flash(_("This quiz was already submitted. Here is your result."), "info")
    return redirect(url_for("learn.result", attempt_id=attempt.id), 303)


def _reply_stale(attempt, module):
    message = _(
        "These answers were changed in another tab or window since this page opened. "
        "The newest saved answers are shown below; check them and send again."
    )
    if _wants_json():
        return jsonify(saved=False, reason="stale", message=message), 409
    flash(message, "error")
    return _render_attempt(attempt, module, attempts.saved_answers(attempt), 409)


def _reply_error(attempt, module, message: str):
    if _wants_json():
        return jsonify(saved=False, reason="invalid", message=message), 400
    flash(message, "error")
    return _render_attempt(attempt, module, attempts.saved_answers(attempt), 400)


@bp.route("/attempts/<int:attempt_id>/result")
@role_required(LEARNER)
def result(attempt_id: int):
    """The review: every question with the learner's answer, the right answer, feedback and source."""
    attempt, module = _own_attempt_or_404(attempt_id)
    if attempt.submitted_at is None:
        return redirect(url_for("learn.attempt", attempt_id=attempt.id))
    summary, standing = module_standing(module)
    view = review.attempt_view(attempt, module, attempts.saved_answers(attempt))
    # Modules this pass opened (an always-open module was open already).
    unlocked = [
        m.module
        for m in summary.modules
        if module.id in m.module.prerequisites and not m.locked and not m.module.always_open
    ]
    return render_template(
        "learn/result.html",
        attempt=attempt,
        module=module,
        view=view,
        standing=standing,
        unlocked=unlocked,
        course=get_course(),
    )


def _answers_kept():
    """When the database is too busy to save: the quiz again, with the answers just sent, to send again."""
    attempt, module = _own_attempt_or_404((request.view_args or {})["attempt_id"])
    if _wants_json():
        return jsonify(saved=False, reason="busy", message=_("Not saved yet: the site is busy. Trying again shortly."))
    try:
        answers = attempts.parse_answers(attempt, request.form)
        confidence = attempts.parse_confidence(attempt, request.form)
    except grading.AnswerError:
        answers, confidence = attempts.saved_answers(attempt), None
    flash(
        _(
            "The site is busy and your answers were not sent yet. They are still filled in below: "
            "please press the button again in a moment."
        ),
        "error",
    )
    return _render_attempt(attempt, module, answers, confidence=confidence)[0]


save_draft.on_database_unavailable = _answers_kept
submit.on_database_unavailable = _answers_kept
