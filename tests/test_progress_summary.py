"""The progress read model: kept by each event equals what a rebuild from the records gives.

A random mix of a few learners' events (lessons viewed and completed, pre-tests taken, skipped or
closed, quiz attempts begun, saved and submitted right, wrong or half right, sure or not) runs
through the services as the views run them; then the table must hold exactly the rows that
`progress_summary.computed_rows` (the rebuild's figures) derives from the records. Runs on
SQLite and, in the PostgreSQL pass, on PostgreSQL.
"""

from __future__ import annotations

import itertools
import random
import threading
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from course.database import write_transaction
from course.extensions import db
from course.models import PRETEST, QUIZ, SURE, ModuleSummary, OutcomeItem, QuizAttempt, User, utcnow
from course.services import attempts, progress, progress_summary
from course.services.grading import DONT_KNOW

from . import actions

LEARNERS = 2
_numbers = itertools.count(1)

EVENTS = st.lists(
    st.tuples(
        st.sampled_from(["view", "complete", "start", "skip", "draft", "submit", "close"]),
        st.integers(0, LEARNERS - 1),  # which learner
        st.integers(0, 1),  # which module
        st.sampled_from([QUIZ, PRETEST]),
        st.integers(0, 2**16),  # which lesson, answers and confidence
    ),
    max_size=25,
)


def _learners() -> list[User]:
    batch = next(_numbers)
    learners = [User(username=f"summary{batch}-{n}", role="learner", password_hash="x") for n in range(LEARNERS)]
    db.session.add_all(learners)
    db.session.commit()
    return learners


def _answers(attempt: QuizAttempt, seed: int) -> tuple[dict, dict]:
    """An answer to every question (right, wrong or "I don't know" by the seed) and how sure, now and then."""
    rng = random.Random(seed)
    answers, confidence = {}, {}
    for item in attempt.layout:
        answers[item["question"]] = frozenset({rng.choice(item["choices"])})
        level = rng.choice([None, SURE, SURE, "think_so", "guessing"])
        if level:
            confidence[item["question"]] = level
    return answers, confidence


def _pretest_taken(learner: User, module) -> bool:
    return (
        db.session.scalar(
            select(QuizAttempt.id).where(
                QuizAttempt.learner_id == learner.id, QuizAttempt.module_id == module.id, QuizAttempt.kind == PRETEST
            )
        )
        is not None
    )


def _attempt(learner: User, module, kind: str, seed: int) -> QuizAttempt | None:
    """The open attempt of this kind, or a new one (a pre-test only once, as the pages allow)."""
    if (attempt := attempts.open_attempt(learner, module, kind)) is not None:
        return attempt
    if kind == PRETEST and _pretest_taken(learner, module):
        return None
    return actions.start_attempt(learner, module, kind, random.Random(seed))


def _act(learner: User, module, kind: str, seed: int, event: str) -> None:
    lesson = module.lessons[seed % len(module.lessons)]
    if event == "view":
        actions.record_view(learner, module, lesson)
    elif event == "complete":
        actions.complete_lesson(learner, module, lesson)
    elif event == "skip":
        if not _pretest_taken(learner, module):
            actions.skip_pretest(learner, module)
    elif (attempt := _attempt(learner, module, kind, seed)) is None or event == "start":
        return
    elif event == "close" and kind == PRETEST:
        with write_transaction():
            attempts.close_unscored(attempt)
    elif event == "draft":
        actions.save_draft(attempt, _answers(attempt, seed)[0], attempt.sequence)
    elif event == "submit":
        answers, confidence = _answers(attempt, seed)
        actions.submit(attempt, answers, attempt.sequence, module, confidence)


def _stored(learner_ids: list[int]) -> dict[tuple[int, str], dict]:
    rows = db.session.scalars(select(ModuleSummary).where(ModuleSummary.learner_id.in_(learner_ids))).all()
    return {
        (r.learner_id, r.module_id): {
            "learner_id": r.learner_id,
            "module_id": r.module_id,
            **{name: getattr(r, name) for name in progress_summary.FIGURES},
        }
        for r in rows
    }


