"""Spaced review: after a module is passed, the questions the learner missed come back about 1, 3 and
7 days later, in short sets, with the same explained feedback.

A question is "missed" when any of the learner's submitted quiz attempts in the module answered it
not fully right or picked a myth. A module with fewer than SET_MIN missed questions is filled up
with its other quiz questions, so a set is never a single lonely question. Each round's questions
become due together; the learner sees at most SET_MAX at a time. Reviews never change a quiz
score or passing; a myth counts as corrected only when a review answers its question right
(services/counselor_record.py). Every function works in the caller's transaction.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, func, or_, select

from ..content import Course, Module, Question
from ..content.question_types import question_type
from ..extensions import db
from ..models import QUIZ, AttemptAnswer, QuizAttempt, ReviewItem, User, utcnow
from . import grading

# About a day, three days and a week after the pass: the spacing most studies of retrieval practice use.
ROUNDS = ((1, timedelta(days=1)), (2, timedelta(days=3)), (3, timedelta(days=7)))
SET_MIN, SET_MAX = 3, 5


# Built once: a submit runs these.
_SUBMITTED_QUIZZES = select(QuizAttempt.id).where(
    QuizAttempt.learner_id == bindparam("learner_id"),
    QuizAttempt.module_id == bindparam("module_id"),
    QuizAttempt.kind == QUIZ,
    QuizAttempt.submitted_at.is_not(None),
)
_PASSED_BEFORE = _SUBMITTED_QUIZZES.where(QuizAttempt.passed.is_(True)).limit(1)
_MISSED = select(AttemptAnswer.question_id).where(
    AttemptAnswer.attempt_id.in_(_SUBMITTED_QUIZZES),  # the learner's attempts first, by their index
    or_(AttemptAnswer.correct.is_not(True), AttemptAnswer.misconception_ids != ""),
)


def plan_after_pass(learner: User, module: Module, rows: list[dict]) -> list[str]:
    """Before a passing submit takes the write lock: the questions its review rounds will ask.

    `rows`: the submit's graded answer rows. Empty when the module was passed before (reviews are
    scheduled once, at the first pass) or nothing was missed. Reads only, so the write lock is held
    no longer for it.
    """
    params = {"learner_id": learner.id, "module_id": module.id}
    if db.session.scalar(_PASSED_BEFORE, params) is not None:
        return []
    missed = set(db.session.scalars(_MISSED, params))
    missed |= {row["question_id"] for row in rows if row["correct"] is not True or row["misconception_ids"]}
    ordered = [q.id for q in module.quiz.questions if q.id in missed]
    if not ordered:
        return []
    others = [q.id for q in module.quiz.questions if q.id not in missed]
    return ordered + others[: max(0, SET_MIN - len(ordered))]


def schedule(learner: User, module: Module, questions: list[str], now: datetime | None = None) -> int:
    """Add the review rounds of these questions (caller's transaction: the passing submit's)."""
    now = now or utcnow()
    db.session.add_all(
        ReviewItem(
            learner_id=learner.id,
            module_id=module.id,
            question_id=qid,
            round=number,
            due_at=now + after,
            created_at=now,
        )
        for number, after in ROUNDS
        for qid in questions
    )
    return len(questions)


def _due(learner: User, course: Course, now: datetime):
    # A question since removed from the course is neither counted nor asked (it stays on record).
    return select(ReviewItem).where(
        ReviewItem.learner_id == learner.id,
        ReviewItem.answered_at.is_(None),
        ReviewItem.due_at <= now,
        ReviewItem.question_id.in_(list(course.questions_by_id)),
    )


def due_count(learner: User, course: Course, now: datetime | None = None) -> int:
    """How many questions the next review set has (0 to SET_MAX)."""
    total = db.session.scalar(_due(learner, course, now or utcnow()).with_only_columns(func.count()))
    return min(total or 0, SET_MAX)


@dataclass(frozen=True)
class ReviewQuestion:
    """One review item with its question as the course has it today, and the choices in their order."""

    item: ReviewItem
    question: Question
    choice_ids: tuple[str, ...]

    @property
    def input_type(self) -> str:
        """Radio buttons or checkboxes, as the question's type asks."""
        return question_type(self.question).input_type


def next_set(learner: User, course: Course, now: datetime | None = None) -> list[ReviewQuestion]:
    """The questions due now, oldest round first, at most SET_MAX."""
    items = db.session.scalars(
        _due(learner, course, now or utcnow())
        .order_by(ReviewItem.due_at, ReviewItem.round, ReviewItem.id)
        .limit(SET_MAX)
    ).all()
    return [_with_question(item, course) for item in items]


def pending(learner: User, course: Course, item_ids: list[int]) -> list[ReviewQuestion]:
    """The learner's own unanswered items among `item_ids` (another learner's, or an answered one, is left out)."""
    items = db.session.scalars(
        select(ReviewItem)
        .where(ReviewItem.id.in_(item_ids), ReviewItem.learner_id == learner.id, ReviewItem.answered_at.is_(None))
        .order_by(ReviewItem.id)
        .with_for_update()
    ).all()
    return [_with_question(item, course) for item in items if course.question(item.question_id)]


def _with_question(item: ReviewItem, course: Course) -> ReviewQuestion:
    question = course.question(item.question_id)
    assert question is not None  # the callers leave out items whose question was removed
    choices = [c.id for c in question.choices]
    if question_type(question).shuffle_choices:
        random.Random(item.id).shuffle(choices)  # the same order every time this item is shown
    return ReviewQuestion(item, question, tuple(choices))


def record_answers(review: list[ReviewQuestion], answers: dict[int, frozenset[str]]) -> list[grading.Grade]:
    """Grade and store an answer to each item (caller's transaction); the grades, in the same order.

    :raise grading.AnswerError: when an answer is not one of its question's choices.
    """
    now, grades = utcnow(), []
    for entry in review:
        chosen = answers[entry.item.id]
        grade = grading.grade(entry.question, chosen)
        entry.item.answered_at = now
        entry.item.choice_ids = ",".join(sorted(chosen))
        entry.item.correct = grade.correct
        entry.item.misconception_ids = ",".join(grade.misconceptions)
        grades.append(grade)
    return grades


def answered_reviews(learner: User) -> list[tuple[datetime, int, str, bool, str]]:
    """(answered_at, id, question_id, correct, misconception_ids) of every answered review, oldest first."""
    rows = db.session.execute(
        select(
            ReviewItem.answered_at,
            ReviewItem.id,
            ReviewItem.question_id,
            ReviewItem.correct,
            ReviewItem.misconception_ids,
        )
        .where(ReviewItem.learner_id == learner.id, ReviewItem.answered_at.is_not(None))
        .order_by(ReviewItem.answered_at, ReviewItem.id)
    ).all()
    return [(at, item_id, qid, bool(correct), myths) for at, item_id, qid, correct, myths in rows if at is not None]
