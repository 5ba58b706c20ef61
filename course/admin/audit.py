"""The admin's audit log page: every event, filtered and paged, newest first, in UTC."""

from __future__ import annotations

from flask import render_template, request

from ..access import ADMIN, ROLE_LABELS, role_required
from ..extensions import db
from ..paging import PER_PAGE, requested_page
from ..services import audit
from .forms import AuditFilterForm, action_label
from .views import bp


@bp.route("/audit")
@role_required(ADMIN)
def audit_log():
    """List audit events by action, actor, subject and date range; paged, newest first."""
    form = AuditFilterForm(formdata=request.args)
    form.validate()
    page = db.paginate(audit.events_query(form.to_filter()), page=requested_page(), per_page=PER_PAGE, error_out=False)
    return render_template(
        "admin/audit.html",
        form=form,
        page=page,
        people=audit.people(page.items),
        pager_args=form.query_args(),
        action_label=action_label,
        roles=ROLE_LABELS,
    )
