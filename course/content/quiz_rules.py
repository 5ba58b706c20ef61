"""The quiz rules of docs/writing-content.md that a program can check (issue 13).

(a) a reader who knows nothing must not beat chance by more than a margin
(testwise.py); (b) no near-duplicate questions across the course unless marked
as a revisit (duplicates.py); (c) each question's text reads at the lessons'
level; (d) the feedback on a myth-tagged choice names it as a myth. All four
are errors of `flask content check`, not of start-up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .duplicates import near_duplicates
from .editorial import MAX_FLESCH_KINCAID
from .fields import Problem
from .model import Course, Module, Question
from .readability import reading_level
from .testwise import MARGIN, GuessScores, guess_scores

_MYTH = re.compile(r"\bmyths?\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class QuizLevel:
    """One quiz's test-wise scores (None without a scored item) and reading level, for the report."""

    module_id: str
    scores: GuessScores | None
    flesch_kincaid: float
    smog: float


def question_text(question: Question) -> str:
    """Stem, choices, feedback and explanation, one paragraph each (each measured as a sentence)."""
    parts = [
        question.prompt,
        *(c.text for c in question.choices),
        *(c.feedback for c in question.choices),
        question.explanation,
    ]
    return "\n\n".join(part for part in parts if part)


def quiz_problems(course: Course) -> tuple[list[Problem], list[QuizLevel]]:
    """Errors of rules (a)–(d) for the whole course, and each quiz's scores and reading level."""
    errors, levels = [], []
    for module in course.modules:
        scores = guess_scores(module.quiz)
        errors += testwise_problems(module, scores)
        for question in module.quiz.questions:
            errors += question_level_problems(question) + myth_feedback_problems(question)
            errors += untagged_myth_problems(question)
        level = reading_level("\n\n".join(question_text(q) for q in module.quiz.questions))
        levels.append(QuizLevel(module.id, scores, level.flesch_kincaid, level.smog))
    return errors + duplicate_problems(course) + revisit_problems(course), levels


def testwise_problems(module: Module, scores: GuessScores | None) -> list[Problem]:
    """Rule (a): one error per strategy that scores above chance + MARGIN."""
    if scores is None:
        return []
    return [
        Problem(
            f"{module.folder}/quiz.yaml",
            "questions",
            f'a test-wise reader who picks by "{name}" scores {score:.2f} on the {scores.items} '
            f"single-answer and true/false items, above chance {scores.chance:.2f} + {MARGIN:.2f}; "
            f"the key is the longest choice in {scores.key_longest} of them "
            f"(chance: {scores.key_longest_by_chance:.1f})",
        )
        for name, score in scores.too_high().items()
    ]


def question_level_problems(question: Question) -> list[Problem]:
    """Rule (c): the question's whole text at Flesch-Kincaid grade MAX_FLESCH_KINCAID or below."""
    level = reading_level(question_text(question))
    if level.flesch_kincaid <= MAX_FLESCH_KINCAID:
        return []
    return [
        question.origin.problem(
            f'"{question.id}": Flesch-Kincaid grade {level.flesch_kincaid} of stem, '
            f"choices, feedback and explanation is above {MAX_FLESCH_KINCAID}"
        )
    ]


def myth_feedback_problems(question: Question) -> list[Problem]:
    """Rule (d): feedback on a myth-tagged choice must contain the word "myth"."""
    return [
        question.origin.problem(
            f'"{question.id}": feedback on a choice tagged "{c.misconception}" '
            'must name it as a myth (the word "myth")',
            f"choices[{j}].feedback",
        )
        for j, c in enumerate(question.choices)
        if c.misconception and not _MYTH.search(c.feedback)
    ]


def untagged_myth_problems(question: Question) -> list[Problem]:
    """The converse of rule (d): a wrong choice whose feedback calls it a myth is tagged with that myth.

    Untagged, the answer would count for nothing in the myth reports (item analysis, the
    counselor's record) although the learner was told it was a myth.
    """
    return [
        question.origin.problem(
            f'"{question.id}": the feedback calls this choice a myth; tag it with the misconception it reveals',
            f"choices[{j}].misconception",
        )
        for j, c in enumerate(question.choices)
        if not c.correct and not c.misconception and _MYTH.search(c.feedback)
    ]


def duplicate_problems(course: Course) -> list[Problem]:
    """Rule (b): each near-duplicate pair, reported at the later question."""
    return [
        pair.later.origin.problem(
            f'"{pair.later.id}" is a near-duplicate of "{pair.earlier.id}" ({pair.earlier.origin.file}): '
            f"{pair.describe()}; test another fact or angle, or add `revisits: {pair.earlier.id}`"
        )
        for pair in near_duplicates(course)
    ]


def revisit_problems(course: Course) -> list[Problem]:
    """`revisits` must name a question that comes earlier in the course."""
    order = {q.id: i for i, q in enumerate(q for m in course.modules for q in m.quiz.questions)}
    problems = []
    for module in course.modules:
        for question in module.quiz.questions:
            target = question.revisits
            if target and target in order and order[target] >= order[question.id]:
                problems.append(
                    question.origin.problem(
                        f'"{question.id}" revisits "{target}", which does not come before it in the course', "revisits"
                    )
                )
    return problems
