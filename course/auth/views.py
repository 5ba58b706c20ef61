"""Routes for signing in and out, joining a cohort, and changing a password."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from .. import rate_limits, unsent_answers
from ..access import home_endpoint, public, signed_in
from ..database import write_transaction
from ..i18n import current_language
from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l
from ..redirects import safe_next
from ..services import accounts, audit, sessions
from .forms import ChangePasswordForm, JoinForm, LoginForm

bp = Blueprint("auth", __name__)

GENERIC_LOGIN_FAILURE = _l("That username and password did not match. Check them and try again.")


def _sign_in(user, check: accounts.SignInCheck | None = None) -> None:
    """Start a fresh session for `user` (a new id; anything in the old cookie is dropped).

    Quiz answers kept after a sign-out stay only if they are this learner's; anyone else's are deleted.
    With the `check` of a sign-in, what it found is recorded in the same transaction.
    """
    unsent = unsent_answers.held_key()
    with write_transaction():
        if check is not None:
            accounts.record_sign_in(check)
        session.clear()
        unsent_answers.carry_over(unsent, user)
        sessions.start_session(user)
        audit.record(audit.LOGIN, actor=user, subject_id=user.id)
    login_user(user)


@bp.before_app_request
def require_password_change():
    """Someone given a one-time password must choose their own before anything else."""
    if (
        current_user.is_authenticated
        and current_user.must_change_password
        and request.endpoint not in ("auth.change_password", "auth.logout", "static")
    ):
        flash(_("Please choose a new password before you go on."), "info")
        return redirect(url_for("auth.change_password"))
    return None


@bp.route("/login", methods=["GET", "POST"])
@public
@rate_limits.sign_in_per_client
@rate_limits.sign_in_per_account
def login():
    """Sign in; every failure gets the same message."""
    if current_user.is_authenticated:
        return redirect(url_for(home_endpoint(current_user)))
    form = LoginForm()
    if form.validate_on_submit():
        check = accounts.check_sign_in(form.username.data, form.password.data)  # argon2, outside the lock
        if check.user is not None:
            _sign_in(check.user, check)
            return redirect(safe_next(request.args.get("next")) or url_for(home_endpoint(check.user)))
        with write_transaction():
            accounts.record_sign_in(check)
        flash(str(GENERIC_LOGIN_FAILURE), "error")
    return render_template("auth/login.html", form=form)


@bp.route("/join", methods=["GET", "POST"])
@bp.route("/join/<code>", methods=["GET"])
@public
@rate_limits.sign_in_per_client
def join(code: str | None = None):
    """Create a learner account with a cohort's join code."""
    if current_user.is_authenticated:
        return redirect(url_for(home_endpoint(current_user)))
    form = JoinForm()
    if code and request.method == "GET":
        form.code.data = code
    if form.validate_on_submit():
        try:
            with write_transaction():
                user = accounts.sign_up_learner(
                    form.code.data, form.username.data, form.password.data, current_language()
                )
        except accounts.AccountError as error:
            flash(str(error), "error")
        else:
            _sign_in(user)
            flash(_("Welcome. Your account is ready."), "success")
            return redirect(url_for(home_endpoint(user)))
    return render_template("auth/join.html", form=form)


@bp.route("/logout", methods=["POST"])
@signed_in
def logout():
    """End this session on the server and in the browser."""
    with write_transaction():
        sessions.end_session(current_user.current_session)
        audit.record(audit.LOGOUT, actor=current_user, subject_id=current_user.id)
    logout_user()
    _clear_session_keeping_csrf()
    flash(_("You are signed out."), "success")
    response = redirect(url_for("auth.login"))
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


def _clear_session_keeping_csrf() -> None:
    """Empty the cookie's session but keep its CSRF secret until the next sign-in (which replaces it).

    A tab still open on a form (a quiz) then sends a valid token: what it sends meets "please sign
    in" with its answers kept, as after an idle timeout, instead of a 400 "form had expired".
    """
    name = current_app.config["WTF_CSRF_FIELD_NAME"]
    secret = session.get(name)
    session.clear()
    if secret:
        session[name] = secret


@bp.route("/password", methods=["GET", "POST"])
@signed_in
@rate_limits.password_check
def change_password():
    """Change the password; every session ends and this browser gets a new one."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            new_hash = accounts.new_password_hash(user, form.current.data, form.password.data)  # outside the lock
        except accounts.AccountError as error:
            flash(str(error), "error")
        else:
            with write_transaction():
                accounts.change_password(user, new_hash)
            _sign_in(user)
            flash(_("Your password is changed. You were signed out everywhere else."), "success")
            return redirect(url_for(home_endpoint(user)))
    return render_template("auth/change_password.html", form=form)
