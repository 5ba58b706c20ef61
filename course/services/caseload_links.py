"""The admin's side of caseloads: which cohorts and learners are linked to a counselor, attach, detach.

Every function works in the caller's transaction; each change is audited in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..access import COUNSELOR, LEARNER
from ..extensions import db
from ..i18n import gettext as _
from ..models import Caseload, Cohort, CohortMember, User
from . import audit
from .accounts import normalise_username


class CaseloadError(ValueError):
    """A caseload change was refused; the message is safe to show."""


@dataclass(frozen=True)
class CaseloadLink:
    """One line of a counselor's caseload as the admin sees it: a cohort or one learner."""

    id: int
    cohort_id: int | None
    cohort_name: str | None
    current_members: int
    learner_id: int | None
    learner_username: str | None
    created_at: datetime


def links(counselor: User) -> list[CaseloadLink]:
    """The counselor's caseload links, cohorts first, with each cohort's number of current members."""
    members = (
        select(func.count())
        .where(CohortMember.cohort_id == Caseload.cohort_id, CohortMember.removed_at.is_(None))
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(Caseload, Cohort.name, User.username, members)
        .outerjoin(Cohort, Cohort.id == Caseload.cohort_id)
        .outerjoin(User, User.id == Caseload.learner_id)
        .where(Caseload.counselor_id == counselor.id)
        .order_by(Caseload.cohort_id.is_(None), Cohort.name, User.username, Caseload.id)
    )
    return [
        CaseloadLink(
            link.id,
            link.cohort_id,
            cohort_name,
            count if link.cohort_id else 0,
            link.learner_id,
            username,
            link.created_at,
        )
        for link, cohort_name, username, count in rows
    ]


def attachable_cohorts() -> list[Cohort]:
    """Cohorts that can be attached: every cohort not archived, by name."""
    return list(db.session.scalars(select(Cohort).where(Cohort.archived_at.is_(None)).order_by(Cohort.name, Cohort.id)))


def _check_counselor(counselor: User) -> None:
    if counselor.role != COUNSELOR:
        raise CaseloadError(_("Only a counselor has a caseload."))


def _audit(action: str, link: Caseload, by: User) -> None:
    """A learner link names the learner as subject; a cohort link names the counselor."""
    if link.learner_id:
        audit.record(action, by, link.learner_id, detail=f"learner; counselor {link.counselor_id}")
    else:
        audit.record(action, by, link.counselor_id, detail=f"cohort {link.cohort_id}")


def _add(link: Caseload, by: User, duplicate: str) -> None:
    try:
        with db.session.begin_nested():  # a savepoint: a duplicate leaves the caller's transaction usable
            db.session.add(link)
            db.session.flush()
    except IntegrityError as error:  # already attached (perhaps by another admin a moment ago)
        raise CaseloadError(duplicate) from error
    _audit(audit.CASELOAD_ADDED, link, by)


def attach_cohort(counselor: User, cohort_id: int, by: User) -> Cohort:
    """Put a whole cohort on the counselor's caseload; its current members become visible.

    :raise CaseloadError: for a non-counselor, an unknown or archived cohort, or one already attached.
    """
    _check_counselor(counselor)
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None or cohort.archived_at is not None:
        raise CaseloadError(_("Choose one of the cohorts listed."))
    _add(
        Caseload(counselor_id=counselor.id, cohort_id=cohort.id, created_by_id=by.id),
        by,
        _("The cohort “%(cohort)s” is already on this caseload.", cohort=cohort.name),
    )
    return cohort


def attach_learner(counselor: User, username: str, by: User) -> User:
    """Put one learner, found by username, on the counselor's caseload.

    :raise CaseloadError: for a non-counselor, no learner with that username, or one already attached.
    """
    _check_counselor(counselor)
    learner = db.session.scalar(select(User).where(User.username == normalise_username(username), User.role == LEARNER))
    if learner is None:
        raise CaseloadError(_("There is no learner with that username."))
    _add(
        Caseload(counselor_id=counselor.id, learner_id=learner.id, created_by_id=by.id),
        by,
        _("%(username)s is already on this caseload (attached one by one).", username=learner.username),
    )
    return learner


def detach(counselor: User, link_id: int, by: User) -> bool:
    """Remove one link from the counselor's caseload; access ends at the counselor's next request.

    Returns False when the counselor has no such link (nothing changes).
    """
    link = db.session.scalar(select(Caseload).where(Caseload.id == link_id, Caseload.counselor_id == counselor.id))
    if link is None:
        return False
    _audit(audit.CASELOAD_REMOVED, link, by)
    db.session.delete(link)
    return True
