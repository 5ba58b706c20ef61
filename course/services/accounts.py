"""Accounts: sign-in, sign-up with a join code, staff creation, password changes and resets."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select

from ..access import LEARNER, ROLES, STAFF_ROLES
from ..extensions import db
from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l
from ..models import Cohort, CohortMember, User
from ..models.accounts import USERNAME_MAX_LENGTH
from . import audit, sessions
from .passwords import PasswordRejected, check_policy, hash_password, needs_rehash, one_time_password, verify_password

USERNAME_PATTERN = re.compile(rf"^[a-z0-9][a-z0-9._-]{{2,{USERNAME_MAX_LENGTH - 1}}}$")
USERNAME_RULE = _l(
    "Use 3–%(max)s letters, digits, dots, dashes or underscores, starting with a letter or digit.",
    max=USERNAME_MAX_LENGTH,
)


class AccountError(ValueError):
    """An account action was refused; the message is safe to show to the person."""


def normalise_username(username: str) -> str:
    """Usernames are compared and stored in lower case, without surrounding spaces."""
    return (username or "").strip().lower()


def check_username(username: str) -> str:
    """Return the normalised username if it is well formed and free.

    :raise AccountError: when it is malformed or taken.
    """
    name = normalise_username(username)
    if not USERNAME_PATTERN.fullmatch(name):
        raise AccountError(str(USERNAME_RULE))
    if db.session.scalar(select(func.count()).select_from(User).where(User.username == name)):
        raise AccountError(_("That username is taken. Choose another."))
    return name


@dataclass(frozen=True)
class SignInCheck:
    """What checking a sign-in found: the user (None when refused), and a fresh hash when one is due."""

    user: User | None
    tried_id: int | None  # the account the refused sign-in named, if it exists (the audit's subject)
    new_hash: str | None = None  # the password hashed with today's parameters (the stored hash is older)


def check_sign_in(username: str, password: str) -> SignInCheck:
    """Check a sign-in without writing anything; failures cost the same time.

    The password check (argon2id, tens of milliseconds) runs here, before the caller takes the
    write lock for `record_sign_in`: on SQLite, sign-ins would otherwise hold every writer up.
    """
    user = db.session.scalar(select(User).where(User.username == normalise_username(username)))
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.active:
        return SignInCheck(None, user.id if user else None)
    return SignInCheck(user, user.id, hash_password(password) if needs_rehash(user.password_hash) else None)


def record_sign_in(check: SignInCheck) -> None:
    """In the caller's transaction: audit a refused sign-in, or store the fresh hash of an accepted one."""
    if check.user is None:
        audit.record(audit.LOGIN_FAILED, subject_id=check.tried_id, outcome="denied")
    elif check.new_hash:
        check.user.password_hash = check.new_hash


def find_cohort_by_code(code: str) -> Cohort | None:
    """The open, unarchived cohort with this join code, or None."""
    code = (code or "").strip().upper()
    if not code:
        return None
    return db.session.scalar(select(Cohort).where(Cohort.join_code == code, Cohort.archived_at.is_(None)))


def sign_up_learner(code: str, username: str, password: str, language: str | None = None) -> User:
    """Create a learner in the cohort whose join code this is (current transaction), keeping the language
    they joined in as their choice.

    :raise AccountError: for an unknown code, a bad or taken username, or a rejected password.
    """
    cohort = find_cohort_by_code(code)
    if cohort is None:
        raise AccountError(_("That join code is not valid. Check it with your group's facilitator."))
    name = check_username(username)
    _check_password(password, name)
    user = User(username=name, role=LEARNER, password_hash=hash_password(password), language=language)
    db.session.add(user)
    db.session.flush()
    db.session.add(CohortMember(cohort_id=cohort.id, learner_id=user.id))
    audit.record(audit.SIGNUP, actor=user, subject_id=user.id, detail=f"cohort {cohort.id}")
    return user


