"""A learner's actions as the views run them: each service call in one committed write transaction.

Services work in the caller's transaction (course/services/__init__.py); tests that set up or race
these actions without HTTP are the caller, and commit each one as its view would.
"""

from __future__ import annotations

from course.database import write_transaction
from course.services import attempts, progress


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
    """Grade outside the write transaction, then submit in one, as the submit view does.

    :raise attempts.Incomplete: when a question has no answer (nothing is written).
    """
    graded = attempts.grade_answers(attempt, answers, module, confidence)
    with write_transaction():
        return attempts.submit(attempt, graded, sequence)


def record_view(learner, module, lesson) -> bool:
    with write_transaction():
        return progress.record_view(learner, module, lesson)


def complete_lesson(learner, module, lesson) -> None:
    with write_transaction():
        progress.complete_lesson(learner, module, lesson)
