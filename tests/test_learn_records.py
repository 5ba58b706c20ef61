"""The learner's own record: the progress page and chart, who can see it, export, and deleting the account."""

import csv
import io
import json
import re

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from course.access import can_view_learner
from course.content import get_course
from course.extensions import db
from course.learn import charts
from course.models import (
    PRETEST,
    QUIZ,
    Assignment,
    AttemptAnswer,
    AuditEvent,
    Caseload,
    CohortMember,
    LessonProgress,
    QuizAttempt,
    User,
    UserSession,
    utcnow,
)
from course.services import audit, data_export, own_record

from . import actions
from .factories import PASSWORD, attach_counselor, make_cohort, make_user
from .quiz_helpers import take

PAGES = ("/learn/progress", "/learn/data", "/learn/data/delete")


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def row_of(page: str, title: str) -> list[str]:
    """The cells of the score table's row for a module, as text."""
    row = re.search(r"<tr>\s*<th scope=\"row\">" + re.escape(str(escape(title))) + r"</th>(.*?)</tr>", page, re.S)
    assert row, title
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row.group(1), re.S)]


def facts_of(page: str, title: str) -> dict[str, str]:
    """The facts listed on a module's card."""
    card = re.search(r"<h3>" + re.escape(str(escape(title))) + r"</h3>\s*<dl class=\"facts\">(.*?)</dl>", page, re.S)
    assert card, title
    return {
        dt: re.sub(r"<[^>]+>", "", dd).strip() for dt, dd in re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", card.group(1))
    }


# --- My progress -------------------------------------------------------------------------------


def test_the_progress_page_shows_lessons_attempts_scores_and_what_was_learned(browser, learner, module):
    pretest = take(learner, module, PRETEST, right=1)
    actions.complete_lesson(learner, module, module.lessons[0])
    actions.complete_lesson(learner, module, module.lessons[1])
    first = take(learner, module, QUIZ, right=len(module.quiz.questions))
    take(learner, module, QUIZ, right=0)  # a worse retake changes neither the best score nor what was learned
    assert first.score == 100.0 and 0 < pretest.score < 50
    second = get_course().modules[1]
    actions.skip_pretest(learner, second)
    browser.login(learner.username)

    page = browser.get("/learn/progress").get_data(as_text=True)

    before = round(pretest.score)
    assert facts_of(page, module.title) == {
        "Lessons done": f"2 of {len(module.lessons)}",
        "Quiz attempts": "2",
        "Best quiz score": "100%",
        "Pre-test score": f"{before}%",
        "Learned (same questions)": f"+{100 - before} points",
    }
    assert facts_of(page, second.title) == {
        "Lessons done": f"0 of {len(second.lessons)}",
        "Quiz attempts": "0",
        "Best quiz score": "not taken",
        "Pre-test score": "skipped",
        "Learned (same questions)": "—no comparison yet",
    }
    assert row_of(page, module.title) == [f"{before}%", "100%", f"+{100 - before} points"]
    assert row_of(page, second.title) == ["skipped", "not taken", "—no comparison yet"]
    assert "Pre-test and best quiz score by module</caption>" in page


def test_a_first_quiz_below_the_pretest_is_a_negative_change_whatever_the_best_score(browser, learner, module):
    take(learner, module, PRETEST, right=len(module.pretest.questions))
    take(learner, module, QUIZ, right=0)
    take(learner, module, QUIZ, right=len(module.quiz.questions))  # the best is 100%; what was learned is not
    browser.login(learner.username)
    page = browser.get("/learn/progress").get_data(as_text=True)
    assert row_of(page, module.title) == ["100%", "100%", "−100 points"]


def test_the_chart_is_an_accessible_inline_svg_with_the_same_numbers(browser, learner, module):
    pretest = take(learner, module, PRETEST, right=2)
    take(learner, module, QUIZ, right=len(module.quiz.questions))
    browser.login(learner.username)
    page = browser.get("/learn/progress").get_data(as_text=True)

    svg = re.search(r"<svg[^>]*>.*?</svg>", page, re.S).group(0)
    assert 'role="img"' in svg and 'aria-labelledby="chart-title chart-desc"' in svg
    assert 'viewBox="0 0 320 ' in svg and 'width="100%"' in svg
    assert '<title id="chart-title">' in svg and '<desc id="chart-desc">' in svg
    assert f"{escape(module.title)}: pre-test {round(pretest.score)}%, best quiz 100%" in svg
    assert f">{round(pretest.score)}%</text>" in svg and ">100%</text>" in svg
    assert f'width="{charts.FULL * 1.0}"' in svg  # the full-length bar of 100%
    assert "style=" not in svg and "<script" not in svg and "href" not in svg  # the CSP allows no inline style
    assert row_of(page, module.title)[:2] == [f"{round(pretest.score)}%", "100%"]  # the text alternative


