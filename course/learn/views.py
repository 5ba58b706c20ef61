"""The learner's pages."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import select

from ..access import LEARNER, role_required
from ..content import get_course
from ..extensions import db
from ..models import Cohort, CohortMember

bp = Blueprint("learn", __name__)


@bp.route("/")
@role_required(LEARNER)
def home():
    """The learner's home: the course's modules in order."""
    cohorts = db.session.scalars(
        select(Cohort).join(CohortMember).where(CohortMember.learner_id == current_user.id, CohortMember.removed_at.is_(None))
    ).all()
    return render_template("learn/home.html", course=get_course(), cohorts=cohorts)
