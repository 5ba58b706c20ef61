"""Concurrent submits of one attempt (two tabs, a double click, a retry storm): exactly one graded attempt.

Runs on SQLite (a file in WAL mode) by default and on PostgreSQL when TEST_DATABASE_URL is set.
"""

import threading

import pytest
from sqlalchemy import func, select

from course.content import get_course
from course.extensions import db
from course.models import QUIZ, AttemptAnswer, QuizAttempt, User
from course.services import attempts

from . import actions, quiz_helpers


def _submit_concurrently(app, attempt_id, learner_id, answers, sequence, count):
    barrier = threading.Barrier(count)
    outcomes, errors = [], []

    def worker():
        with app.app_context():
            try:
                learner = db.session.get(User, learner_id)
                attempt = attempts.find_attempt(learner, attempt_id)
                module = get_course().module(attempt.module_id)
                db.session.commit()  # give the connection back to the pool before the race starts
                barrier.wait(timeout=30)
                outcomes.append(actions.submit(attempt, answers, sequence, module).first_time)
            except Exception as error:  # the assertion below reports it
                errors.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes, errors


@pytest.mark.parametrize("count", [2, 30])
def test_concurrent_submits_grade_the_attempt_exactly_once(app, learner, count):
    module = get_course().modules[0]
    attempt = actions.start_attempt(learner, module, QUIZ)
    answers = quiz_helpers.answers(attempt, module, right=9)
    outcomes, errors = _submit_concurrently(app, attempt.id, learner.id, answers, attempt.sequence, count)
    assert errors == []
    assert sorted(outcomes) == [False] * (count - 1) + [True]
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(QuizAttempt)) == 1
    assert db.session.scalar(select(func.count()).select_from(AttemptAnswer)) == len(module.quiz.questions)
    stored = db.session.get(QuizAttempt, attempt.id)
    assert stored.submitted_at is not None and stored.score == round(100 * 9 / len(module.quiz.questions), 1)


def test_drafts_saved_while_the_attempt_is_submitted_never_change_the_graded_answers(app, learner):
    """An autosave from one tab racing a submit from another: the submit's answers are what is graded."""
    module = get_course().modules[0]
    attempt = actions.start_attempt(learner, module, QUIZ)
    final = quiz_helpers.answers(attempt, module, right=9)
    draft = quiz_helpers.answers(attempt, module, right=2)
    sequence, count = attempt.sequence, 12
    barrier = threading.Barrier(count)
    outcomes, errors = [], []

    def worker(n):
        with app.app_context():
            try:
                own = attempts.find_attempt(db.session.get(User, learner.id), attempt.id)
                db.session.commit()
                barrier.wait(timeout=30)
                if n % 2:
                    outcomes.append(actions.submit(own, final, sequence, module).first_time)
                else:
                    actions.save_draft(own, draft, sequence)
            except (attempts.AttemptClosed, attempts.StaleAttempt):
                pass  # what the learner is told: already submitted, or changed in another tab
            except Exception as error:  # the assertion below reports it
                errors.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    db.session.expire_all()
    stored = db.session.get(QuizAttempt, attempt.id)
    if stored.submitted_at is None:  # every submit came after a draft and was refused as stale
        assert outcomes == [] and attempts.saved_answers(stored) == draft
        return
    assert outcomes.count(True) == 1
    assert attempts.saved_answers(stored) == final
    assert all(row.correct is not None for row in stored.answers)
    assert stored.score == round(100 * 9 / len(module.quiz.questions), 1)
