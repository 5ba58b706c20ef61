"""Helpers to answer quizzes in tests, right or wrong, as form data or as service arguments, and to take them."""

from __future__ import annotations

from course.content import Module
from course.extensions import db
from course.models import QUIZ, QuizAttempt, User

from . import actions


def right_answer(question) -> frozenset[str]:
    return question.correct_ids


def wrong_answer(question) -> frozenset[str]:
    return frozenset({next(c.id for c in question.choices if not c.correct)})


def answers(attempt: QuizAttempt, module: Module, right: int | None = None) -> dict[str, frozenset[str]]:
    """Answers for every question of the attempt: the first `right` right (all when None), the rest wrong."""
    result = {}
    for n, item in enumerate(attempt.layout):
        question = module.question(item["question"])
        result[question.id] = right_answer(question) if right is None or n < right else wrong_answer(question)
    return result


def form(answer_map: dict[str, frozenset[str]], sequence: int | None = None) -> dict:
    """The same answers as the quiz form sends them."""
    data = {f"q-{qid}": sorted(choices) for qid, choices in answer_map.items()}
    if sequence is not None:
        data["sequence"] = str(sequence)
    return data


def take(learner: User, module: Module, kind: str = QUIZ, right: int | None = None) -> QuizAttempt:
    """Start and submit an attempt: the first `right` questions right (all when None), the rest wrong."""
    attempt = actions.start_attempt(learner, module, kind)
    actions.submit(attempt, answers(attempt, module, right), attempt.sequence, module)
    db.session.expire_all()
    return db.session.get(QuizAttempt, attempt.id)


def take_with(learner: User, module: Module, kind: str, choose) -> QuizAttempt:
    """Start and submit an attempt, answering each question with `choose(question)` (a set of choice ids)."""
    attempt = actions.start_attempt(learner, module, kind)
    chosen = {item["question"]: frozenset(choose(module.question(item["question"]))) for item in attempt.layout}
    actions.submit(attempt, chosen, attempt.sequence, module)
    db.session.expire_all()
    return db.session.get(QuizAttempt, attempt.id)


def start_quiz(browser, module: Module, kind: str = QUIZ) -> QuizAttempt:
    """Start an attempt through the module page's button, as the learner signed in on `browser`."""
    response = browser.post(f"/learn/modules/{module.id}/{kind}/start", form_page=f"/learn/modules/{module.id}")
    assert response.status_code == 303
    return db.session.get(QuizAttempt, int(response.headers["Location"].rsplit("/", 1)[1]))
