"""Factories for test data: sensible defaults plus **overrides."""

from __future__ import annotations

import itertools

from course.extensions import db
from course.models import Caseload, Cohort, CohortMember, User
from course.services.cohorts import new_join_code
from course.services.passwords import hash_password

PASSWORD = "correct horse battery staple"
_numbers = itertools.count(1)


def make_user(role: str = "learner", password: str = PASSWORD, **overrides) -> User:
    """A committed user with a known password."""
    number = next(_numbers)
    fields = {"username": f"{role}-{number}", "role": role, "password_hash": hash_password(password)}
    fields.update(overrides)
    user = User(**fields)
    db.session.add(user)
    db.session.commit()
    return user


def make_cohort(facilitator: User | None = None, members: tuple[User, ...] = (), **overrides) -> Cohort:
    """A committed cohort (with a facilitator made if none is given) and its members."""
    facilitator = facilitator or make_user("facilitator")
    fields = {"name": f"Cohort {next(_numbers)}", "facilitator_id": facilitator.id, "join_code": new_join_code()}
    fields.update(overrides)
    cohort = Cohort(**fields)
    db.session.add(cohort)
    db.session.flush()
    for learner in members:
        db.session.add(CohortMember(cohort_id=cohort.id, learner_id=learner.id))
    db.session.commit()
    return cohort


def attach_counselor(counselor: User, *, learner: User | None = None, cohort: Cohort | None = None) -> Caseload:
    """Put a learner, or a whole cohort, on a counselor's caseload."""
    link = Caseload(
        counselor_id=counselor.id, learner_id=learner.id if learner else None, cohort_id=cohort.id if cohort else None
    )
    db.session.add(link)
    db.session.commit()
    return link
