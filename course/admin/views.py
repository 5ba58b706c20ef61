"""The admin's pages: accounts (caseload.py: caseload links; audit.py: the audit log)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ..access import ADMIN, COUNSELOR, LEARNER, ROLE_LABELS, ROLES, role_required
from ..database import write_transaction
from ..extensions import db
from ..forms import ConfirmForm
from ..i18n import gettext as _
from ..models import User
from ..paging import PER_PAGE, requested_page
from ..services import accounts, caseload_links
from .forms import AttachLearnerForm, CreateStaffForm, PermissionsForm, RoleForm, cohort_form

bp = Blueprint("admin", __name__)


@bp.route("/")
@role_required(ADMIN)
def home():
    """Accounts, filtered by role and paged."""
    role = request.args.get("role")
    stmt = select(User).order_by(User.role, User.username)
    if role in ROLES:
        stmt = stmt.where(User.role == role)
    page = db.paginate(stmt, page=requested_page(), per_page=PER_PAGE, error_out=False)
    return render_template(
        "admin/home.html",
        page=page,
        role=role,
        roles=ROLE_LABELS,
        create_form=CreateStaffForm(),
        confirm_form=ConfirmForm(),
    )


@bp.route("/users", methods=["POST"])
@role_required(ADMIN)
def create_user():
    """Create a staff account and show its one-time password once."""
    form = CreateStaffForm()
    if form.validate_on_submit():
        try:
            with write_transaction():
                user, password = accounts.create_with_one_time_password(
                    form.username.data,
                    form.role.data,
                    form.display_name.data or "",
                    form.email.data or None,
                    created_by=current_user,
                )
        except accounts.AccountError as error:
            flash(str(error), "error")
        else:
            return render_template("admin/one_time_password.html", user=user, password=password)
    else:
        for errors in form.errors.values():
            for message in errors:
                flash(str(message), "error")
    return redirect(url_for("admin.home"))


@bp.route("/users/<int:user_id>")
@role_required(ADMIN)
def user(user_id: int):
    """One account: its role, state and actions; for a counselor, their caseload too."""
    return render_user_page(db.get_or_404(User, user_id))


def render_user_page(account: User, status: int = 200, **forms):
    """The account page, with fresh forms unless `forms` passes ones carrying errors."""
    context = {
        "role_form": RoleForm(role=account.role),
        "permissions_form": PermissionsForm(can_author=account.can_author, can_review=account.can_review),
        "confirm_form": ConfirmForm(),
    }
    if account.role == COUNSELOR:
        context.update(
            links=caseload_links.links(account),
            cohort_form=forms.get("cohort_form") or cohort_form(formdata=None),
            learner_form=forms.get("learner_form") or AttachLearnerForm(formdata=None),
        )
    return render_template("admin/user.html", account=account, is_learner=account.role == LEARNER, **context), status


def _account_action(user_id: int, action, done_message: str):
    """Run one account action in a write transaction, flash the outcome, go back to the account."""
    account = db.get_or_404(User, user_id)
    try:
        with write_transaction():
            action(account)
    except accounts.AccountError as error:
        flash(str(error), "error")
    else:
        flash(done_message, "success")
    return redirect(url_for("admin.user", user_id=user_id))


@bp.route("/users/<int:user_id>/deactivate", methods=["POST"])
@role_required(ADMIN)
def deactivate(user_id: int):
    """Deactivate an account; its sessions end at once."""
    return _account_action(
        user_id,
        lambda account: accounts.set_active(account, False, current_user),
        _("The account is deactivated and signed out everywhere."),
    )


@bp.route("/users/<int:user_id>/reactivate", methods=["POST"])
@role_required(ADMIN)
def reactivate(user_id: int):
    """Let a deactivated account sign in again."""
    return _account_action(
        user_id, lambda account: accounts.set_active(account, True, current_user), _("The account can sign in again.")
    )


@bp.route("/users/<int:user_id>/role", methods=["POST"])
@role_required(ADMIN)
def change_role(user_id: int):
    """Change a staff account's role; its sessions end at once."""
    form = RoleForm()
    if not form.validate_on_submit():
        db.get_or_404(User, user_id)
        flash(_("Choose one of the roles listed."), "error")
        return redirect(url_for("admin.user", user_id=user_id))
    return _account_action(
        user_id,
        lambda account: accounts.change_role(account, form.role.data, current_user),
        _("The role is now %(role)s. The account was signed out everywhere.", role=ROLE_LABELS[form.role.data]),
    )


@bp.route("/users/<int:user_id>/permissions", methods=["POST"])
@role_required(ADMIN)
def change_permissions(user_id: int):
    """Grant or withdraw a staff account's author and clinical-reviewer permissions."""
    form = PermissionsForm()
    if not form.validate_on_submit():
        db.get_or_404(User, user_id)
        flash(_("The form had expired. Please send it again."), "error")
        return redirect(url_for("admin.user", user_id=user_id))
    return _account_action(
        user_id,
        lambda account: accounts.set_permissions(account, form.can_author.data, form.can_review.data, current_user),
        _("The permissions are saved."),
    )


@bp.route("/users/<int:user_id>/reset-password", methods=["POST"])
@role_required(ADMIN)
def reset_password(user_id: int):
    """Give an account a one-time password, shown once to the admin."""
    account = db.get_or_404(User, user_id)
    with write_transaction():
        password = accounts.reset_password(account, current_user)
    return render_template("admin/one_time_password.html", user=account, password=password)
