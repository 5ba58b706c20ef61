"""A learner's record and their attempts' reviews, for a counselor whose caseload they are on.

Every look is audited before the page is built; a learner the counselor may not see, an unknown
id or a staff account's id all answer 404, and the refusal is audited too.
"""

from __future__ import annotations

from typing import NoReturn

from flask import abort, render_template
from flask_login import current_user

from ..access import COUNSELOR, role_required
from ..content import get_course
from ..database import write_transaction
from ..services import counselor_record
from .charts import timeline_chart
from .views import bp

LEARNER_URL = "/learners/<int:learner_id>"


def _visible_or_404(learner_id: int, view: str):
    """The learner if on the counselor's caseload. :raise 404: otherwise, after auditing the refusal."""
    learner = counselor_record.find_learner(current_user, learner_id)
    if learner is None:
        _deny(learner_id, view)
    return learner


def _deny(learner_id: int, view: str) -> NoReturn:
    """Audit the refused look (fail closed: stored before the 404 is sent), then 404."""
    with write_transaction():
        counselor_record.log_denied(current_user, learner_id, view)
    abort(404)


@bp.route(LEARNER_URL)
@role_required(COUNSELOR)
def learner(learner_id: int):
    """The record: progress and before-and-after by module, every attempt, a timeline, misconceptions, lessons."""
    learner = _visible_or_404(learner_id, counselor_record.RECORD_VIEW)
    with write_transaction():  # fail closed: no record is shown unless the look is on record
        counselor_record.log_view(current_user, learner, counselor_record.RECORD_VIEW)
    record = counselor_record.learner_record(learner, get_course())
    return render_template(
        "counsel/learner.html", learner=learner, record=record, chart=timeline_chart(record.scored_attempts)
    )


@bp.route(f"{LEARNER_URL}/attempts/<int:attempt_id>")
@role_required(COUNSELOR)
def attempt(learner_id: int, attempt_id: int):
    """One submitted attempt, question by question: the learner's answers, the right ones, the myths picked."""
    view = f"attempt {attempt_id}"
    learner = _visible_or_404(learner_id, view)
    attempt = counselor_record.find_attempt(learner, attempt_id)
    module = get_course().module(attempt.module_id) if attempt else None
    if attempt is None or module is None:
        _deny(learner_id, view)
    with write_transaction():
        counselor_record.log_view(current_user, learner, counselor_record.attempt_detail(attempt))
    return render_template(
        "counsel/attempt.html",
        learner=learner,
        attempt=attempt,
        module=module,
        view=counselor_record.attempt_review(attempt, module),
        course=get_course(),
    )
