"""The counselor's pages: the caseload list (this module) and a learner's record (record_pages.py)."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user

from ..access import COUNSELOR, role_required
from ..content import get_course
from ..paging import requested_page
from ..services import caseload
from .forms import CaseloadFilterForm

bp = Blueprint("counsel", __name__)


@bp.route("/")
@role_required(COUNSELOR)
def home():
    """The counselor's caseload, filtered and paged, with each learner's progress in numbers."""
    form = CaseloadFilterForm(formdata=request.args)
    form.validate()
    page = caseload.caseload_page(current_user, get_course(), form.to_filter(), requested_page())
    args = form.query_args()
    return render_template("counsel/home.html", form=form, result=page, pager_args=args, filtered=bool(args))
