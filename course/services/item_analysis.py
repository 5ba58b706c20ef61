"""Item analysis: each quiz question over a cohort's first graded attempts, and its CSV rows.

One query for any number of learners: answers are counted per distinct set of choices, and the
sets are split into choices here (there are few per question, whatever the cohort size).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import Select, and_, case, func, select

from ..content import Choice, Course, Library, Misconception, Module, Question
from ..extensions import db
from ..i18n import gettext
from ..models import PRETEST, QUIZ, SURE, AttemptAnswer, Cohort, QuizAttempt
from .cohorts import member_ids

QA = QuizAttempt


@dataclass(frozen=True)
class ItemRow:
    """One quiz question over the cohort's first attempts: share correct, the most chosen wrong answer."""

    number: int
    module: Module
    question: Question
    answered: int
    correct: int
    pretest_answered: int
    pretest_correct: int
    top_wrong: Choice | None
    top_wrong_count: int
    myth: Misconception | None
    wrong: int = 0  # first-attempt answers not fully right
    wrong_while_sure: int = 0  # of those, given while the learner said they were sure

    @property
    def share_correct(self) -> int | None:
        """Percentage of first quiz attempts that got the question fully right."""
        return round(100 * self.correct / self.answered) if self.answered else None

    @property
    def share_wrong_while_sure(self) -> int | None:
        """Percentage of the wrong first-attempt answers given while sure: a myth held with confidence."""
        return round(100 * self.wrong_while_sure / self.wrong) if self.wrong else None

    @property
    def pretest_share_correct(self) -> int | None:
        """Percentage of pre-tests that got it fully right (None when it was not on the pre-test)."""
        return round(100 * self.pretest_correct / self.pretest_answered) if self.pretest_answered else None


def first_attempt_counts(cohort: Cohort, modules: list[Module], language: str | None = None) -> dict[str, int]:
    """Module id → number of current members with a graded quiz attempt in it (their first one in `language`,
    when given). One query."""
    first = _first_attempts(cohort, modules, language).where(QA.kind == QUIZ)
    rows = db.session.execute(select(QA.module_id, func.count()).where(QA.id.in_(first)).group_by(QA.module_id))
    return dict(rows.all())


def _first_attempts(cohort: Cohort, modules: list[Module], language: str | None) -> Select:
    """The id of each current member's first graded attempt of each kind in each module (taken in `language`,
    when given: the analysis split by language counts each learner's first attempt only where it was in it)."""
    first = (
        select(func.min(QA.id))
        .where(QA.learner_id.in_(member_ids(cohort)), QA.module_id.in_([m.id for m in modules]), QA.score.is_not(None))
        .group_by(QA.learner_id, QA.module_id, QA.kind)
    )
    return first if language is None else select(QA.id).where(QA.id.in_(first), QA.language == language)


def item_analysis(cohort: Cohort, modules: list[Module], course: Course, language: str | None = None) -> list[ItemRow]:
    """Question by question, over each current member's first graded quiz attempt (and pre-test); with a
    `language`, over those first attempts taken in it. One query."""
    first = _first_attempts(cohort, modules, language)
    counts: dict[tuple[str, str], list] = {}
    wrong_and_sure = and_(AttemptAnswer.correct.is_not(True), AttemptAnswer.confidence == SURE)
    for kind, question_id, choice_ids, n, right, sure_wrong in db.session.execute(
        select(
            QA.kind,
            AttemptAnswer.question_id,
            AttemptAnswer.choice_ids,
            func.count(),
            func.sum(case((AttemptAnswer.correct.is_(True), 1), else_=0)),
            func.sum(case((wrong_and_sure, 1), else_=0)),
        )
        .join(QA, QA.id == AttemptAnswer.attempt_id)
        .where(AttemptAnswer.attempt_id.in_(first))
        .group_by(QA.kind, AttemptAnswer.question_id, AttemptAnswer.choice_ids)
    ):
        counts.setdefault((kind, question_id), []).append((choice_ids, n, int(right or 0), int(sure_wrong or 0)))
    return [
        _item(n, module, question, counts, course)
        for module in modules
        for n, question in enumerate(module.quiz.questions, 1)
    ]


def _item(number: int, module: Module, question: Question, counts: dict, course: Course) -> ItemRow:
    quiz = counts.get((QUIZ, question.id), [])
    pretest = counts.get((PRETEST, question.id), [])
    picks: dict[str, int] = {}
    for choice_ids, n, _, _ in quiz:
        for choice_id in filter(None, choice_ids.split(",")):
            if choice_id not in question.correct_ids:
                picks[choice_id] = picks.get(choice_id, 0) + n
    order = [c.id for c in question.choices]
    known = [c for c in picks if c in order]  # a choice removed from the content since is left out
    top = max(known, key=lambda c: (picks[c], -order.index(c)), default=None)
    choice = question.choice(top) if top else None
    myth = course.misconception(choice.misconception) if choice and choice.misconception else None
    return ItemRow(
        number,
        module,
        question,
        sum(n for _, n, _, _ in quiz),
        sum(r for _, _, r, _ in quiz),
        sum(n for _, n, _, _ in pretest),
        sum(r for _, _, r, _ in pretest),
        choice,
        picks.get(top, 0) if top else 0,
        myth,
        sum(n - r for _, n, r, _ in quiz),
        sum(s for _, _, _, s in quiz),
    )


def items_csv(cohort: Cohort, course: Library) -> tuple[list[str], Iterator[list]]:
    """Header and rows of the item analysis export: one row per quiz question of every module."""
    header = [
        gettext("Module"),
        gettext("Question number"),
        gettext("Question id"),
        gettext("Question"),
        gettext("First attempts"),
        gettext("Correct"),
        gettext("Correct (%)"),
        gettext("Pre-tests"),
        gettext("Pre-test correct (%)"),
        gettext("Wrong answers"),
        gettext("Wrong while sure (%)"),
        gettext("Most chosen wrong answer"),
        gettext("Times chosen"),
        gettext("Misconception id"),
        gettext("Myth"),
    ]

    def rows() -> Iterator[list]:
        for item in item_analysis(cohort, list(course.modules), course):
            yield [
                course.module_label(item.module.id),
                item.number,
                item.question.id,
                item.question.prompt,
                item.answered,
                item.correct,
                item.share_correct,
                item.pretest_answered,
                item.pretest_share_correct,
                item.wrong,
                item.share_wrong_while_sure,
                item.top_wrong.text if item.top_wrong else None,
                item.top_wrong_count,
                item.myth.id if item.myth else None,
                item.myth.myth if item.myth else None,
            ]

    return header, rows()
