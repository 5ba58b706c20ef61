"""Cohorts: creation and join codes."""
from __future__ import annotations

import secrets

from ..extensions import db
from ..models import Cohort, User

# No 0/O, 1/I/L: a code is read aloud in a group and typed on a phone.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 12  # about 59 bits: unguessable behind the sign-up rate limit


def new_join_code() -> str:
    """A random join code, grouped in fours for reading: ABCD-EFGH-JKMN."""
    raw = "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))
    return "-".join(raw[i:i + 4] for i in range(0, JOIN_CODE_LENGTH, 4))


def create_cohort(name: str, facilitator: User) -> Cohort:
    """Create a cohort with a fresh join code (current transaction)."""
    cohort = Cohort(name=name.strip(), facilitator_id=facilitator.id, join_code=new_join_code())
    db.session.add(cohort)
    db.session.flush()
    return cohort
