"""Quiz answers sent after the session ended: kept, carried across the next sign-in, and given back.

A learner whose session ended (idle timeout, signed out in another tab) may still press Submit or
Save. What they sent is kept on the server under a random key that only this browser's cookie
holds (a signed cookie is readable by the next person at the browser); after sign-in the quiz page
restores it into the attempt's draft. The answers go back only to the attempt's own learner:
anyone else signing in on the browser deletes them, and they are dropped after a day.

The whole path lives here: the views that keep answers (`keeps_answers_on_signout`), keeping them
when the sign-in handler turns such a request away (`keep_sent_answers`), carrying the key across
sign-in (`carry_over`) and restoring them (`restore`).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

from flask import current_app, request, session, url_for
from sqlalchemy import delete, select
from werkzeug.datastructures import MultiDict

from .database import write_transaction
from .extensions import db
from .models import QuizAttempt, UnsentAnswers, User, utcnow
from .models.base import valid_id
from .services import attempts, grading

SESSION_KEY = "unsaved_answers"  # the one thing of the old cookie that survives signing in
KEPT_FOR = timedelta(hours=24)
_MAX_FIELDS, _MAX_VALUES = 40, 10  # a quiz form has fewer; more is not an answer sheet

_keeping_views: set[Callable] = set()
View = TypeVar("View", bound=Callable[..., Any])


def keeps_answers_on_signout(view: View) -> View:
    """Mark a quiz view whose form, sent after the session ended, is kept for after sign-in.

    Put it right under `@bp.route` so it marks the function the route serves.
    """
    _keeping_views.add(view)
    return view


def keep_sent_answers() -> str | None:
    """For a request turned away to sign in: keep its quiz answers; where to come back, or None."""
    view = current_app.view_functions.get(request.endpoint or "")
    attempt_id = (request.view_args or {}).get("attempt_id")
    if view not in _keeping_views or request.method != "POST" or not attempt_id:
        return None
    fields = {
        k: request.form.getlist(k)[:_MAX_VALUES] for k in list(request.form)[:_MAX_FIELDS] if k.startswith(("q-", "c-"))
    }
    with write_transaction():
        key = _keep(attempt_id, fields, session.get(SESSION_KEY))
    if key is None:
        return None
    session[SESSION_KEY] = key
    return url_for("learn.attempt", attempt_id=attempt_id)


def held_key() -> str | None:
    """The key this browser's session holds, read before sign-in clears the session."""
    return session.get(SESSION_KEY)


def carry_over(key: str | None, learner: User) -> None:
    """At sign-in, in the caller's transaction, into the new session: the key, if its answers are
    `learner`'s own; anyone else's are deleted. Kept answers older than a day go at every sign-in.
    """
    _purge_old()
    if not key:
        return
    owner = db.session.scalar(
        select(QuizAttempt.learner_id)
        .join(UnsentAnswers, UnsentAnswers.attempt_id == QuizAttempt.id)
        .where(UnsentAnswers.key_hash == _key_hash(key))
    )
    if owner == learner.id:
        session[SESSION_KEY] = key
    else:
        db.session.execute(delete(UnsentAnswers).where(UnsentAnswers.key_hash == _key_hash(key)))


def restore(attempt: QuizAttempt) -> bool:
    """Put the answers kept for this attempt into its draft; True when there were some to restore."""
    fields = _take(session.get(SESSION_KEY), attempt)
    if fields is None:
        return False
    session.pop(SESSION_KEY, None)
    try:
        form: MultiDict[str, str] = MultiDict(fields)
        answers, confidence = attempts.parse_answers(attempt, form), attempts.parse_confidence(attempt, form)
        with write_transaction():
            attempts.save_draft(attempt, answers, None, confidence)
    except (grading.AnswerError, attempts.AttemptClosed):
        return False
    return True


def _key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _purge_old() -> None:
    db.session.execute(delete(UnsentAnswers).where(UnsentAnswers.created_at < utcnow() - KEPT_FOR))


def _keep(attempt_id: int, fields: dict[str, list[str]], old_key: str | None) -> str | None:
    """Keep the fields for an open attempt, replacing what this browser kept before; the new key, or None.

    Nothing is kept for an attempt that does not exist or is already submitted. Whose attempt it is
    is checked at sign-in (carry_over).
    """
    if not fields or not valid_id(attempt_id):
        return None
    _purge_old()
    if old_key:
        db.session.execute(delete(UnsentAnswers).where(UnsentAnswers.key_hash == _key_hash(old_key)))
    open_attempt = select(QuizAttempt.id).where(QuizAttempt.id == attempt_id, QuizAttempt.submitted_at.is_(None))
    if db.session.scalar(open_attempt) is None:
        return None
    key = secrets.token_urlsafe(32)
    db.session.add(UnsentAnswers(key_hash=_key_hash(key), attempt_id=attempt_id, fields=fields))
    return key


def _take(key: str | None, attempt: QuizAttempt) -> dict[str, list[str]] | None:
    """The fields kept under `key` for this attempt, deleted from the server as they are taken; or None."""
    if not key:
        return None
    with write_transaction():
        row = db.session.scalar(
            select(UnsentAnswers).where(
                UnsentAnswers.key_hash == _key_hash(key), UnsentAnswers.attempt_id == attempt.id
            )
        )
        if row is None:
            return None
        fields = dict(row.fields)
        db.session.delete(row)
    return fields
