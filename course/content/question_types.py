"""The question types, one class each: what every part of the engine needs to know about a type.

The content check asks a type for its answer-key rules, grading for the credit of an answer,
attempts whether to shuffle its choices, the quiz page for its input, the test-wise analysis and
the near-duplicate finder how to count it. A new type is one class added to QUESTION_TYPES (as
CTFd keeps its challenge classes), not an edit in five places.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from .model import Question

# (message, field) pairs: what is wrong with a question's answer key, and where.
KeyProblems = Iterator[tuple[str, str]]


class QuestionType:
    """Base type: one right choice among several, shown as radio buttons, choices shuffled."""

    name: ClassVar[str]
    input_type: ClassVar[str] = "radio"
    max_choices: ClassVar[int | None] = 1
    shuffle_choices: ClassVar[bool] = True
    # One right answer out of a few: the test-wise analysis can score guessing strategies on it.
    single_answer: ClassVar[bool] = True
    # A statement judged true or false: a near-duplicate is a near-identical statement.
    statement: ClassVar[bool] = False

    def key_problems(self, question: Question) -> KeyProblems:
        """What is wrong with this question's choices and answer key for its type."""
        return iter(())

    def refusal(self, question: Question, chosen: frozenset[str]) -> str | None:
        """Why these choices cannot be an answer to the question (for the learner), or None."""
        if chosen - {choice.id for choice in question.choices}:
            return "That answer is not one of this question's choices."
        if self.max_choices is not None and len(chosen) > self.max_choices:
            return "Choose only one answer for this question."
        return None

    def credit(self, question: Question, chosen: frozenset[str]) -> float:
        """Credit from 0 to 1 for an accepted answer."""
        return 1.0 if chosen == question.correct_ids else 0.0


class SingleChoice(QuestionType):
    """Exactly one right choice among three to five."""

    name = "single"

    def key_problems(self, question: Question) -> KeyProblems:
        right = sum(c.correct for c in question.choices)
        if right != 1:
            yield f"a single question needs exactly 1 correct choice, not {right}", "choices"
        if not 3 <= len(question.choices) <= 5:
            yield f"a single question needs 3–5 choices, not {len(question.choices)}", "choices"


class TrueFalse(QuestionType):
    """A statement judged true or false; "True" then "False", in that order, reads best."""

    name = "true_false"
    shuffle_choices = False
    statement = True

    def key_problems(self, question: Question) -> KeyProblems:
        if sorted(c.id for c in question.choices) != ["false", "true"]:
            yield "a true_false question needs exactly two choices, with ids true and false", "choices"
        elif (right := sum(c.correct for c in question.choices)) != 1:
            yield f"a true_false question needs exactly 1 correct choice, not {right}", "choices"


class MultipleSelect(QuestionType):
    """Several right choices, as checkboxes; partly right answers earn partial credit.

    Each right choice picked earns a share, each wrong choice picked takes one back, never below 0,
    so ticking every box earns nothing.
    """

    name = "multiple"
    input_type = "checkbox"
    max_choices = None
    single_answer = False

    def key_problems(self, question: Question) -> KeyProblems:
        right, total = sum(c.correct for c in question.choices), len(question.choices)
        if right < 2 or right == total:
            yield (
                f"a multiple question needs 2 or more correct choices and at least 1 wrong one "
                f"({right} of {total} are correct)",
                "choices",
            )
        if "choose all that apply" not in question.prompt.lower():
            yield 'a multiple question\'s prompt must say "Choose all that apply."', "prompt"

    def credit(self, question: Question, chosen: frozenset[str]) -> float:
        right = question.correct_ids
        earned = len(chosen & right) - len(chosen - right)
        return round(max(0, earned) / len(right), 4)


QUESTION_TYPES: dict[str, QuestionType] = {t.name: t for t in (SingleChoice(), MultipleSelect(), TrueFalse())}


def question_type(question: Question) -> QuestionType:
    """The type of a loaded question (the loader refuses unknown types)."""
    return QUESTION_TYPES[question.type]
