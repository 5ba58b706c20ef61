"""The rate limits on guessing passwords, as decorators for the views that check one.

The numbers are settings (LOGIN_LIMIT_PER_CLIENT, LOGIN_LIMIT_PER_ACCOUNT_AND_CLIENT,
PASSWORD_CHECK_LIMIT in config.py); the counters are shared through RATELIMIT_STORAGE_URI.
A redirect is a success: only failed tries count.
"""

from __future__ import annotations

from flask import current_app, request
from flask_limiter.util import get_remote_address
from flask_login import current_user

from .extensions import limiter
from .services.accounts import normalise_username


def _account_and_client() -> str:
    """Key: the account tried from this client, so nobody can lock out someone else's client."""
    return f"{normalise_username(request.form.get('username', ''))}|{get_remote_address()}"


def _signed_in_user() -> str:
    return f"user:{getattr(current_user, 'id', 'anonymous')}"


def _failed(response) -> bool:
    return response.status_code not in (302, 303)


def _setting(name: str):
    return lambda: current_app.config[name]


# Signing in or joining: per client address, whatever the account.
sign_in_per_client = limiter.limit(_setting("LOGIN_LIMIT_PER_CLIENT"), methods=["POST"], deduct_when=_failed)
# Signing in: per account tried from one client.
sign_in_per_account = limiter.limit(
    _setting("LOGIN_LIMIT_PER_ACCOUNT_AND_CLIENT"), key_func=_account_and_client, methods=["POST"], deduct_when=_failed
)
# Forms that check a signed-in person's password (a password change, a download of one's record):
# one budget per account across these forms, so a borrowed session cannot guess the password behind it.
password_check = limiter.shared_limit(
    _setting("PASSWORD_CHECK_LIMIT"),
    scope="password-check",
    key_func=_signed_in_user,
    methods=["POST"],
    deduct_when=_failed,
)
