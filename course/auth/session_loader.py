"""Flask-Login wiring: the cookie holds a session token, looked up in the database on each request."""
from __future__ import annotations

from flask import current_app, flash, g, redirect, request, url_for

from ..extensions import login_manager
from ..services import sessions

login_manager.login_view = "auth.login"
login_manager.login_message = "Please sign in to continue."
login_manager.login_message_category = "info"
# Our own server-side sessions replace Flask-Login's "remember me" and its IP/agent heuristics.
login_manager.session_protection = None


@login_manager.user_loader
def load_user(token: str):
    """Return the user of a live session, or None (the request is then anonymous)."""
    return sessions.load_user(token)


@login_manager.unauthorized_handler
def unauthorized():
    """Send browsers to sign in (with a reason when the session timed out); JSON callers get 401."""
    if request.accept_mimetypes.best == "application/json":
        return {"error": "authentication required"}, 401
    _keep_unsent_work()
    reason = g.get("session_timed_out")
    if reason == sessions.IDLE:
        minutes = current_app.config["SESSION_IDLE_MINUTES"]
        flash(f"You were signed out after {minutes} minutes without activity. Sign in to go on; your saved work is kept.", "info")
    elif reason == sessions.EXPIRED:
        flash("Your session ended. Please sign in again; your saved work is kept.", "info")
    else:
        flash(login_manager.login_message, "info")
    return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else None))


def _keep_unsent_work() -> None:
    """A form sent after the session ended (a quiz answer) is kept, to be restored after sign-in."""
    view = current_app.view_functions.get(request.endpoint or "")
    keep = getattr(view, "stash_on_signout", None)
    if keep is not None and request.method == "POST":
        keep()
