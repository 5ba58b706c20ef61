"""Spaced review: after a pass, the missed questions come back about 1, 3 and 7 days later in short sets,
as a card on My course, with the same explained feedback; they never change a score, and a myth counts
as corrected only when a review answers it right."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from course.database import write_transaction
from course.extensions import db
from course.models import QUIZ, QuizAttempt, ReviewItem, utcnow
from course.services import data_export, spaced_review
from course.services.counselor_record import learner_record

from . import actions
from .factories import make_user
from .quiz_helpers import right_answer, take, wrong_answer

LATER = timedelta(days=1, hours=1)


def fail_then_pass(learner, module, missed: int):
    """A quiz with the first `missed` questions (in quiz order) wrong, then one all right, as the views do."""
    wrong = {q.id for q in module.quiz.questions[:missed]}
    for kind_of_try in ("fail", "pass"):
        attempt = actions.start_attempt(learner, module, QUIZ)
        answers = {
            item["question"]: (wrong_answer if kind_of_try == "fail" and item["question"] in wrong else right_answer)(
                module.question(item["question"])
            )
            for item in attempt.layout
        }
        result = actions.submit(attempt, answers, attempt.sequence, module)
    return result


@pytest.fixture
def passed_with_misses(signed_in, learner, module):
    """The learner passed the module through the quiz page, after a try that missed two questions."""
    wrong = {q.id for q in module.quiz.questions[:2]}
    for wrong_ids in (wrong, set()):
        response = signed_in.post(
            f"/learn/modules/{module.id}/quiz/start", form_page=f"/learn/modules/{module.id}/quiz"
        )
        attempt = db.session.get(QuizAttempt, int(response.headers["Location"].rsplit("/", 1)[1]))
        form = {
            f"q-{item['question']}": sorted(
                (wrong_answer if item["question"] in wrong_ids else right_answer)(module.question(item["question"]))
            )
            for item in attempt.layout
        }
        signed_in.post(f"/learn/attempts/{attempt.id}/submit", {**form, "sequence": str(attempt.sequence)})
    return sorted(wrong)


def test_a_pass_schedules_three_rounds_of_the_missed_questions_filled_up_to_three(
    passed_with_misses, learner, module, course
):
    items = db.session.scalars(select(ReviewItem).order_by(ReviewItem.round, ReviewItem.id)).all()
    third = module.quiz.questions[2].id  # two were missed: one more from the module makes a set of three
    assert [(i.round, i.question_id) for i in items] == [
        (r, q) for r in (1, 2, 3) for q in [*[q.id for q in module.quiz.questions[:2]], third]
    ]
    passed_at = db.session.scalar(select(func.max(QuizAttempt.submitted_at)))
    assert {i.round: round((i.due_at - passed_at).total_seconds() / 86400) for i in items} == {1: 1, 2: 3, 3: 7}
    exported = data_export.export_data(learner, course)["reviews"]  # the learner's own data holds them
    assert [(r["round"], r["question_id"], r["answered"]) for r in exported] == [
        (i.round, i.question_id, None) for i in items
    ]


def test_nothing_is_scheduled_when_nothing_was_missed_or_after_a_later_pass(learner, module):
    take(learner, module, QUIZ)
    assert db.session.scalar(select(func.count()).select_from(ReviewItem)) == 0
    other = make_user("learner")
    fail_then_pass(other, module, missed=1)
    scheduled = db.session.scalar(select(func.count()).select_from(ReviewItem))
    fail_then_pass(other, module, missed=4)  # a later pass after more misses adds nothing
    assert db.session.scalar(select(func.count()).select_from(ReviewItem)) == scheduled == 3 * 3


def test_the_card_appears_when_due_and_the_review_explains_each_answer_and_changes_no_score(
    passed_with_misses, signed_in, learner, module, course
):
    assert "to review" not in signed_in.get("/learn/").get_data(as_text=True)
    best_before = db.session.scalar(select(func.max(QuizAttempt.score)))
    with time_machine.travel(utcnow() + LATER, tick=False):
        signed_in.login(learner.username)  # a day later: a new session
        home = signed_in.get("/learn/").get_data(as_text=True)
        assert "3 questions to review" in home
        page = signed_in.get("/learn/review").get_data(as_text=True)
        items = spaced_review.next_set(learner, course)
        assert [e.item.round for e in items] == [1, 1, 1]
        for entry in items:
            assert entry.question.prompt in page
        form = {"item": [str(e.item.id) for e in items]}
        form |= {f"r-{e.item.id}": sorted(right_answer(e.question)) for e in items}
        result = signed_in.post("/learn/review", form, form_page="/learn/review")
        text = result.get_data(as_text=True)
        assert result.status_code == 200 and "You answered <strong>3 of 3</strong> right" in text
        assert text.count("Why:") == 3
        again = signed_in.post("/learn/review", form, form_page="/learn/review")  # sent twice
        assert again.status_code == 303
        assert "to review" not in signed_in.get("/learn/").get_data(as_text=True)
    answered = db.session.scalars(select(ReviewItem).where(ReviewItem.answered_at.is_not(None))).all()
    assert len(answered) == 3 and all(i.correct for i in answered)
    assert db.session.scalar(select(func.max(QuizAttempt.score))) == best_before
    assert db.session.scalar(select(func.count()).select_from(QuizAttempt)) == 2


def test_a_review_with_a_missing_answer_keeps_the_choices_and_another_learners_items_are_ignored(
    passed_with_misses, signed_in, new_browser, learner, module, course
):
    with time_machine.travel(utcnow() + LATER, tick=False):
        signed_in.login(learner.username)  # a day later: a new session
        items = spaced_review.next_set(learner, course)
        first = items[0]
        form = {"item": [str(e.item.id) for e in items], f"r-{first.item.id}": sorted(right_answer(first.question))}
        response = signed_in.post("/learn/review", form, form_page="/learn/review")
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert "Please answer every question" in page and page.count("Choose an answer.") == len(items) - 1
        stranger = new_browser()
        stranger.login(make_user("learner").username)
        full = {**form} | {f"r-{e.item.id}": sorted(right_answer(e.question)) for e in items}
        assert stranger.post("/learn/review", full, form_page="/learn/review").status_code == 303
    assert db.session.scalar(select(ReviewItem.id).where(ReviewItem.answered_at.is_not(None))) is None


def test_a_review_answer_that_is_not_a_choice_is_refused_and_stores_nothing(
    passed_with_misses, signed_in, learner, course
):
    with time_machine.travel(utcnow() + LATER, tick=False):
        signed_in.login(learner.username)
        items = spaced_review.next_set(learner, course)
        form = {"item": [str(e.item.id) for e in items]} | {f"r-{e.item.id}": ["not-a-choice"] for e in items}
        response = signed_in.post("/learn/review", form, form_page="/learn/review")
    assert response.status_code == 400 and "not one of this question" in response.get_data(as_text=True)
    assert db.session.scalar(select(ReviewItem.id).where(ReviewItem.answered_at.is_not(None))) is None


def test_a_myth_is_corrected_only_when_a_review_answers_it_right(learner, module, course):
    question, myth = next((q, c) for q in module.quiz.questions for c in q.choices if c.misconception)
    attempt = actions.start_attempt(learner, module, QUIZ)
    answers = {item["question"]: right_answer(module.question(item["question"])) for item in attempt.layout}
    actions.submit(attempt, {**answers, question.id: frozenset({myth.id})}, attempt.sequence, module)
    take(learner, module, QUIZ)  # right straight after the feedback: not yet corrected
    assert [m.corrected for m in learner_record(learner, course).myths] == [False]
    with time_machine.travel(utcnow() + LATER, tick=False):
        due = [e for e in spaced_review.next_set(learner, course) if e.question.id == question.id]
        with write_transaction():
            spaced_review.record_answers(due, {due[0].item.id: right_answer(question)})
    assert [m.corrected for m in learner_record(learner, course).myths] == [True]


def test_a_review_of_a_question_since_removed_is_neither_counted_nor_asked(learner, module, course):
    with write_transaction():
        spaced_review.schedule(learner, module, ["a-question-no-longer-in-the-course"], now=utcnow() - LATER * 8)
    assert spaced_review.due_count(learner, course) == 0
    assert spaced_review.next_set(learner, course) == []
    assert db.session.scalar(select(func.count()).select_from(ReviewItem)) == 3  # kept on record