def test_the_chart_wraps_long_titles_and_never_overlaps():
    rows = [
        own_record.ModuleReport(
            "m", "A title long enough to need a second line in the chart", 0, 1, 1, 55.0, None, own_record.SKIPPED
        )
    ] * 2
    chart = charts.score_chart(rows)
    first, second = chart.groups
    assert len(first.title) == 2 and all(len(text) <= charts.TITLE_CHARS for _, text in first.title)
    assert first.title[-1][0] < first.bars[0].y < first.bars[1].y < second.title[0][0] - charts.LINE
    assert second.bars[1].y + charts.BAR <= chart.plot_bottom < chart.height
    assert [bar.text for bar in first.bars] == ["skipped", "55%"] and first.bars[0].width is None
    assert first.bars[1].width == pytest.approx(charts.FULL * 0.55) and first.bars[1].text_x < chart.width - 30


def test_the_progress_page_is_in_the_learner_nav_with_a_discreet_title(browser, learner):
    browser.login(learner.username)
    page = browser.get("/learn/").get_data(as_text=True)
    assert 'href="/learn/progress"' in page and 'href="/learn/data"' in page
    assert "<title>Progress · Pathways</title>" in browser.get("/learn/progress").get_data(as_text=True)
    assert "<title>My data · Pathways</title>" in browser.get("/learn/data").get_data(as_text=True)


# --- Who can see the record --------------------------------------------------------------------


@pytest.fixture
def circle(app, learner):
    """A learner with a facilitator, a counselor through the cohort and one directly, and staff who may not see."""
    people = {
        name: make_user(role, display_name=name.replace("_", " ").title())
        for name, role in [
            ("group_lead", "facilitator"),
            ("cohort_counselor", "counselor"),
            ("direct_counselor", "counselor"),
            ("other_counselor", "counselor"),
            ("former_lead", "facilitator"),
            ("former_counselor", "counselor"),
        ]
    }
    cohort = make_cohort(people["group_lead"], members=(learner,), name="Tuesday group")
    attach_counselor(people["cohort_counselor"], cohort=cohort)
    attach_counselor(people["direct_counselor"], learner=learner)
    someone_else = make_user("learner")
    attach_counselor(people["other_counselor"], learner=someone_else)
    attach_counselor(people["other_counselor"], cohort=make_cohort(members=(someone_else,)))
    old = make_cohort(people["former_lead"], members=(learner,), name="Old group")
    attach_counselor(people["former_counselor"], cohort=old)
    db.session.execute(
        CohortMember.__table__.update().where(CohortMember.cohort_id == old.id).values(removed_at=utcnow())
    )
    db.session.commit()
    return people


def test_who_can_see_lists_the_facilitator_and_both_counselors_and_nobody_else(browser, learner, circle):
    viewers = {v.name: (v.role, v.reasons) for v in own_record.record_viewers(learner)}
    assert viewers == {
        "Group Lead": ("facilitator", ("through your group “Tuesday group”",)),
        "Cohort Counselor": ("counselor", ("through your group “Tuesday group”",)),
        "Direct Counselor": ("counselor", ("attached to you directly",)),
    }
    browser.login(learner.username)
    page = browser.get("/learn/data").get_data(as_text=True)
    for name in ("Group Lead", "Cohort Counselor", "Direct Counselor"):
        assert f'<th scope="row">{name}</th>' in page
    for name in ("Other Counselor", "Former Lead", "Former Counselor"):
        assert name not in page


def test_who_can_see_agrees_with_the_access_rules(learner, circle):
    listed = {v.name for v in own_record.record_viewers(learner)}
    staff = db.session.scalars(select(User).where(User.role != "learner")).all()
    assert listed == {u.display_name for u in staff if can_view_learner(u, learner)}


def test_the_data_page_shows_who_looked_at_the_record(app, browser, learner, circle):
    with app.test_request_context():
        audit.record(audit.RECORD_VIEWED, actor=circle["direct_counselor"], subject_id=learner.id)
        db.session.commit()
    browser.login(learner.username)
    page = browser.get("/learn/data").get_data(as_text=True)
    assert "<td>Direct Counselor</td><td>Looked at your record</td>" in page


# --- Export ------------------------------------------------------------------------------------


def export(browser, fmt):
    return browser.post(f"/learn/data/export.{fmt}", form_page="/learn/data")


