"""Password policy and hashing: 12–128 characters, not a common password, argon2id."""

from __future__ import annotations

import importlib.util
import re
import secrets
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

from ..i18n import gettext as _

MIN_LENGTH = 12
MAX_LENGTH = 128
# Words of this course that make an easy guess when a password is built from them.
COURSE_WORDS = ("opioid", "opioids", "heroin", "recovery", "course", "treatment", "naloxone")


class PasswordRejected(ValueError):
    """The password breaks the policy; the message says why, in plain words."""


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    """zxcvbn's 30,000 common passwords, loaded on the first password check of this process.

    Only its list file is run, not the package: `import zxcvbn` builds ranked dictionaries of
    all its word lists (~17 MiB in every worker); this keeps ~3 MiB.
    """
    package = importlib.util.find_spec("zxcvbn")
    assert package is not None and package.origin, "zxcvbn is a declared dependency"
    path = Path(package.origin).with_name("frequency_lists.py")
    spec = importlib.util.spec_from_file_location("_zxcvbn_frequency_lists", path)
    assert spec is not None and spec.loader is not None
    lists = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(lists)
    return frozenset(lists.FREQUENCY_LISTS["passwords"])


def _core(password: str) -> str:
    """The password lower-cased with leading and trailing digits and symbols taken off."""
    return re.sub(r"^[\W\d_]+|[\W\d_]+$", "", password.lower())


def check_policy(password: str, username: str = "") -> None:
    """Check a new password against the policy.

    :raise PasswordRejected: when it is too short, too long, common, or built from the username.
    """
    if len(password) < MIN_LENGTH:
        raise PasswordRejected(_("Use at least %(min)s characters. A few words in a row work well.", min=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        raise PasswordRejected(_("Use at most %(limit)s characters.", limit=MAX_LENGTH))
    lowered, core = password.lower(), _core(password)
    common = _common_passwords()
    if lowered in common or core in common or len(set(lowered)) < 4:
        raise PasswordRejected(_("That password is too common and easy to guess. Choose another."))
    if username and username.lower() in lowered:
        raise PasswordRejected(_("Your password must not contain your username."))
    if core in COURSE_WORDS or re.fullmatch("(?:" + "|".join(COURSE_WORDS) + ")+", core):
        raise PasswordRejected(_("That password is too easy to guess. Choose another."))


def _hasher() -> PasswordHasher:
    cfg = current_app.config
    return PasswordHasher(
        time_cost=cfg["ARGON2_TIME_COST"], memory_cost=cfg["ARGON2_MEMORY_KIB"], parallelism=cfg["ARGON2_PARALLELISM"]
    )


def hash_password(password: str) -> str:
    """Hash a password with argon2id at the configured cost."""
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password; with no hash (unknown user) still pay for one hash, so timing says nothing."""
    hasher = _hasher()
    if password_hash is None:
        hasher.hash(password)
        return False
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when a hash was made with other parameters than the configured ones."""
    return _hasher().check_needs_rehash(password_hash)


def one_time_password() -> str:
    """A random password handed over once (by an admin), to be changed at the next sign-in."""
    return "-".join(secrets.token_hex(3) for _ in range(4))
