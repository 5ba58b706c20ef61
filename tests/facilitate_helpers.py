"""Helpers for the facilitator tests: learners and progress in bulk, graded attempts, DB snapshots."""

from __future__ import annotations

import itertools
from datetime import timedelta

from sqlalchemy import event, insert, select

from course.content import Module
from course.extensions import db
from course.models import (
    PRETEST,
    QUIZ,
    Assignment,
    AttemptAnswer,
    AuditEvent,
    Cohort,
    CohortMember,
    LessonProgress,
    QuizAttempt,
    User,
    utcnow,
)
from course.services import grading, progress_summary
from course.services.passwords import hash_password

from .factories import PASSWORD

HOME = "/facilitate/"
_numbers = itertools.count(1)
_hash = {}


def password_hash() -> str:
    """One real hash of the test password, made once: bulk learners can sign in, and fast."""
    if "value" not in _hash:
        _hash["value"] = hash_password(PASSWORD)
    return _hash["value"]


def bulk_learners(cohort: Cohort, count: int, **fields) -> list[int]:
    """Insert `count` learners as members of the cohort in two statements; their ids, in username order."""
    batch = next(_numbers)
    rows = [
        {"username": f"bulk{batch}-{n:05d}", "role": "learner", "password_hash": password_hash(), **fields}
        for n in range(count)
    ]
    db.session.execute(insert(User), rows)
    ids = list(db.session.scalars(select(User.id).where(User.username.like(f"bulk{batch}-%")).order_by(User.username)))
    db.session.execute(insert(CohortMember), [{"cohort_id": cohort.id, "learner_id": i} for i in ids])
    db.session.commit()
    return ids


def bulk_progress(learner_ids: list[int], module: Module) -> None:
    """For every learner: the module's first lesson done, a pre-test, and a quiz attempt (some passed)."""
    now = utcnow()
    lesson = module.lessons[0]
    db.session.execute(
        insert(LessonProgress),
        [
            {
                "learner_id": i,
                "module_id": module.id,
                "lesson_id": lesson.id,
                "content_version": module.version,
                "first_viewed_at": now,
                "last_viewed_at": now,
                "completed_at": now,
                "seconds_spent": 60,
            }
            for i in learner_ids
        ],
    )
    attempts = []
    for n, i in enumerate(learner_ids):
        attempts.append(
            {
                "learner_id": i,
                "module_id": module.id,
                "kind": PRETEST,
                "content_version": module.version,
                "layout": [],
                "submitted_at": now,
                "score": float(20 + n % 40),
            }
        )
        attempts.append(
            {
                "learner_id": i,
                "module_id": module.id,
                "kind": QUIZ,
                "content_version": module.version,
                "layout": [],
                "submitted_at": now,
                "score": float(50 + n % 50),
                "passed": 50 + n % 50 >= module.pass_mark,
            }
        )
    db.session.execute(insert(QuizAttempt), attempts)
    progress_summary.rebuild(learner_ids)  # rows inserted in bulk, as no event would: the reports' figures
    db.session.commit()


def complete_lessons(learner: User, module: Module, count: int | None = None) -> None:
    """Mark the module's first `count` lessons (all when None) complete."""
    now = utcnow()
    for lesson in module.lessons[:count]:
        db.session.add(
            LessonProgress(
                learner_id=learner.id,
                module_id=module.id,
                lesson_id=lesson.id,
                content_version=module.version,
                first_viewed_at=now,
                last_viewed_at=now,
                completed_at=now,
            )
        )
    progress_summary.refresh(learner.id, module.id)
    db.session.commit()


def add_attempt(
    learner: User,
    module: Module,
    kind: str = QUIZ,
    answers: dict[str, frozenset[str]] | None = None,
    score: float | None = None,
    submitted: bool = True,
    when=None,
    items_score: float | None = None,
) -> QuizAttempt:
    """A committed attempt; with `answers` (question id → choice ids) each answer is graded and stored.

    As the submit does: its score on the pre-test's questions is `items_score` (default: its score),
    and the learner's first submitted quiz attempt in the module is marked first.
    """
    grades = {qid: grading.grade(module.question(qid), frozenset(choices)) for qid, choices in (answers or {}).items()}
    if score is None and grades and submitted:
        score = grading.score(list(grades.values()))
    attempt = QuizAttempt(
        learner_id=learner.id,
        module_id=module.id,
        kind=kind,
        content_version=module.version,
        layout=[{"question": qid, "choices": []} for qid in (answers or {})],
        score=score,
        submitted_at=(when or utcnow()) if submitted else None,
        passed=(score >= module.pass_mark) if kind == QUIZ and score is not None else None,
        pretest_items_score=items_score if items_score is not None else score,
        first_quiz=kind == QUIZ and submitted and not _quiz_submitted(learner, module),
    )
    for qid, grade in grades.items():
        attempt.answers.append(
            AttemptAnswer(
                question_id=qid,
                choice_ids=",".join(sorted(answers[qid])),
                correct=grade.correct,
                credit=grade.credit,
                misconception_ids=",".join(grade.misconceptions),
            )
        )
    db.session.add(attempt)
    progress_summary.refresh(learner.id, module.id)
    db.session.commit()
    return attempt


def _quiz_submitted(learner: User, module: Module) -> bool:
    return bool(
        db.session.scalar(
            select(QuizAttempt.id).where(
                QuizAttempt.learner_id == learner.id,
                QuizAttempt.module_id == module.id,
                QuizAttempt.kind == QUIZ,
                QuizAttempt.submitted_at.is_not(None),
            )
        )
    )


def pass_module(learner: User, module: Module, score: float = 100.0) -> QuizAttempt:
    """A passed quiz attempt (no answers stored)."""
    return add_attempt(learner, module, score=score)


def all_right(module: Module) -> dict[str, frozenset[str]]:
    """Right answers to every quiz question of the module."""
    return {q.id: q.correct_ids for q in module.quiz.questions}


def in_days(days: int):
    """A date `days` from today (UTC), as a due date form value."""
    return (utcnow() + timedelta(days=days)).date()


def snapshot() -> dict:
    """Every row a facilitator's POST could change: cohorts, memberships, assignments, audit events."""
    db.session.expire_all()
    tables = {"cohort": Cohort, "cohort_member": CohortMember, "assignment": Assignment, "audit_event": AuditEvent}
    return {
        name: [
            tuple(getattr(row, c.key) for c in model.__table__.columns)
            for row in db.session.scalars(select(model).order_by(model.id))
        ]
        for name, model in tables.items()
    }


class StatementCounter:
    """Counts the SQL statements sent through db.engine while active (a context manager)."""

    def __init__(self):
        self.statements: list[str] = []

    def _count(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append(statement)

    def __enter__(self):
        event.listen(db.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        event.remove(db.engine, "before_cursor_execute", self._count)

    def __len__(self) -> int:
        return len(self.statements)

    @property
    def selects(self) -> int:
        """The number of SELECT statements (leaving out BEGIN, which SQLite sends and PostgreSQL does not)."""
        return sum(1 for s in self.statements if s.lstrip().upper().startswith("SELECT"))
