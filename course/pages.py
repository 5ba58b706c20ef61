"""Public pages: the front page, help now, the safety sheet, and the health check."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import text

from .access import home_endpoint, public
from .extensions import db
from .services import local_resources

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
