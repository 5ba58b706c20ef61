"""Public pages: the front page, help now, the safety sheet, and the health check."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import text

from . import i18n
from .access import home_endpoint, public
from .database import write_transaction
from .extensions import db
from .redirects import safe_next
from .services import accounts, local_resources

bp = Blueprint("pages", __name__)


@bp.route("/")
@public
def index():
    """The front page; signed-in people go to their home page."""
    if current_user.is_authenticated:
        return redirect(url_for(home_endpoint(current_user)))
    return render_template("pages/index.html")


@bp.route("/help")
@public
def help_now():
    """Where to get help now: overdose, crisis and treatment lines, then the programme's own resources."""
    return render_template("pages/help.html", local_resources=local_resources.shown_whatever_happens())


@bp.route("/safety")
@public
def safety():
    """What to do in an overdose and where to get help: open to anyone, no sign-in (safety is never gated)."""
    return render_template("pages/safety.html")


@bp.route("/language", methods=["POST"])
@public
def set_language():
    """The switch on every page (a plain form, no JavaScript): kept in a cookie, and on the account if signed in."""
    language = i18n.chosen_language(request.form.get("language"))
    if language is None:
        abort(400)
    if current_user.is_authenticated:
        with write_transaction():
            accounts.set_language(current_user, language)
    response = redirect(safe_next(request.form.get("next")) or url_for("pages.index"))
    response.set_cookie(
        i18n.COOKIE,
        language,
        max_age=i18n.COOKIE_MAX_AGE,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )
    return response


@bp.route("/healthz")
@public
def health():
    """For load balancers: 200 when the database answers, 503 otherwise."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any database failure means "not healthy"
        db.session.rollback()
        return {"status": "unavailable"}, 503
    return {"status": "ok"}
