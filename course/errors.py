"""Error pages: a styled page for every client and server error, never a traceback."""

from __future__ import annotations

from flask import Flask, abort, current_app, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from .extensions import db
from .i18n import gettext as _
from .i18n import lazy_gettext as _l

MESSAGES = {
    400: (
        _l("Something was wrong with that request"),
        _l("The form may have been incomplete or out of date. Go back, reload the page and try again."),
    ),
    403: (_l("You can't open this page"), _l("Your account does not have access to this page.")),
    404: (_l("Page not found"), _l("There is no page at this address, or you do not have access to it.")),
    405: (_l("That didn't work"), _l("This page can't be used that way. Go back and try again.")),
    413: (
        _l("That was too large"),
        _l("What you sent was larger than this site accepts. Shorten it and try again."),
    ),
    429: (_l("Too many tries"), _l("Please wait a minute before you try again.")),
    500: (
        _l("Something went wrong on our side"),
        _l("Nothing you did caused this. Your saved work is safe. Please try again in a moment."),
    ),
    503: (_l("The site is busy"), _l("Please try again in a moment. Anything already saved is safe.")),
}
EXPIRED_PAGE_JSON = _l(
    "Not saved: this page is out of date (you signed in again since it opened). "
    "Reload the page: the answers saved before come back."
)


def _render(code: int, message: object = None):
    title, text = MESSAGES.get(code, MESSAGES[500] if code >= 500 else MESSAGES[400])
    return render_template("errors/error.html", code=code, title=title, text=message or text), code


def refuse(code: int, message: str):
    """Stop the request with the styled page for `code` and a message that says what was wrong.

    :raise HTTPException: always.
    """
    abort(make_response(_render(code, message)))


def _http_error(error: HTTPException):
    if error.response is not None:  # abort() with a page of its own, e.g. a locked module's
        return error.response
    if isinstance(error, CSRFError):
        if request.accept_mimetypes.best == "application/json":  # the quiz autosave shows the message
            return {"saved": False, "reason": "expired", "message": str(EXPIRED_PAGE_JSON)}, 400
        return _render(
            400, _("This form had expired or was sent twice. Reload the page and try again; nothing was changed.")
        )
    response = _render(error.code or 500)
    if error.code == 429:
        return response[0], 429, {"Retry-After": "60"}
    return response


def _server_error(error: Exception):
    db.session.rollback()
    original = getattr(error, "original_exception", None) or error
    if not isinstance(original, HTTPException):
        from flask import current_app

        current_app.logger.error("unhandled error on %s %s", request.method, request.path, exc_info=original)
    return _render(500)


def _database_unavailable(error: OperationalError):
    """The database stayed locked past the busy timeout, or is down: 503, never a 500 or the driver's text.

    A view may keep what the person sent (the quiz form, re-rendered with their answers) through an
    `on_database_unavailable` attribute; everything else gets the "site is busy" page.
    """
    db.session.rollback()
    current_app.logger.warning("database unavailable on %s %s: %s", request.method, request.path, error.orig)
    view = current_app.view_functions.get(request.endpoint or "")
    keep = getattr(view, "on_database_unavailable", None)
    response = None
    if keep is not None:
        try:
            response = make_response(keep())
        except Exception:  # the database cannot even be read: the plain page below
            db.session.rollback()
            response = None
    if response is None:
        response = make_response(_render(503))
    response.status_code = 503
    response.headers["Retry-After"] = "5"
    return response


def init_app(app: Flask) -> None:
    """Register the handlers."""
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(InternalServerError, _server_error)
    app.register_error_handler(OperationalError, _database_unavailable)
    app.register_error_handler(Exception, _server_error)
