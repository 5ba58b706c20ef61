"""What a quiz page and a review page show, question by question, in the order the learner saw.

Built from the attempt's own content version (quiz_snapshots) and, once submitted, from the
grading stored with each answer: a later edit of the course never changes a past review.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..content import Choice, Module, Question
from ..content.question_types import question_type
from ..models import CONFIDENCE_LABELS, QuizAttempt
from . import grading, quiz_snapshots


def confidence_labels() -> dict[str, str]:
    """Each level of "How sure are you?" with its words in the request's language, in order."""
    return {level: str(label) for level, label in CONFIDENCE_LABELS.items()}


@dataclass(frozen=True)
class QuestionView:
    """One question as shown in an attempt, with the learner's answer and, once graded, its outcome."""

    number: int
    question: Question | None  # None when the question has since been removed from the course
    choices: tuple[Choice, ...]
    chosen: frozenset[str]
    grade: grading.Grade | None
    confidence: str | None = None  # how sure the learner said they were (models.CONFIDENCE_LABELS)

    @property
    def picked(self) -> tuple[Choice, ...]:
        return tuple(c for c in self.choices if c.id in self.chosen)

    @property
    def right(self) -> tuple[Choice, ...]:
        return tuple(c for c in self.choices if c.correct)

    @property
    def input_type(self) -> str:
        return question_type(self.question).input_type if self.question else "radio"

    @property
    def confidence_label(self) -> str | None:
        return confidence_labels().get(self.confidence or "")

    @property
    def did_not_know(self) -> bool:
        """The learner chose "I don't know" (a pre-test only)."""
        return grading.DONT_KNOW in self.chosen


def dont_know_choice() -> Choice:
    """A pre-test's "I don't know", in the request's language: a choice of the attempt's layout, not of the question."""
    return Choice(grading.DONT_KNOW, str(grading.DONT_KNOW_TEXT), correct=False, feedback="")


def _choice(question: Question, choice_id: str) -> Choice | None:
    return dont_know_choice() if choice_id == grading.DONT_KNOW else question.choice(choice_id)


@dataclass(frozen=True)
class AttemptView:
    """Every question of an attempt."""

    questions: tuple[QuestionView, ...]
    # The language of the questions' text: the page's when the attempt is on today's version of a module
    # offered in it; English when it is read from an earlier version's snapshot (kept in English).
    language: str = "en"

    @property
    def answered(self) -> int:
        return sum(1 for q in self.questions if q.chosen)


def stored_grades(attempt: QuizAttempt) -> dict[str, grading.Grade]:
    """Question id → the grade stored when the attempt was submitted (ungraded answers left out)."""
    return {
        a.question_id: grading.Grade(a.credit, bool(a.correct), tuple(filter(None, a.misconception_ids.split(","))))
        for a in attempt.answers
        if a.credit is not None
    }


def attempt_view(
    attempt: QuizAttempt,
    module: Module,
    answers: dict[str, frozenset[str]],
    confidence: dict[str, str] | None = None,
) -> AttemptView:
    """Build the view of an attempt on its own content version; graded (as stored) once submitted.

    `confidence`: how sure the learner said they were, per question (default: as saved).
    """
    questions = quiz_snapshots.questions_for(attempt, module)
    grades = stored_grades(attempt) if attempt.submitted_at is not None else {}
    if confidence is None:
        confidence = {a.question_id: a.confidence for a in attempt.answers if a.confidence}
    items = []
    for number, item in enumerate(attempt.layout, 1):
        question = questions.get(item["question"])
        chosen = answers.get(item["question"], frozenset())
        if question is None:
            items.append(QuestionView(number, None, (), chosen, None))
            continue
        choices = tuple(c for c in (_choice(question, cid) for cid in item["choices"]) if c is not None)
        sure = confidence.get(item["question"])
        items.append(QuestionView(number, question, choices, chosen, grades.get(item["question"]), sure))
    current = attempt.content_version == module.version
    return AttemptView(tuple(items), module.language if current else "en")
