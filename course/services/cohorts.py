"""Cohorts: creation, names, join codes, archiving, and members (assignments are in assignments.py).

Every function works in the caller's transaction; the views wrap them in write_transaction().
"""

from __future__ import annotations

import secrets

from sqlalchemy import bindparam, func, select, update

from ..extensions import db
from ..i18n import gettext as _
from ..models import Assignment, Cohort, CohortMember, User, utcnow
from ..models.base import valid_id
from ..paging import PER_PAGE, Page
from . import audit

# No 0/O, 1/I/L: a code is read aloud in a group and typed on a phone.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 12  # about 59 bits: unguessable behind the sign-up rate limit
NAME_MAX_LENGTH = 120
# Audit action: a facilitator took a learner out of a cohort (the learner's record is kept).


class CohortError(ValueError):
    """A cohort action was refused; the message is safe to show, `field` names the form field."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def new_join_code() -> str:
    """A random join code, grouped in fours for reading: ABCD-EFGH-JKMN."""
    raw = "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, JOIN_CODE_LENGTH, 4))


def _unused_join_code() -> str:
    # A clash is astronomically unlikely, but one query makes it impossible.
    while True:
        code = new_join_code()
        if not db.session.scalar(select(Cohort.id).where(Cohort.join_code == code)):
            return code


def check_name(name: str | None) -> str:
    """The cohort name without surrounding spaces.

    :raise CohortError: when it is empty or longer than NAME_MAX_LENGTH.
    """
    name = " ".join((name or "").split())
    if not name:
        raise CohortError(_("Enter a name for the cohort."), "name")
    if len(name) > NAME_MAX_LENGTH:
        raise CohortError(_("Use at most %(max)d characters.", max=NAME_MAX_LENGTH), "name")
    return name


def create_cohort(name: str, facilitator: User) -> Cohort:
    """Create a cohort with a fresh join code. :raise CohortError: for a bad name."""
    cohort = Cohort(name=check_name(name), facilitator_id=facilitator.id, join_code=_unused_join_code())
    db.session.add(cohort)
    db.session.flush()
    return cohort


def own_cohort(facilitator: User, cohort_id: int) -> Cohort | None:
    """The cohort with this id if `facilitator` runs it (archived or not), else None."""
    if not valid_id(cohort_id):
        return None
    return db.session.scalar(select(Cohort).where(Cohort.id == cohort_id, Cohort.facilitator_id == facilitator.id))


def rename(cohort: Cohort, name: str) -> None:
    """Give the cohort a new name. :raise CohortError: for a bad name."""
    cohort.name = check_name(name)


def rotate_join_code(cohort: Cohort) -> str:
    """Replace the join code (switching joining on if it was off); the old code stops working."""
    cohort.join_code = _unused_join_code()
    return cohort.join_code


def set_joining(cohort: Cohort, on: bool) -> None:
    """Switch joining on (with a fresh code, unless it is already on) or off (the code is forgotten)."""
    if on and cohort.join_code is None:
        cohort.join_code = _unused_join_code()
    elif not on:
        cohort.join_code = None


def archive(cohort: Cohort) -> None:
    """Archive the cohort: it leaves the main list and joining is switched off.

    Members stay members, so their facilitator still sees their record; nothing can be changed
    until the cohort is restored.
    """
    cohort.archived_at = cohort.archived_at or utcnow()
    cohort.join_code = None


def restore(cohort: Cohort) -> None:
    """Bring an archived cohort back to the main list; joining stays off until switched on."""
    cohort.archived_at = None


def member_counts(cohort_ids: list[int]) -> dict[int, int]:
    """Cohort id → number of current members, in one query."""
    if not cohort_ids:
        return {}
    rows = db.session.execute(
        select(CohortMember.cohort_id, func.count())
        .where(CohortMember.cohort_id.in_(cohort_ids), CohortMember.removed_at.is_(None))
        .group_by(CohortMember.cohort_id)
    )
    return {cohort_id: count for cohort_id, count in rows}


def facilitator_cohorts(facilitator: User, archived: bool = False) -> list[tuple[Cohort, int]]:
    """The facilitator's cohorts (current, or archived ones) by name, each with its member count."""
    state = Cohort.archived_at.is_not(None) if archived else Cohort.archived_at.is_(None)
    cohorts = db.session.scalars(
        select(Cohort)
        .where(Cohort.facilitator_id == facilitator.id, state)
        .order_by(func.lower(Cohort.name), Cohort.id)
    ).all()
    counts = member_counts([c.id for c in cohorts])
    return [(cohort, counts.get(cohort.id, 0)) for cohort in cohorts]


