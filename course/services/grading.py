"""Grading an answer through its question's type (content/question_types.py), and a set of answers' score."""

from __future__ import annotations

from dataclasses import dataclass

from ..content import Question
from ..content.question_types import question_type
from ..i18n import lazy_gettext as _l

# The pre-test's last choice on every question: "I don't know", counted as not known (no credit,
# no myth), as validated knowledge scales count it. Quizzes do not offer it.
DONT_KNOW = "dont-know"
DONT_KNOW_TEXT = _l("I don't know")  # str() it where it is shown: in the request's language


class AnswerError(ValueError):
    """An answer that cannot be graded (unknown choice, wrong number of choices); safe to show."""


@dataclass(frozen=True)
class Grade:
    """The outcome of one answer: credit from 0 to 1, fully correct or not, the myths it reveals."""

    credit: float
    correct: bool
    misconceptions: tuple[str, ...]


def grade(question: Question, chosen: frozenset[str]) -> Grade:
    """Grade one answer with its question's type (content/question_types.py).

    :raise AnswerError: for choices that are not the question's, or too many of them.
    """
    if DONT_KNOW in chosen:
        return Grade(credit=0.0, correct=False, misconceptions=())
    kind = question_type(question)
    refusal = kind.refusal(question, chosen)
    if refusal:
        raise AnswerError(refusal)
    credit = kind.credit(question, chosen)
    myths = tuple(sorted({c.misconception for c in question.choices if c.id in chosen and c.misconception}))
    return Grade(credit=credit, correct=credit == 1.0, misconceptions=myths)


def score(grades: list[Grade]) -> float:
    """The percentage score of a set of graded answers, to one decimal."""
    return round(100 * sum(g.credit for g in grades) / len(grades), 1) if grades else 0.0
