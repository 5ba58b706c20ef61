"""The counselor's pages."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from ..access import COUNSELOR, role_required, visible_learners
from ..extensions import db
from ..models import User

bp = Blueprint("counsel", __name__)


@bp.route("/")
@role_required(COUNSELOR)
def home():
    """The counselor's caseload: the learners they may see, paged."""
    page = db.paginate(visible_learners(current_user).order_by(User.username), per_page=50, error_out=False)
    return render_template("counsel/home.html", page=page)
