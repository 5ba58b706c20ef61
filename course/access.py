"""Who may do what, in one place: roles, the route decorators, the object check, the scoped list.

Every view is marked either `public` or `role_required(...)`; a request to a view with neither is
refused (deny by default), and a test walks the URL map to keep it so.
"""

from __future__ import annotations

from functools import wraps

from flask import abort, current_app, request
from flask_login import current_user
from sqlalchemy import Select, exists, false, select, union

from .extensions import login_manager
from .i18n import lazy_gettext as _l
from .models import Caseload, Cohort, CohortMember, User

LEARNER = "learner"
FACILITATOR = "facilitator"
COUNSELOR = "counselor"
ADMIN = "admin"
ROLES = (LEARNER, FACILITATOR, COUNSELOR, ADMIN)
STAFF_ROLES = (FACILITATOR, COUNSELOR, ADMIN)
ROLE_LABELS = {
    LEARNER: _l("Learner"),
    FACILITATOR: _l("Facilitator"),
    COUNSELOR: _l("Counselor"),
    ADMIN: _l("Admin"),
}
HOME_ENDPOINTS = {
    LEARNER: "learn.home",
    FACILITATOR: "facilitate.home",
    COUNSELOR: "counsel.home",
    ADMIN: "admin.home",
}
PUBLIC = "public"
# Permissions an admin grants to any staff account, on top of its role.
AUTHOR = "author"
REVIEWER = "reviewer"
PERMISSION_LABELS = {AUTHOR: _l("Author"), REVIEWER: _l("Clinical reviewer")}


def public(view):
    """Mark a view as open to everyone, signed in or not."""
    view.access_rule = PUBLIC
    return view


def role_required(*roles: str):
    """Allow a view to signed-in users with one of `roles`; others are sent to sign in, or get 403."""
    unknown = set(roles) - set(ROLES)
    if unknown or not roles:
        raise ValueError(f"unknown roles: {unknown or 'none given'}")

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapped.access_rule = roles  # type: ignore[attr-defined]  # read by the URL-map walk in tests
        return wrapped

    return decorator


signed_in = role_required(*ROLES)


def has_permission(user: User, permission: str) -> bool:
    """A staff account granted the permission (a learner never holds one, whatever the row says)."""
    if not user.is_authenticated or user.role not in STAFF_ROLES:
        return False
    return {AUTHOR: user.can_author, REVIEWER: user.can_review}.get(permission, False)


def permission_required(*permissions: str):
    """Allow a view to staff holding any of `permissions` (access.AUTHOR, access.REVIEWER); others get 403."""
    unknown = set(permissions) - set(PERMISSION_LABELS)
    if unknown or not permissions:
        raise ValueError(f"unknown permissions: {unknown or 'none given'}")

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not any(has_permission(current_user, p) for p in permissions):
                abort(403)
            return view(*args, **kwargs)

        wrapped.access_rule = STAFF_ROLES  # type: ignore[attr-defined]  # the roles that can hold a permission
        return wrapped

    return decorator


def deny_unmarked_views() -> None:
    """before_request hook: refuse any endpoint that declares no access rule."""
    view = current_app.view_functions.get(request.endpoint or "")
    if view is not None and getattr(view, "access_rule", None) is None:
        abort(403)


def home_endpoint(user: User) -> str:
    """The endpoint of a user's home page."""
    return HOME_ENDPOINTS[user.role]


def _caseload_condition(counselor_id: int, learner_id_column):
    """SQL condition: the learner is on the counselor's caseload, directly or through a cohort.

    The caseload's ids as one list (attached directly, or current members of an attached cohort):
    looked up by id, where two EXISTS tests on every learner of the site cost ~10 ms with 10,000.
    """
    direct = select(Caseload.learner_id).where(Caseload.counselor_id == counselor_id, Caseload.learner_id.is_not(None))
    via_cohort = (
        select(CohortMember.learner_id)
        .join(Caseload, Caseload.cohort_id == CohortMember.cohort_id)
        .where(Caseload.counselor_id == counselor_id, CohortMember.removed_at.is_(None))
    )
    return learner_id_column.in_(union(direct, via_cohort))


def _facilitator_condition(facilitator_id: int, learner_id_column):
    """SQL condition: the learner is a current member of a cohort the facilitator runs."""
    return exists().where(
        CohortMember.learner_id == learner_id_column,
        CohortMember.removed_at.is_(None),
        CohortMember.cohort_id == Cohort.id,
        Cohort.facilitator_id == facilitator_id,
    )


def visible_learners(viewer: User) -> Select:
    """A select() of the learners whose record `viewer` may see; empty for roles that see none."""
    stmt = select(User).where(User.role == LEARNER)
    if viewer.role == LEARNER:
        return stmt.where(User.id == viewer.id)
    if viewer.role == COUNSELOR:
        return stmt.where(_caseload_condition(viewer.id, User.id))
    if viewer.role == FACILITATOR:
        return stmt.where(_facilitator_condition(viewer.id, User.id))
    # Admins manage accounts, not learning records: least privilege.
    return stmt.where(false())


def can_view_learner(viewer: User, learner: User) -> bool:
    """True when `viewer` may see `learner`'s learning record (the same rule as visible_learners)."""
    from .extensions import db

    if learner.role != LEARNER or not viewer.is_authenticated:
        return False
    if viewer.id == learner.id:
        return True
    return db.session.scalar(select(visible_learners(viewer).where(User.id == learner.id).exists())) or False
