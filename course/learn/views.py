"""The learner's pages: home, a module, its lessons."""

from __future__ import annotations

from flask import Blueprint, abort, make_response, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from ..access import LEARNER, role_required
from ..content import Module, get_course
from ..database import write_transaction
from ..extensions import db
from ..models import Cohort, CohortMember
from ..services import local_resources, progress, spaced_review

bp = Blueprint("learn", __name__)


def module_or_404(module_id: str) -> Module:
    """The module with this id. :raise 404: for an unknown id."""
    module = get_course().module(module_id)
    if module is None:
        abort(404)
    return module


def module_standing(module: Module) -> tuple[progress.CourseProgress, progress.ModuleProgress]:
    """The learner's progress in the module's course and their standing in this module."""
    summary = progress.course_progress(current_user, get_course().course_of(module.id) or get_course())
    return summary, summary.of(module.id)


def open_module(module_id: str) -> tuple[Module, progress.ModuleProgress]:
    """The module and the learner's standing in it.

    :raise 404: for an unknown module. :raise 403: with a page that says why, when it is locked.
    """
    module = module_or_404(module_id)
    _, standing = module_standing(module)
    if standing.locked:
        _refuse_locked(standing)
    return module, standing


def _refuse_locked(standing: progress.ModuleProgress):
    """:raise 403: with a page that says which quizzes open the module, and none of its content."""
    abort(make_response(render_template("learn/locked.html", standing=standing), 403))


@bp.route("/")
@role_required(LEARNER)
def home():
    """Each course the learner has work in: modules in order, status, due dates, progress, where to continue."""
    cohorts = db.session.scalars(
        select(Cohort.name)
        .join(CohortMember)
        .where(CohortMember.learner_id == current_user.id, CohortMember.removed_at.is_(None))
    ).all()
    courses = progress.courses_progress(current_user, get_course())
    to_review = spaced_review.due_count(current_user, get_course())
    return render_template("learn/home.html", courses=courses, cohorts=cohorts, to_review=to_review)


@bp.route("/modules/<module_id>")
@role_required(LEARNER)
def module(module_id: str):
    """A module's overview: objectives, lessons, quiz, and the pre-test offer on first opening."""
    module, standing = open_module(module_id)
    return render_template("learn/module.html", module=module, standing=standing)


@bp.route("/modules/<module_id>/lessons/<lesson_id>")
@role_required(LEARNER)
def lesson(module_id: str, lesson_id: str):
    """One lesson, with previous and next.

    The most visited page, so it asks only what it shows: is the module open (one small query,
    none in the first module) and is this lesson done (one small read). It writes only the first
    open of a lesson and then at most once every few minutes (`progress.VIEW_WRITE_INTERVAL`).
    """
    module = module_or_404(module_id)
    if progress.missing_prerequisites(current_user, module, get_course()):
        _refuse_locked(module_standing(module)[1])
    lesson = module.lesson(lesson_id) or abort(404)
    done, due = progress.lesson_seen(current_user, lesson)
    if due:
        with write_transaction():
            done = progress.record_view(current_user, module, lesson)
    return render_template(
        "learn/lesson.html",
        module=module,
        lesson=lesson,
        done=done,
        previous=module.previous_lesson(lesson),
        next=module.next_lesson(lesson),
        # One query, and only on the lessons about finding care.
        local_resources=local_resources.shown() if lesson.finding_care else (),
    )


@bp.route("/modules/<module_id>/lessons/<lesson_id>/complete", methods=["POST"])
@role_required(LEARNER)
def complete_lesson(module_id: str, lesson_id: str):
    """Mark the lesson complete and go on to the next lesson, or to the module's quiz."""
    module, _ = open_module(module_id)
    lesson = module.lesson(lesson_id) or abort(404)
    with write_transaction():
        progress.complete_lesson(current_user, module, lesson)
    following = module.next_lesson(lesson)
    if following:
        return redirect(url_for("learn.lesson", module_id=module.id, lesson_id=following.id), 303)
    return redirect(url_for("learn.quiz", module_id=module.id), 303)
