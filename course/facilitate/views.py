"""The facilitator's pages."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import func, select

from ..access import FACILITATOR, role_required
from ..extensions import db
from ..models import Cohort, CohortMember

bp = Blueprint("facilitate", __name__)


@bp.route("/")
@role_required(FACILITATOR)
def home():
    """The facilitator's cohorts with their member counts."""
    members = (
        select(func.count(CohortMember.id))
        .where(CohortMember.cohort_id == Cohort.id, CohortMember.removed_at.is_(None))
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(Cohort, members.label("members"))
        .where(Cohort.facilitator_id == current_user.id, Cohort.archived_at.is_(None))
        .order_by(Cohort.name)
    ).all()
    return render_template("facilitate/home.html", rows=rows)
