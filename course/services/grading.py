"""Grading, through a registry of question types that share one interface."""

from __future__ import annotations

from dataclasses import dataclass

from ..content import Question


class AnswerError(ValueError):
    """An answer that cannot be graded (unknown choice, wrong number of choices); safe to show."""


@dataclass(frozen=True)
class Grade:
    """The outcome of one answer: credit from 0 to 1, fully correct or not, the myths it reveals."""

    credit: float
    correct: bool
    misconceptions: tuple[str, ...]


class QuestionType:
    """Base type: one choice, right or wrong."""

    max_choices: int | None = 1

    def validate(self, question: Question, chosen: frozenset[str]) -> None:
        """Refuse choices that are not the question's, or too many of them.

        :raise AnswerError: with a message for the learner.
        """
        unknown = chosen - {choice.id for choice in question.choices}
        if unknown:
            raise AnswerError("That answer is not one of this question's choices.")
        if self.max_choices is not None and len(chosen) > self.max_choices:
            raise AnswerError("Choose only one answer for this question.")

    def credit(self, question: Question, chosen: frozenset[str]) -> float:
        return 1.0 if chosen == question.correct_ids else 0.0

    def grade(self, question: Question, chosen: frozenset[str]) -> Grade:
        """Grade a validated answer."""
        self.validate(question, chosen)
        credit = self.credit(question, chosen)
        myths = tuple(sorted({c.misconception for c in question.choices if c.id in chosen and c.misconception}))
        return Grade(credit=credit, correct=credit == 1.0, misconceptions=myths)


class SingleChoice(QuestionType):
    """Exactly one right choice."""


class TrueFalse(QuestionType):
    """A statement judged true or false."""


class MultipleSelect(QuestionType):
    """Several right choices; partly right answers earn partial credit.

    Each right choice picked earns a share, each wrong choice picked takes one back, never below 0,
    so ticking every box earns nothing.
    """

    max_choices = None

    def credit(self, question: Question, chosen: frozenset[str]) -> float:
        right = question.correct_ids
        earned = len(chosen & right) - len(chosen - right)
        return round(max(0, earned) / len(right), 4)


QUESTION_TYPES: dict[str, QuestionType] = {
    "single": SingleChoice(),
    "true_false": TrueFalse(),
    "multiple": MultipleSelect(),
}


def grade(question: Question, chosen: frozenset[str]) -> Grade:
    """Grade one answer with its question's type."""
    return QUESTION_TYPES[question.type].grade(question, chosen)


def score(grades: list[Grade]) -> float:
    """The percentage score of a set of graded answers, to one decimal."""
    return round(100 * sum(g.credit for g in grades) / len(grades), 1) if grades else 0.0