def _stored_items(learner_ids: list[int]) -> set[tuple]:
    return {
        (r.learner_id, r.module_id, r.question_id, r.right_before, r.right_after)
        for r in db.session.scalars(select(OutcomeItem).where(OutcomeItem.learner_id.in_(learner_ids)))
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(events=EVENTS)
def test_the_rows_kept_by_each_event_equal_a_rebuild_from_the_records(app, course, events):
    learners = _learners()
    ids = [learner.id for learner in learners]
    for event, who, which, kind, seed in events:
        _act(learners[who], course.modules[which], kind, seed, event)
    db.session.expire_all()
    kept = _stored(ids)
    assert kept == progress_summary.computed_rows(ids)
    with write_transaction():
        progress_summary.rebuild(ids)
    assert _stored(ids) == kept


def test_a_submit_updates_the_learners_figures_as_they_would_read_them(app, course):
    module = course.modules[0]
    learner = _learners()[0]
    actions.complete_lesson(learner, module, module.lessons[0])
    pretest = actions.start_attempt(learner, module, PRETEST, random.Random(1))
    actions.submit(pretest, {i["question"]: frozenset({DONT_KNOW}) for i in pretest.layout}, 0, module)
    quiz = actions.start_attempt(learner, module, QUIZ, random.Random(2))
    right = {q.id: frozenset(c.id for c in q.choices if c.correct) for q in module.quiz.questions}
    wrong = {qid: frozenset({next(c.id for c in module.question(qid).choices if not c.correct)}) for qid in right}
    actions.submit(quiz, wrong, quiz.sequence, module, {qid: SURE for qid in wrong})
    retake = actions.start_attempt(learner, module, QUIZ, random.Random(4))
    actions.submit(retake, right, retake.sequence, module)
    row = db.session.get(ModuleSummary, (learner.id, module.id))
    assert (row.lessons_done, row.attempts_begun, row.quizzes_submitted, row.quizzes_failed) == (1, 3, 2, 1)
    assert (row.best_score, row.passed, row.pretest_score, row.before_score) == (100.0, True, 0.0, 0.0)
    assert row.after_score == 0.0  # the first quiz, all wrong, is the "after"
    assert row.sure_but_wrong == len(wrong)
    assert row.after_at is not None and row.last_activity_at >= row.after_at
    # Each pre-test question: "I don't know" before, wrong on the first quiz (the retake is not the "after").
    assert _stored_items([learner.id]) == {
        (learner.id, module.id, q.id, False, False) for q in module.pretest.questions
    }


def test_rebuild_restores_rows_lost_or_wrong(app, course, runner):
    module = course.modules[0]
    learner = _learners()[0]
    actions.complete_lesson(learner, module, module.lessons[0])
    actions.skip_pretest(learner, module)
    expected = _stored([learner.id])
    db.session.execute(ModuleSummary.__table__.delete())
    db.session.add(ModuleSummary(learner_id=learner.id, module_id="gone", lessons_done=9, last_activity_at=utcnow()))
    db.session.commit()
    result = runner.invoke(args=["progress", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "Rebuilt the progress summary: 1 learner-module rows." in result.output
    assert _stored([learner.id]) == expected
    assert expected[learner.id, module.id]["lessons_done"] == 1
    assert expected[learner.id, module.id]["attempts_begun"] == 1


def test_two_tabs_completing_lessons_of_one_module_at_once_both_count(app, course):
    """The second tab's recompute waits for the first tab's transaction (advisory lock / write lock), then sees it."""
    module = course.modules[0]
    learner = _learners()[0]
    learner_id = learner.id
    first_refreshed, errors = threading.Event(), []

    def second_tab():
        with app.app_context():
            try:
                first_refreshed.wait(timeout=10)
                actions.complete_lesson(db.session.get(User, learner_id), module, module.lessons[1])
            except Exception as error:  # the assertion below reports it
                errors.append(repr(error))
            finally:
                db.session.remove()

    thread = threading.Thread(target=second_tab)
    thread.start()
    with write_transaction():
        progress.complete_lesson(learner, module, module.lessons[0])
        first_refreshed.set()
        time.sleep(0.3)  # the second tab's transaction runs now, and must wait for this one
    thread.join(timeout=30)
    assert errors == []
    db.session.expire_all()
    assert db.session.get(ModuleSummary, (learner_id, module.id)).lessons_done == 2
    assert _stored([learner_id]) == progress_summary.computed_rows([learner_id])