# The ids of a cohort's current members, bound to the cohort by the parameter "cohort_id": statements built
# once (the cohort page's) take it as it is; member_ids() sets the cohort.
MEMBER_IDS_BY_COHORT = select(CohortMember.learner_id).where(
    CohortMember.cohort_id == bindparam("cohort_id"), CohortMember.removed_at.is_(None)
)


def member_ids(cohort: Cohort):
    """A select() of the ids of the cohort's current members."""
    return MEMBER_IDS_BY_COHORT.params(cohort_id=cohort.id)


def current_members(cohort: Cohort):
    """A select() of (User, CohortMember) for the cohort's current members, by username."""
    return (
        select(User, CohortMember)
        .join(CohortMember, CohortMember.learner_id == User.id)
        .where(CohortMember.cohort_id == cohort.id, CohortMember.removed_at.is_(None))
        .order_by(User.username, User.id)
    )


# Built once, bound to the cohort by id: SQLAlchemy reuses its cache key and compiled SQL (every cohort page asks).
_MEMBER_COUNT = (
    select(func.count())
    .select_from(CohortMember)
    .where(CohortMember.cohort_id == bindparam("cohort_id"), CohortMember.removed_at.is_(None))
)


def member_count(cohort: Cohort) -> int:
    """The number of current members."""
    return db.session.scalar(_MEMBER_COUNT, {"cohort_id": cohort.id}) or 0


def members_page(
    cohort: Cohort, page: int | None, per_page: int = PER_PAGE
) -> tuple[list[tuple[User, CohortMember]], Page]:
    """One page of current members by username, and where it is. Two queries."""
    where = Page.clamp(page, per_page, member_count(cohort))
    rows = db.session.execute(current_members(cohort).limit(per_page).offset(where.offset)).all()
    return [(user, membership) for user, membership in rows], where


def current_member(cohort: Cohort, learner_id: int) -> tuple[User, CohortMember] | None:
    """(learner, membership) when the learner is a current member of the cohort, else None."""
    if not valid_id(learner_id):
        return None
    row = db.session.execute(current_members(cohort).where(User.id == learner_id)).first()
    return (row[0], row[1]) if row else None


def remove_member(cohort: Cohort, learner_id: int, by: User) -> User:
    """Take a learner out of the cohort; their account and all their progress are kept.

    The facilitator's own assignments to this learner are withdrawn too, unless the learner is
    still in another of the facilitator's cohorts (where those assignments stay manageable).
    :raise CohortError: when the learner is not a current member.
    """
    found = current_member(cohort, learner_id)
    if found is None:
        raise CohortError(_("That person is not a member of this cohort."))
    learner, membership = found
    now = utcnow()
    membership.removed_at = now
    db.session.flush()
    still_theirs = db.session.scalar(
        select(func.count())
        .select_from(CohortMember)
        .join(Cohort)
        .where(
            CohortMember.learner_id == learner.id,
            CohortMember.removed_at.is_(None),
            Cohort.facilitator_id == cohort.facilitator_id,
        )
    )
    if not still_theirs:
        db.session.execute(
            update(Assignment)
            .where(
                Assignment.learner_id == learner.id,
                Assignment.assigned_by_id == cohort.facilitator_id,
                Assignment.withdrawn_at.is_(None),
            )
            .values(withdrawn_at=now)
        )
    audit.record(audit.MEMBER_REMOVED, actor=by, subject_id=learner.id, detail=f"cohort {cohort.id}")
    return learner
