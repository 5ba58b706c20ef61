"""Quiz and pre-test attempts: start (or resume), save drafts, submit exactly once.

The idempotency key of a submit is the attempt id plus its sequence number: the first submit
claims the attempt with a conditional UPDATE, so a double click, a second tab, a back-button
resubmit or a retry after a dropped connection finds it already submitted and gets the first
result. Nothing is written twice.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import cast

from sqlalchemy import CursorResult, Table, and_, bindparam, delete, exists, insert, select, update
from sqlalchemy.exc import IntegrityError

from ..content import Module
from ..content.question_types import question_type
from ..extensions import db
from ..i18n import gettext as _
from ..models import CONFIDENCE_LABELS, PRETEST, QUIZ, AttemptAnswer, QuizAttempt, User, utcnow
from ..models.base import MAX_ID
from . import grading, progress_summary, quiz_snapshots

# The statements of a submit, built once: SQLAlchemy then reuses their cache keys and compiled SQL.
_ATTEMPT, _ANSWER = cast(Table, QuizAttempt.__table__), cast(Table, AttemptAnswer.__table__)
_OWN_ATTEMPT = select(QuizAttempt).where(
    QuizAttempt.id == bindparam("attempt_id"), QuizAttempt.learner_id == bindparam("learner_id")
)
_EARLIER = _ATTEMPT.alias("earlier")
# No other quiz attempt of this learner in this module was submitted before: this is the first.
# (One attempt is open at a time, so the first submitted is also the first started.) Bound to the
# learner and module, not correlated with the row updated: SQLite then looks it up by index.
_FIRST_QUIZ = and_(
    _ATTEMPT.c.kind == QUIZ,
    ~exists().where(
        _EARLIER.c.learner_id == bindparam("of_learner"),
        _EARLIER.c.module_id == bindparam("of_module"),
        _EARLIER.c.kind == QUIZ,
        _EARLIER.c.submitted_at.is_not(None),
        _EARLIER.c.id != bindparam("attempt_id"),
    ),
)
_CLAIM = (
    update(_ATTEMPT)
    .where(_ATTEMPT.c.id == bindparam("attempt_id"), _ATTEMPT.c.submitted_at.is_(None))
    .values(
        submitted_at=bindparam("now"),
        sequence=_ATTEMPT.c.sequence + 1,
        score=bindparam("score"),
        passed=bindparam("passed"),
        pretest_items_score=bindparam("pretest_items_score"),
        first_quiz=_FIRST_QUIZ,
        language=bindparam("language"),
    )
)
_CLAIM_AT_SEQUENCE = _CLAIM.where(_ATTEMPT.c.sequence == bindparam("at_sequence"))
_DELETE_ANSWERS = delete(_ANSWER).where(_ANSWER.c.attempt_id == bindparam("attempt_id"))
_INSERT_ANSWERS = insert(_ANSWER)


class AttemptClosed(Exception):
    """The attempt was already submitted; the caller shows its result."""


class StaleAttempt(Exception):
    """The answers come from an older copy of the page (another tab saved newer ones)."""


class Incomplete(Exception):
    """Some questions have no answer; `positions` are their 1-based places in the attempt."""

    def __init__(self, positions: list[int]):
        super().__init__(positions)
        self.positions = positions


@dataclass(frozen=True)
class SubmitResult:
    """The submitted attempt and whether this request was the one that submitted it."""

    attempt: QuizAttempt
    first_time: bool


def quiz_for(module: Module, kind: str):
    """The module's quiz or its pre-test."""
    return module.quiz if kind == QUIZ else module.pretest


def open_attempt(learner: User, module: Module, kind: str) -> QuizAttempt | None:
    """The learner's unsubmitted attempt of this kind, if any."""
    return db.session.scalar(
        select(QuizAttempt).where(
            QuizAttempt.learner_id == learner.id,
            QuizAttempt.module_id == module.id,
            QuizAttempt.kind == kind,
            QuizAttempt.submitted_at.is_(None),
        )
    )


def find_attempt(learner: User, attempt_id: int) -> QuizAttempt | None:
    """The learner's own attempt with this id; another learner's attempt is None, as if absent."""
    return db.session.scalar(_OWN_ATTEMPT, {"attempt_id": attempt_id, "learner_id": learner.id})


def _layout(questions, rng: random.Random, kind: str) -> list[dict]:
    """Questions and choices in a fresh random order; a pre-test ends each question with "I don't know"."""
    order = list(questions)
    rng.shuffle(order)
    layout = []
    for question in order:
        choices = [choice.id for choice in question.choices]
        if question_type(question).shuffle_choices:
            rng.shuffle(choices)
        if kind == PRETEST:
            choices.append(grading.DONT_KNOW)
        layout.append({"question": question.id, "choices": choices})
    return layout