def test_the_json_export_holds_the_learners_attempts_and_answers_and_nothing_of_anyone_else(
    browser, learner, module, circle
):
    actions.complete_lesson(learner, module, module.lessons[0])
    mine = take(learner, module, QUIZ, right=1)
    other = make_user("learner", display_name="Somebody Else")
    make_cohort(circle["group_lead"], members=(other,), name="Another group")
    theirs = take(other, module, QUIZ, right=3)
    browser.login(learner.username)

    response = export(browser, "json")

    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == 'attachment; filename="my-course-data.json"'
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["username"] == learner.username and data["account"]["role"] == "learner"
    assert [c["name"] for c in data["cohorts"]] == ["Tuesday group", "Old group"]
    assert data["cohorts"][1]["removed"] is not None
    assert [row["lesson_id"] for row in data["lessons"]] == [module.lessons[0].id]
    [attempt] = data["attempts"]
    assert attempt["kind"] == QUIZ and attempt["score"] == mine.score
    assert [a["question_id"] for a in attempt["answers"]] == [a.question_id for a in mine.answers]
    assert {a["question_id"]: a["choices"] for a in attempt["answers"]} == {
        a.question_id: a.choice_ids.split(",") for a in mine.answers
    }
    assert all({"correct", "credit", "misconceptions", "how_sure"} <= set(a) for a in attempt["answers"])
    assert (attempt["first_quiz"], attempt["score_on_pretest_questions"]) == (True, mine.pretest_items_score)
    assert data["reviews"] == []  # a first quiz that did not pass schedules no review
    assert {v["name"] for v in data["who_can_see"]} == {"Group Lead", "Cohort Counselor", "Direct Counselor"}
    assert [e["action"] for e in data["audit_events"]] == [audit.LOGIN]
    text = response.get_data(as_text=True)
    assert f'"{other.username}"' not in text and "Somebody Else" not in text and "Another group" not in text
    assert theirs.score != mine.score and [a["score"] for a in data["attempts"]] == [mine.score]


def test_the_csv_export_is_one_table_and_neutralises_spreadsheet_formulas(browser, module):
    learner = make_user("learner", display_name="=HYPERLINK(1)")
    take(learner, module, QUIZ, right=0)
    browser.login(learner.username)

    response = export(browser, "csv")

    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="my-course-data.csv"'
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["section", "record", "field", "value"]
    assert all(len(row) == 4 for row in rows)
    assert ["account", "1", "display_name", "'=HYPERLINK(1)"] in rows
    assert ["attempts", "1", "kind", "quiz"] in rows
    assert {row[0] for row in rows[1:]} >= {"account", "attempts", "attempts.answers", "attempts.shown", "audit_events"}


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_every_formula_start_gets_an_apostrophe(value):
    [_, row] = data_export.csv_rows({"account": {"display_name": value}})
    assert row[-1] == "'" + value


def test_each_export_is_audited(browser, learner):
    browser.login(learner.username)
    export(browser, "json")
    export(browser, "csv")
    events = db.session.execute(
        select(AuditEvent.actor_id, AuditEvent.subject_id, AuditEvent.detail)
        .where(AuditEvent.action == audit.RECORD_EXPORTED)
        .order_by(AuditEvent.id)
    ).all()
    assert events == [(learner.id, learner.id, "json"), (learner.id, learner.id, "csv")]


def test_export_is_a_post_with_a_csrf_token(browser, learner):
    browser.login(learner.username)
    assert browser.get("/learn/data/export.json").status_code == 405
    assert browser.client.post("/learn/data/export.json").status_code == 400
    assert browser.post("/learn/data/export.xml", form_page="/learn/data").status_code == 404
    assert count(AuditEvent, AuditEvent.action == audit.RECORD_EXPORTED) == 0


# --- Deleting the account ----------------------------------------------------------------------


@pytest.fixture
def full_record(app, learner, module, circle):
    """The learner with a record in every table, and another learner with one too."""
    actions.complete_lesson(learner, module, module.lessons[0])
    take(learner, module, PRETEST, right=1)
    take(learner, module, QUIZ, right=2)
    cohort_id = db.session.scalar(select(CohortMember.cohort_id).where(CohortMember.learner_id == learner.id))
    db.session.add(Assignment(module_id=module.id, learner_id=learner.id))
    db.session.add(Assignment(module_id=module.id, cohort_id=cohort_id))
    db.session.commit()
    other = make_user("learner")
    make_cohort(members=(other,))
    actions.complete_lesson(other, module, module.lessons[0])
    take(other, module, QUIZ, right=1)
    attach_counselor(circle["direct_counselor"], learner=other)
    return other


