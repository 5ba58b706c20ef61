"""A learner's actions as the views run them: each service call in one committed write transaction.

Services work in the caller's transaction (course/services/__init__.py); tests that set up or race
these actions without HTTP are the caller, and commit each one as its view would.
"""

from __future__ import annotations

from course.database import write_transaction
from course.extensions import db
from course.models import User
from course.services import attempts, progress, spaced_review


def start_attempt(*args, **kwargs):
    with write_transaction():
        return attempts.start_attempt(*args, **kwargs)


def skip_pretest(learner, module) -> None:
    with write_transaction():
        attempts.skip_pretest(learner, module)


def save_draft(attempt, answers, sequence, confidence=None) -> int:
    with write_transaction():
        return attempts.save_draft(attempt, answers, sequence, confidence)


def submit(attempt, answers, sequence, module, confidence=None) -> attempts.SubmitResult:
    """Grade outside the write transaction, then submit in one, as the submit view does (a first pass
    schedules the spaced review of the questions missed).

    :raise attempts.Incomplete: when a question has no answer (nothing is written).
    """
    graded = attempts.grade_answers(attempt, answers, module, confidence)
    learner = db.session.get(User, attempt.learner_id)
    review = spaced_review.plan_after_pass(learner, module, graded.rows) if graded.passed else []
    with write_transaction():
        result = attempts.submit(attempt, graded, sequence)
        if result.first_time and review:
            spaced_review.schedule(learner, module, review)
    return result


def record_view(learner, module, lesson) -> bool:
    with write_transaction():
        return progress.record_view(learner, module, lesson)


def complete_lesson(learner, module, lesson) -> None:
    with write_transaction():
        progress.complete_lesson(learner, module, lesson)
