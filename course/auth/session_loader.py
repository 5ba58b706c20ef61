"""Flask-Login wiring: the cookie holds a session token, looked up in the database on each request."""

from __future__ import annotations

from flask import current_app, flash, g, redirect, request, url_for
from sqlalchemy.exc import OperationalError

from .. import unsent_answers
from ..database import write_transaction
from ..extensions import login_manager
from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l
from ..services import sessions

login_manager.login_view = "auth.login"
login_manager.login_message = _l("Please sign in to continue.")
login_manager.login_message_category = "info"
# Our own server-side sessions replace Flask-Login's "remember me" and its IP/agent heuristics.
login_manager.session_protection = None

# What a JSON caller (the quiz autosave) is told when the session has ended.
SIGNED_OUT_MESSAGE = _l(
    "You are signed out (perhaps in another tab, or after a while without activity). Sign in again to go on."
)
KEPT_MESSAGE = _l(
    "Not saved: you are signed out (perhaps in another tab, or after a while without activity). "
    "Your answers are kept: press Submit or Save my answers, sign in, and they come back."
)


@login_manager.user_loader
def load_user(token: str):
    """Return the user of a live session, or None (the request is then anonymous).

    A session that has just timed out is ended (and the sign-in page says why); a live one notes
    the activity at most once a minute, and a busy database only loses that note, not the request.
    """
    row, timed_out = sessions.look_up(token)
    if row is not None and timed_out:
        with write_transaction():
            sessions.end_session(row, timed_out)
        g.session_timed_out = timed_out
        return None
    if row is None:
        return None
    if sessions.activity_due(row):
        try:
            with write_transaction():
                sessions.note_activity(row)
        except OperationalError:
            current_app.logger.warning("could not record session activity")
    row.token = token
    row.user.current_session = row
    return row.user


@login_manager.unauthorized_handler
def unauthorized():
    """Send browsers to sign in (with a reason when the session timed out); JSON callers get 401.

    A form sent after the session ended (quiz answers) is kept first, and sign-in leads back to it.
    """
    back = unsent_answers.keep_sent_answers()
    if request.accept_mimetypes.best == "application/json":
        return {
            "error": "authentication required",
            "reason": "signed_out",
            "message": str(KEPT_MESSAGE if back else SIGNED_OUT_MESSAGE),
        }, 401
    reason = g.get("session_timed_out")
    if reason == sessions.IDLE:
        minutes = current_app.config["SESSION_IDLE_MINUTES"]
        flash(
            _(
                "You were signed out after %(minutes)s minutes without activity. "
                "Sign in to go on; your saved work is kept.",
                minutes=minutes,
            ),
            "info",
        )
    elif reason == sessions.EXPIRED:
        flash(_("Your session ended. Please sign in again; your saved work is kept."), "info")
    else:
        flash(str(login_manager.login_message), "info")
    return redirect(url_for("auth.login", next=back or (request.full_path if request.method == "GET" else None)))