def start_attempt(learner: User, module: Module, kind: str, rng: random.Random | None = None) -> QuizAttempt:
    """Resume the open attempt of this kind, or start one with freshly shuffled questions and choices."""
    existing = open_attempt(learner, module, kind)
    if existing:
        return existing
    quiz_snapshots.store_snapshot(module)  # what this attempt shows, kept for its review
    attempt = QuizAttempt(
        learner_id=learner.id,
        module_id=module.id,
        kind=kind,
        content_version=module.version,
        layout=_layout(quiz_for(module, kind).questions, rng or random.SystemRandom(), kind),
    )
    try:
        with db.session.begin_nested():  # a savepoint: losing the race leaves the caller's transaction usable
            db.session.add(attempt)
    except IntegrityError:  # another tab started one at the same moment: use that one
        return start_attempt(learner, module, kind, rng)
    progress_summary.refresh(learner.id, module.id)
    return attempt


def skip_pretest(learner: User, module: Module) -> None:
    """Record that the learner chose not to take the pre-test (a submitted attempt with no score)."""
    taken = db.session.scalar(
        select(QuizAttempt.id).where(
            QuizAttempt.learner_id == learner.id, QuizAttempt.module_id == module.id, QuizAttempt.kind == PRETEST
        )
    )
    if taken is None:
        db.session.add(
            QuizAttempt(
                learner_id=learner.id,
                module_id=module.id,
                kind=PRETEST,
                content_version=module.version,
                layout=[],
                submitted_at=utcnow(),
            )
        )
        progress_summary.refresh(learner.id, module.id)


def close_unscored(attempt: QuizAttempt) -> None:
    """Close an open pre-test without a score (as if skipped), keeping its saved answers (caller's transaction).

    For a pre-test sent after the module's lessons were opened: it would no longer measure "before".
    """
    _lock(attempt)
    if attempt.submitted_at is None:
        attempt.submitted_at = utcnow()
        attempt.sequence += 1
        progress_summary.refresh(attempt.learner_id, attempt.module_id)


def parse_answers(attempt: QuizAttempt, form) -> dict[str, frozenset[str]]:
    """Read `q-<question id>` fields, keeping only questions and choices this attempt showed.

    :raise grading.AnswerError: when a value is not one of the question's shown choices.
    """
    answers = {}
    for item in attempt.layout:
        picked = frozenset(value for value in form.getlist(f"q-{item['question']}") if value)
        if picked - set(item["choices"]):
            raise grading.AnswerError(
                _("One of the answers sent is not a choice of its question. Reload the page and try again.")
            )
        if picked:
            answers[item["question"]] = picked
    return answers


def parse_confidence(attempt: QuizAttempt, form) -> dict[str, str]:
    """Read the optional `c-<question id>` fields: how sure the learner is of each answer.

    :raise grading.AnswerError: when a value is not one of the levels offered.
    """
    confidence = {}
    for item in attempt.layout:
        value = form.get(f"c-{item['question']}") or ""
        if value and value not in CONFIDENCE_LABELS:
            raise grading.AnswerError(
                _("One of the “How sure are you?” answers sent is not one offered. Reload the page.")
            )
        if value:
            confidence[item["question"]] = value
    return confidence


def saved_answers(attempt: QuizAttempt) -> dict[str, frozenset[str]]:
    """The answers saved so far (drafts, or the submitted answers)."""
    return {a.question_id: frozenset(filter(None, a.choice_ids.split(","))) for a in attempt.answers}


def _store(attempt: QuizAttempt, answers: dict[str, frozenset[str]], confidence: dict[str, str]) -> None:
    rows = {row.question_id: row for row in attempt.answers}
    for item in attempt.layout:
        qid = item["question"]
        value, sure = ",".join(sorted(answers.get(qid, ()))), confidence.get(qid)
        if qid in rows:
            rows[qid].choice_ids, rows[qid].confidence = value, sure
        elif value or sure:
            attempt.answers.append(AttemptAnswer(question_id=qid, choice_ids=value, confidence=sure))


def _lock(attempt: QuizAttempt) -> None:
    """Read the attempt afresh, locked to this transaction until it ends.

    SQLite's write transaction already excludes every other writer; on PostgreSQL the row lock
    makes a draft save and a submit of the same attempt take turns (otherwise two tabs saving at
    once both insert the same answer rows).
    """
    db.session.expire(attempt)
    db.session.refresh(attempt, with_for_update=True)


def _check_sequence(attempt: QuizAttempt, sequence: int | None, answers: dict[str, frozenset[str]]) -> None:
    """Refuse answers from an older page, unless they are what is saved anyway (an autosave raced a click)."""
    if attempt.submitted_at is not None:
        raise AttemptClosed()
    if sequence is not None and sequence != attempt.sequence and saved_answers(attempt) != answers:
        raise StaleAttempt()


