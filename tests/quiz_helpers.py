"""Helpers to answer quizzes in tests, right or wrong, as form data or as service arguments."""

from __future__ import annotations

from course.content import Module
from course.models import QuizAttempt


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