def create_user(
    username: str,
    password: str,
    role: str,
    display_name: str = "",
    email: str | None = None,
    created_by: User | None = None,
) -> User:
    """Create an account of any role (current transaction).

    :raise AccountError: for a bad or taken username, an unknown role, or a rejected password.
    """
    if role not in ROLES:
        raise AccountError(f"Unknown role {role!r}.")
    name = check_username(username)
    _check_password(password, name)
    user = User(
        username=name,
        role=role,
        display_name=display_name.strip(),
        email=(email or None),
        password_hash=hash_password(password),
    )
    db.session.add(user)
    db.session.flush()
    audit.record(audit.USER_CREATED, actor=created_by, subject_id=user.id, detail=f"role {role}")
    return user


def create_with_one_time_password(
    username: str, role: str, display_name: str = "", email: str | None = None, created_by: User | None = None
) -> tuple[User, str]:
    """Create an account whose password must be changed at first sign-in (current transaction).

    Returns the account and its one-time password, to be shown once and never stored in the clear.

    :raise AccountError: as create_user.
    """
    password = one_time_password()
    user = create_user(username, password, role, display_name, email, created_by)
    user.must_change_password = True
    return user, password


def new_password_hash(user: User, current: str, new: str) -> str:
    """Check a password change and hash the new password, writing nothing (before the write lock).

    :raise AccountError: when the current password is wrong or the new one is rejected.
    """
    if not verify_password(user.password_hash, current):
        raise AccountError(_("Your current password is not right."))
    _check_password(new, user.username)
    return hash_password(new)


def change_password(user: User, new_hash: str) -> None:
    """Store a new password hash (from new_password_hash); every session of the user ends (caller's transaction)."""
    user.password_hash = new_hash
    user.must_change_password = False
    sessions.end_all_sessions(user, sessions.PASSWORD_CHANGED)
    audit.record(audit.PASSWORD_CHANGED, actor=user, subject_id=user.id)


def reset_password(user: User, by: User) -> str:
    """Give a learner a one-time password to change at next sign-in; ends their sessions. Returns it."""
    one_time = one_time_password()
    user.password_hash = hash_password(one_time)
    user.must_change_password = True
    sessions.end_all_sessions(user, sessions.PASSWORD_RESET)
    audit.record(audit.PASSWORD_RESET, actor=by, subject_id=user.id)
    return one_time


def set_active(user: User, active: bool, by: User) -> None:
    """Deactivate (ending every session at once) or reactivate an account.

    :raise AccountError: when an admin tries to deactivate their own account.
    """
    if user.id == by.id and not active:
        raise AccountError(_("You cannot deactivate your own account."))
    user.active = active
    if not active:
        sessions.end_all_sessions(user, sessions.DEACTIVATED)
    audit.record(audit.USER_DEACTIVATED if not active else audit.USER_REACTIVATED, actor=by, subject_id=user.id)


def change_role(user: User, role: str, by: User) -> None:
    """Change a staff account's role, ending its sessions so the new rights apply at once.

    :raise AccountError: for an unknown role, a learner account, or an admin changing their own role.
    """
    if role not in STAFF_ROLES:
        raise AccountError(_("Choose facilitator, counselor or admin."))
    if user.role == LEARNER:
        raise AccountError(_("A learner's account cannot be turned into a staff account."))
    if user.id == by.id:
        raise AccountError(_("You cannot change your own role."))
    if user.role == role:
        return
    audit.record(audit.ROLE_CHANGED, actor=by, subject_id=user.id, detail=f"{user.role} -> {role}")
    user.role = role
    sessions.end_all_sessions(user, sessions.ROLE_CHANGED)


def set_language(user: User, language: str) -> None:
    """Remember the language a person chose (the caller checked it is one of i18n.LANGUAGES)."""
    user.language = language


def set_permissions(user: User, author: bool, reviewer: bool, by: User) -> None:
    """Grant or withdraw the author and clinical-reviewer permissions of a staff account (audited).

    :raise AccountError: for a learner's account.
    """
    if user.role == LEARNER:
        raise AccountError(_("Only staff accounts can author or review content."))
    if (user.can_author, user.can_review) == (author, reviewer):
        return
    held = [name for name, on in (("author", author), ("reviewer", reviewer)) if on]
    audit.record(audit.PERMISSIONS_CHANGED, actor=by, subject_id=user.id, detail=", ".join(held) or "none")
    user.can_author, user.can_review = author, reviewer


def _check_password(password: str, username: str) -> None:
    try:
        check_policy(password, username)
    except PasswordRejected as error:
        raise AccountError(str(error)) from error
