"""Response headers that every page carries: CSP, no sniffing, no framing, no caching of private pages."""

from __future__ import annotations

from flask import Flask, Response, current_app, request
from flask_login import current_user

from .errors import refuse
from .i18n import gettext as _

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    # The Referer goes to our own origin only: Flask-WTF's strict check over HTTPS needs it on every
    # POST, and the quick-exit target and any linked site still never learn which page was open.
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}


def _add_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    # A page is in the language the account, the `lang` cookie or Accept-Language chose (i18n.py): a cache keys on them.
    if request.endpoint != "static":
        response.vary.update(("Accept-Language", "Cookie"))
    # A signed-in page may show a learner's record; it must not stay in a shared device's cache.
    if current_user and current_user.is_authenticated and request.endpoint != "static":
        response.headers["Cache-Control"] = "no-store"
        response.vary.add("Cookie")
    return response


def _refuse_malformed_input() -> None:
    """Refuse, before any view runs, input that no form of this site can send.

    A NUL character: no text we keep may hold one (PostgreSQL refuses it). A file part: only the
    views in UPLOAD_LIMITS take a file; any other would find one where it expects text (a 500 before).
    """
    if request.files and request.endpoint not in current_app.config["UPLOAD_LIMITS"]:
        refuse(
            400,
            _("This site does not take files. Go back, reload the page and send the form again; nothing was changed."),
        )
    for values in (request.args, request.form):
        if any("\x00" in value for _, value in values.items(multi=True)):
            refuse(
                400,
                _(
                    "What you sent contains a character this site cannot keep. "
                    "Remove it and try again; nothing was changed."
                ),
            )


def init_app(app: Flask) -> None:
    """Register the request and response hooks."""
    app.before_request(_refuse_malformed_input)
    app.after_request(_add_headers)