def save_draft(
    attempt: QuizAttempt,
    answers: dict[str, frozenset[str]],
    sequence: int | None,
    confidence: dict[str, str] | None = None,
) -> int:
    """Save the learner's current answers as the draft; returns the new sequence number.

    :raise AttemptClosed: when the attempt was already submitted.
    :raise StaleAttempt: when another tab saved newer answers since this page was loaded.
    """
    _lock(attempt)
    _check_sequence(attempt, sequence, answers)
    _store(attempt, answers, confidence or {})
    attempt.sequence += 1
    return attempt.sequence


def _claim(attempt: QuizAttempt, graded: GradedAnswers, language: str, sequence: int | None = None) -> bool:
    """Mark the attempt submitted, with its scores, if nobody has; only one request can win this UPDATE.

    With a `sequence`, only while the attempt is still at it (the page sent is the newest).
    """
    params = {
        "attempt_id": attempt.id,
        "of_learner": attempt.learner_id,
        "of_module": attempt.module_id,
        "now": utcnow(),
        "score": graded.score,
        "passed": graded.passed,
        "pretest_items_score": graded.pretest_items_score,
        "language": language,
    }
    if sequence is not None and not 0 <= sequence <= MAX_ID:
        return False  # no attempt is at a number its INTEGER column cannot hold (the database would refuse it)
    if sequence is None:
        result = db.session.execute(_CLAIM, params)
    else:
        result = db.session.execute(_CLAIM_AT_SEQUENCE, {**params, "at_sequence": sequence})
    return cast(CursorResult, result).rowcount == 1


@dataclass(frozen=True)
class GradedAnswers:
    """Answers graded before the write lock is taken: the rows to store, the scores, and what is missing.

    Graded with the questions of the attempt's own content version. An answer to a question that
    version does not have is kept, ungraded, as before.
    """

    answers: dict[str, frozenset[str]]
    rows: list[dict]  # one per answered question, with how sure the learner said they were
    score: float
    passed: bool | None
    pretest_items_score: float | None  # the score on the pre-test's questions alone (docs/outcomes.md)
    missing: tuple[int, ...]  # 1-based places of the questions with no answer


def grade_answers(
    attempt: QuizAttempt,
    answers: dict[str, frozenset[str]],
    module: Module,
    confidence: dict[str, str] | None = None,
) -> GradedAnswers:
    """Grade the answers for submitting (reads the snapshot at most; writes nothing)."""
    confidence = confidence or {}
    now, rows, grades, questions = utcnow(), [], [], quiz_snapshots.questions_for(attempt, module)
    matched, pretest_ids = [], quiz_snapshots.pretest_ids_for(attempt, module)
    missing = tuple(
        n for n, item in enumerate(attempt.layout, 1) if (qid := item["question"]) in questions and qid not in answers
    )
    for item in attempt.layout:
        qid, question = item["question"], questions.get(item["question"])
        if qid not in answers:
            continue
        row = {
            "attempt_id": attempt.id,
            "question_id": qid,
            "choice_ids": ",".join(sorted(answers[qid])),
            "correct": None,
            "credit": None,
            "misconception_ids": "",
            "saved_at": now,
            "confidence": confidence.get(qid),
        }
        if question is not None:
            result = grading.grade(question, answers[qid])
            grades.append(result)
            if qid in pretest_ids:
                matched.append(result)
            row.update(correct=result.correct, credit=result.credit, misconception_ids=",".join(result.misconceptions))
        rows.append(row)
    score = grading.score(grades)
    return GradedAnswers(
        answers,
        rows,
        score,
        score >= module.pass_mark if attempt.kind == QUIZ else None,
        grading.score(matched) if matched else None,
        missing,
    )


def submit(attempt: QuizAttempt, graded: GradedAnswers, sequence: int | None, language: str = "en") -> SubmitResult:
    """Submit the graded attempt exactly once (caller's transaction), noting the language it was taken in.

    :raise Incomplete: when a question has no answer (the caller saves the answers as a draft).
    :raise StaleAttempt: when the answers come from a page older than the saved draft.
    """
    if graded.missing:
        raise Incomplete(list(graded.missing))
    if attempt.submitted_at is not None:
        return SubmitResult(attempt, first_time=False)
    # Usually the page is the newest copy: one UPDATE claims the attempt. Otherwise read the
    # attempt again to tell an older tab (refused) from a repeat of the same submit.
    claimed = sequence is not None and _claim(attempt, graded, language, sequence)
    if not claimed:
        _lock(attempt)
        if attempt.submitted_at is None:
            _check_sequence(attempt, sequence, graded.answers)
        claimed = _claim(attempt, graded, language)
    if not claimed:
        db.session.expire(attempt)
        return SubmitResult(attempt, first_time=False)
    # The drafts are replaced by the graded answers: one DELETE and one INSERT of all the rows.
    db.session.execute(_DELETE_ANSWERS, {"attempt_id": attempt.id})
    db.session.execute(_INSERT_ANSWERS, graded.rows)
    progress_summary.refresh(attempt.learner_id, attempt.module_id)
    db.session.expire(attempt)  # claimed by an UPDATE the session did not see: read afresh when next used
    return SubmitResult(attempt, first_time=True)
