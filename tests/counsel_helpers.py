"""Test data for the counselor and admin areas: attempts, assignments, caseloads in bulk."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import insert, select

from course.extensions import db
from course.models import Assignment, CohortMember, LessonProgress, QuizAttempt, User, utcnow
from course.services import progress_summary

from .factories import attach_counselor, make_cohort, make_user


def assign(module_id: str, *, cohort=None, learner=None, due_in_days: float | None = -1, withdrawn=False) -> Assignment:
    """A committed assignment; a negative `due_in_days` makes it past due."""
    row = Assignment(
        module_id=module_id,
        cohort_id=cohort.id if cohort else None,
        learner_id=learner.id if learner else None,
        due_at=utcnow() + timedelta(days=due_in_days) if due_in_days is not None else None,
        withdrawn_at=utcnow() if withdrawn else None,
    )
    db.session.add(row)
    db.session.commit()
    return row


def counselor_with_cohort(*learners: User):
    """A counselor attached to a new cohort whose members are `learners`; returns (counselor, cohort)."""
    counselor = make_user("counselor")
    cohort = make_cohort(members=learners)
    attach_counselor(counselor, cohort=cohort)
    return counselor, cohort


def bulk_caseload(counselor: User, count: int, prefix: str, course) -> list[int]:
    """Insert `count` learners in a cohort on the counselor's caseload, each with some progress; fast.

    Each learner has a completed lesson; by turns two failed quiz attempts, a failed then a passed
    one, or none; and the cohort has an overdue assignment, so every aggregate has rows to count.
    """
    cohort = make_cohort()
    attach_counselor(counselor, cohort=cohort)
    now = utcnow()
    first, second = course.modules[0], course.modules[1]
    db.session.execute(
        insert(User),
        [
            {
                "username": f"{prefix}-{n:04d}",
                "role": "learner",
                "password_hash": "x",
                "created_at": now,
                "updated_at": now,
                "last_active_at": now - timedelta(days=n % 40),
            }
            for n in range(count)
        ],
    )
    ids = list(db.session.scalars(select(User.id).where(User.username.like(f"{prefix}-%")).order_by(User.id)))
    db.session.execute(insert(CohortMember), [{"cohort_id": cohort.id, "learner_id": i, "joined_at": now} for i in ids])
    db.session.execute(
        insert(LessonProgress),
        [
            {
                "learner_id": i,
                "module_id": first.id,
                "lesson_id": first.lessons[0].id,
                "content_version": first.version,
                "first_viewed_at": now,
                "last_viewed_at": now,
                "completed_at": now,
                "seconds_spent": 60,
            }
            for i in ids
        ],
    )
    outcomes = ((False, False), (False, True), ())
    db.session.execute(
        insert(QuizAttempt),
        [
            {
                "learner_id": i,
                "module_id": first.id,
                "kind": "quiz",
                "content_version": first.version,
                "layout": [],
                "sequence": 1,
                "started_at": now,
                "submitted_at": now,
                "score": 90.0 if passed else 10.0,
                "passed": passed,
            }
            for n, i in enumerate(ids)
            for passed in outcomes[n % 3]
        ],
    )
    db.session.add(Assignment(module_id=second.id, cohort_id=cohort.id, due_at=now - timedelta(days=1)))
    progress_summary.rebuild(ids)  # rows inserted in bulk, as no event would: the reports' figures
    db.session.commit()
    return ids