def rows_of(user_id: int) -> dict[str, int]:
    attempt_ids = select(QuizAttempt.id).where(QuizAttempt.learner_id == user_id)
    return {
        "user": count(User, User.id == user_id),
        "lesson_progress": count(LessonProgress, LessonProgress.learner_id == user_id),
        "quiz_attempt": count(QuizAttempt, QuizAttempt.learner_id == user_id),
        "attempt_answer": count(AttemptAnswer, AttemptAnswer.attempt_id.in_(attempt_ids)),
        "cohort_member": count(CohortMember, CohortMember.learner_id == user_id),
        "user_session": count(UserSession, UserSession.user_id == user_id),
        "assignment": count(Assignment, Assignment.learner_id == user_id),
        "caseload": count(Caseload, Caseload.learner_id == user_id),
    }


def delete(browser, username, password):
    return browser.post("/learn/data/delete", {"username": username, "password": password})


@pytest.mark.parametrize(
    "field, message",
    [
        ("username", "That is not your username."),
        ("password", "That password is not right."),
    ],
)
def test_a_wrong_username_or_password_changes_nothing(browser, learner, full_record, field, message):
    browser.login(learner.username)
    before = rows_of(learner.id), count(AuditEvent)
    typed = {"username": learner.username, "password": PASSWORD}
    typed[field] = "not-it-at-all"
    response = delete(browser, **typed)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page and 'aria-invalid="true"' in page and 'class="error-summary"' in page
    assert (rows_of(learner.id), count(AuditEvent)) == before
    assert browser.get("/learn/").status_code == 200


def test_empty_fields_are_refused_with_a_message(browser, learner):
    browser.login(learner.username)
    page = delete(browser, "", "").get_data(as_text=True)
    assert "Type your username." in page and "Type your password." in page
    assert count(User, User.id == learner.id) == 1


def test_deleting_removes_every_row_of_the_learner_and_keeps_the_audit_trail(
    app, browser, new_browser, learner, full_record
):
    other = full_record
    learner_id, username = learner.id, learner.username
    browser.login(username)
    second_device = new_browser()
    second_device.login(username)
    cookie = browser.client.get_cookie("course_session").value
    other_before = rows_of(other.id)
    assert all(rows_of(learner_id).values())

    response = delete(browser, username.upper(), PASSWORD)

    assert response.status_code == 303 and response.headers["Location"] == "/"
    assert "Your account and your course data are deleted." in browser.get("/").get_data(as_text=True)
    assert rows_of(learner_id) == dict.fromkeys(rows_of(learner_id), 0)
    assert rows_of(other.id) == other_before
    kept = db.session.scalars(select(AuditEvent.action).where(AuditEvent.subject_id == learner_id)).all()
    assert audit.ACCOUNT_DELETED in kept and audit.LOGIN in kept
    assert (
        db.session.scalar(select(AuditEvent.actor_id).where(AuditEvent.action == audit.ACCOUNT_DELETED)) == learner_id
    )
    replay = app.test_client()
    replay.set_cookie("course_session", cookie)
    assert replay.get("/learn/").status_code == 302
    assert second_device.get("/learn/data").status_code == 302
    assert browser.login(username).status_code == 200  # the account is gone: sign-in fails


# --- Access ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["facilitator", "counselor", "admin"])
def test_staff_cannot_use_the_learner_record_pages(browser, role):
    browser.login(make_user(role).username)
    for url in PAGES:
        assert browser.get(url).status_code == 403, url


def test_signed_out_visitors_are_sent_to_sign_in(client):
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"].startswith("/auth/login"), url


def test_the_pages_take_no_ids_so_a_learner_only_ever_sees_their_own_record(app, browser, learner, module, circle):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in ("learn.my_progress", "learn.my_data", "learn.export", "learn.delete_account"):
            assert rule.arguments <= {"fmt"}, rule.rule
    take(learner, module, QUIZ, right=3)
    stranger = make_user("learner")
    browser.login(stranger.username)
    assert "Direct Counselor" not in browser.get("/learn/data").get_data(as_text=True)
    page = browser.get("/learn/progress").get_data(as_text=True)
    assert facts_of(page, module.title)["Quiz attempts"] == "0" and row_of(page, module.title)[1] == "not taken"
    data = json.loads(export(browser, "json").get_data(as_text=True))
    assert data["account"]["username"] == stranger.username and data["attempts"] == [] and data["who_can_see"] == []
    assert f'"{learner.username}"' not in json.dumps(data)
