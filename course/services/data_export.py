"""A learner's data to take away: everything the course keeps about them, as JSON or as CSV.

Only the learner passed in is read; the download is written to the audit log.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import or_, select

from ..content import Course, Library
from ..extensions import db
from ..i18n import gettext as _
from ..models import Assignment, AttemptAnswer, Cohort, CohortMember, LessonProgress, QuizAttempt, ReviewItem, User
from . import audit
from .csv_export import safe_cell
from .own_record import audit_events_about, record_viewers

FORMATS = {"json": "application/json", "csv": "text/csv"}


def _time(value) -> str | None:
    return value.isoformat() if value else None


def _split(value: str) -> list[str]:
    return [part for part in (value or "").split(",") if part]


def export_data(learner: User, course: Library) -> dict:
    """Everything the course keeps about the learner, as plain JSON-ready values."""
    titles = {m.id: course.module_label(m.id) for m in course.modules}
    memberships = db.session.execute(
        select(Cohort.id, Cohort.name, CohortMember.joined_at, CohortMember.removed_at)
        .join(CohortMember)
        .where(CohortMember.learner_id == learner.id)
        .order_by(CohortMember.joined_at)
    ).all()
    current_cohorts = [m.id for m in memberships if m.removed_at is None]
    return {
        "account": {
            "username": learner.username,
            "display_name": learner.display_name,
            "email": learner.email,
            "role": learner.role,
            "created": _time(learner.created_at),
            "last_active": _time(learner.last_active_at),
        },
        "cohorts": [
            {"name": m.name, "joined": _time(m.joined_at), "removed": _time(m.removed_at)} for m in memberships
        ],
        "lessons": _lessons(learner, course, titles),
        "attempts": _attempts(learner, titles),
        "assignments": _assignments(learner, current_cohorts, titles),
        "reviews": _reviews(learner, titles),
        "who_can_see": [{"name": v.name, "role": v.role, "how": "; ".join(v.reasons)} for v in record_viewers(learner)],
        "audit_events": [{**event, "when": _time(event["when"])} for event in audit_events_about(learner)],
    }


def _lesson_title(course: Course, module_id: str, lesson_id: str) -> str | None:
    module = course.module(module_id)
    lesson = module.lesson(lesson_id) if module else None
    return lesson.title if lesson else None


def _lessons(learner: User, course: Course, titles: dict[str, str]) -> list[dict]:
    rows = db.session.scalars(
        select(LessonProgress)
        .where(LessonProgress.learner_id == learner.id)
        .order_by(LessonProgress.first_viewed_at, LessonProgress.id)
    )
    return [
        {
            "module_id": r.module_id,
            "module": titles.get(r.module_id),
            "lesson_id": r.lesson_id,
            "lesson": _lesson_title(course, r.module_id, r.lesson_id),
            "first_viewed": _time(r.first_viewed_at),
            "last_viewed": _time(r.last_viewed_at),
            "completed": _time(r.completed_at),
            "seconds_spent": r.seconds_spent,
            "content_version": r.content_version,
        }
        for r in rows
    ]


def _attempts(learner: User, titles: dict[str, str]) -> list[dict]:
    answers: dict[int, list[dict]] = {}
    for a in db.session.scalars(
        select(AttemptAnswer).join(QuizAttempt).where(QuizAttempt.learner_id == learner.id).order_by(AttemptAnswer.id)
    ):
        answers.setdefault(a.attempt_id, []).append(
            {
                "question_id": a.question_id,
                "choices": _split(a.choice_ids),
                "correct": a.correct,
                "credit": a.credit,
                "misconceptions": _split(a.misconception_ids),
                "how_sure": a.confidence,
            }
        )
    attempts = db.session.scalars(
        select(QuizAttempt).where(QuizAttempt.learner_id == learner.id).order_by(QuizAttempt.id)
    )
    return [
        {
            "module_id": a.module_id,
            "module": titles.get(a.module_id),
            "kind": a.kind,
            "started": _time(a.started_at),
            "submitted": _time(a.submitted_at),
            "score": a.score,
            "passed": a.passed,
            "score_on_pretest_questions": a.pretest_items_score,
            "first_quiz": a.first_quiz,
            "content_version": a.content_version,
            "shown": a.layout or [],
            "answers": answers.get(a.id, []),
        }
        for a in attempts
    ]


def _reviews(learner: User, titles: dict[str, str]) -> list[dict]:
    """The spaced reviews scheduled for the learner, answered or not."""
    rows = db.session.scalars(
        select(ReviewItem).where(ReviewItem.learner_id == learner.id).order_by(ReviewItem.due_at, ReviewItem.id)
    )
    return [
        {
            "module_id": r.module_id,
            "module": titles.get(r.module_id),
            "question_id": r.question_id,
            "round": r.round,
            "due": _time(r.due_at),
            "answered": _time(r.answered_at),
            "choices": _split(r.choice_ids),
            "correct": r.correct,
            "misconceptions": _split(r.misconception_ids),
        }
        for r in rows
    ]


def _assignments(learner: User, cohort_ids: list[int], titles: dict[str, str]) -> list[dict]:
    rows = db.session.execute(
        select(Assignment, Cohort.name)
        .outerjoin(Cohort, Cohort.id == Assignment.cohort_id)
        .where(or_(Assignment.learner_id == learner.id, Assignment.cohort_id.in_(cohort_ids)))
        .order_by(Assignment.created_at, Assignment.id)
    ).all()
    return [
        {
            "module_id": a.module_id,
            "module": titles.get(a.module_id),
            "cohort": name,
            "due": _time(a.due_at),
            "assigned": _time(a.created_at),
            "withdrawn": _time(a.withdrawn_at),
        }
        for a, name in rows
    ]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _flatten(section: str, record: str, item: dict) -> Iterator[list[str]]:
    for key, value in item.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            for n, child in enumerate(value, 1):
                yield from _flatten(f"{section}.{key}", f"{record}.{n}", child)
        elif isinstance(value, list):
            yield [section, record, key, ";".join(_text(v) for v in value)]
        else:
            yield [section, record, key, _text(value)]


def csv_rows(data: dict) -> Iterator[list[str]]:
    """The export as one long CSV table: section, record number, field, value (cells formula-safe)."""
    yield [_("section"), _("record"), _("field"), _("value")]
    for section, content in data.items():
        items = content if isinstance(content, list) else [content]
        for n, item in enumerate(items, 1):
            for row in _flatten(section, str(n), item):
                yield [safe_cell(cell) for cell in row]


def _csv_text(rows: Iterator[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


@dataclass(frozen=True)
class Download:
    """A file for the learner to save."""

    filename: str
    mimetype: str
    body: str


def download(learner: User, course: Library, fmt: str) -> Download:
    """The learner's data as JSON or CSV (reads only; the caller audits it with `record_download`)."""
    data = export_data(learner, course)
    body = json.dumps(data, ensure_ascii=False, indent=2) if fmt == "json" else _csv_text(csv_rows(data))
    return Download(f"my-course-data.{fmt}", FORMATS[fmt], body)


def record_download(learner: User, fmt: str) -> None:
    """Audit the learner's download of their data (caller's transaction, committed before it is sent)."""
    audit.record(audit.RECORD_EXPORTED, actor=learner, subject_id=learner.id, detail=fmt)
