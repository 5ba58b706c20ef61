"""CSV exports: POST only, audited, formula-safe, streamed, read in partitions."""

import csv
import io

import pytest
from flask_login import login_user
from sqlalchemy import select

from course.extensions import db
from course.facilitate import reports
from course.models import AuditEvent, QuizAttempt
from course.services import audit, cohort_exports, cohort_progress
from course.services.csv_export import safe_cell, stream_csv

from .facilitate_helpers import StatementCounter, add_attempt, all_right, bulk_learners, bulk_progress, pass_module
from .factories import make_cohort, make_user


@pytest.fixture
def signed_in_as():
    return "facilitator"


def rows_of(response):
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")  # so a spreadsheet reads the file as UTF-8
    return list(csv.reader(io.StringIO(text[1:])))


def export(browser, cohort, what):
    return browser.post(
        f"/facilitate/cohorts/{cohort.id}/export/{what}.csv", form_page=f"/facilitate/cohorts/{cohort.id}"
    )


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+1", "'+1"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain", "plain"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (True, "true"),
        (False, "false"),
        (-2.5, "-2.5"),
        (7, "7"),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_stream_csv_yields_one_line_at_a_time():
    lines = stream_csv(["a", "b"], iter([["=1", "x,y"], [None, 3]]))
    assert next(lines) == "\ufeffa,b\r\n"
    assert list(lines) == ['\'=1,"x,y"\r\n', ",3\r\n"]


def test_the_progress_export_has_a_header_a_row_per_member_and_escapes_formulas(signed_in, facilitator, course):
    hostile = make_user(display_name="=HYPERLINK(1)", username="a-hostile")
    plain = make_user(username="b-plain")
    cohort = make_cohort(facilitator, members=(hostile, plain))
    pass_module(plain, course.modules[0], 90.0)
    response = export(signed_in, cohort, "progress")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == f'attachment; filename="cohort-{cohort.id}-progress.csv"'
    assert response.headers["Cache-Control"] == "no-store"
    header, *rows = rows_of(response)
    m1 = course.modules[0].title
    assert header[:5] == ["Username", "Display name", "Joined", "Done (%)", "Last course activity (UTC)"]
    assert header[5:10] == [
        f"{m1}: status",
        f"{m1}: best quiz score (%)",
        f"{m1}: pre-test score (%)",
        f"{m1}: due",
        f"{m1}: overdue",
    ]
    assert len(header) == 5 + 5 * len(course.modules)
    assert [row[0] for row in rows] == ["a-hostile", "b-plain"]
    assert rows[0][1] == "'=HYPERLINK(1)"
    assert rows[1][5:10] == ["Passed", "90.0", "", "", "no"]
    assert rows[1][10] == "Ready to start" and rows[0][10] == "Locked"
    # The pass is the plain learner's last activity; the other has none.
    passed_at = db.session.scalar(select(QuizAttempt.submitted_at).where(QuizAttempt.learner_id == plain.id))
    assert rows[1][4] == passed_at.strftime("%Y-%m-%d %H:%M") and rows[0][4] == ""


def test_an_export_writes_an_audit_event(signed_in, facilitator, learner):
    cohort = make_cohort(facilitator, members=(learner,))
    export(signed_in, cohort, "progress")
    export(signed_in, cohort, "items")
    events = db.session.execute(
        select(AuditEvent.actor_id, AuditEvent.actor_role, AuditEvent.subject_id, AuditEvent.detail)
        .where(AuditEvent.action == audit.RECORD_EXPORTED)
        .order_by(AuditEvent.id)
    ).all()
    # The progress export shows the learner's results: an event for the export, and one about the learner.
    assert events == [
        (facilitator.id, "facilitator", None, f"cohort {cohort.id} progress csv"),
        (facilitator.id, "facilitator", learner.id, f"cohort {cohort.id} progress csv"),
        (facilitator.id, "facilitator", None, f"cohort {cohort.id} items csv"),
    ]


def test_exports_are_post_only(signed_in, facilitator):
    cohort = make_cohort(facilitator)
    for what in ("progress", "items"):
        assert signed_in.get(f"/facilitate/cohorts/{cohort.id}/export/{what}.csv").status_code == 405
        # Without the CSRF token, nothing is exported or written.
        assert signed_in.client.post(f"/facilitate/cohorts/{cohort.id}/export/{what}.csv").status_code == 400
    assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == audit.RECORD_EXPORTED)) is None


def test_the_item_export_covers_every_quiz_question(signed_in, facilitator, course):
    learner = make_user()
    cohort = make_cohort(facilitator, members=(learner,))
    module = course.modules[0]
    question = next(q for q in module.quiz.questions if any(c.misconception for c in q.choices))
    myth = next(c for c in question.choices if c.misconception)
    add_attempt(learner, module, answers={**all_right(module), question.id: frozenset({myth.id})})
    header, *rows = rows_of(export(signed_in, cohort, "items"))
    assert header[:4] == ["Module", "Question number", "Question id", "Question"]
    assert len(rows) == sum(len(m.quiz.questions) for m in course.modules)
    row = next(r for r in rows if r[2] == question.id)
    assert row[4:7] == ["1", "0", "0"]
    assert row[9:11] == ["1", "0"]  # one wrong answer, not given while sure (no confidence sent)
    assert row[11:15] == [myth.text, "1", myth.misconception, course.misconception(myth.misconception).myth]


def test_the_progress_rows_are_read_in_partitions(facilitator, course):
    cohort = make_cohort(facilitator)
    ids = bulk_learners(cohort, 25)
    bulk_progress(ids, course.modules[0])
    with StatementCounter() as small_batches:
        rows = list(cohort_progress.iter_progress(cohort, course, batch=10))
    with StatementCounter() as one_batch:
        assert [r.learner_id for r in cohort_progress.iter_progress(cohort, course, batch=100)] == [
            r.learner_id for r in rows
        ]
    assert len(rows) == 25 and rows[0].cells[0].best_score == 50.0
    # Two queries (progress summaries, due dates) per partition of learners, besides the member list.
    assert small_batches.selects - one_batch.selects == 2 * (3 - 1)


def test_the_export_response_is_streamed(app, facilitator, learner):
    cohort = make_cohort(facilitator, members=(learner,))
    with app.test_request_context(method="POST"):
        login_user(facilitator)
        response = reports._csv_download(cohort.id, "progress", cohort_exports.progress_csv)
        assert response.is_streamed
        body = response.get_data(as_text=True)
    assert learner.username in body
