"""The audit trail: what is recorded, the admin's filtered log, and the learner's "who has seen my record"."""

import re
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from sqlalchemy import delete, insert, select

from course.content import get_course
from course.extensions import db
from course.models import QUIZ, AuditEvent, User
from course.services import audit

from .counsel_helpers import counselor_with_cohort
from .factories import PASSWORD, make_user
from .quiz_helpers import take

ROW = re.compile(r"<tr>\s*<th scope=\"row\"><time datetime=\"([^\"]+)\">([^<]+)</time></th>(.*?)</tr>", re.S)


def log_rows(page: str) -> list[list[str]]:
    """The audit table's rows: the time shown, then each cell's text."""
    return [
        [shown]
        + [
            re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", c))).strip()
            for c in re.findall(r"<td>(.*?)</td>", cells, re.S)
        ]
        for _, shown, cells in ROW.findall(page)
    ]


def all_rows() -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)))


@pytest.fixture
def admin_browser(new_browser, admin):
    browser = new_browser()
    browser.login(admin.username)
    return browser


def event(action: str, when: datetime, actor: User | None = None, subject_id: int | None = None, detail: str = ""):
    return {
        "action": action,
        "occurred_at": when,
        "actor_id": actor.id if actor else None,
        "actor_role": actor.role if actor else None,
        "subject_id": subject_id,
        "outcome": "ok",
        "detail": detail,
    }


# --- What is recorded ------------------------------------------------------------------------------


def test_sign_in_and_failed_sign_in_are_recorded_without_the_password(browser, learner):
    browser.post("/auth/login", {"username": learner.username, "password": "wrong password typed here"})
    browser.post("/auth/login", {"username": "nobody-at-all", "password": "another wrong one"})
    browser.login(learner.username)

    rows = [(e.action, e.actor_id, e.subject_id, e.outcome) for e in all_rows()]

    assert rows == [
        (audit.LOGIN_FAILED, None, learner.id, "denied"),
        (audit.LOGIN_FAILED, None, None, "denied"),
        (audit.LOGIN, learner.id, learner.id, "ok"),
    ]
    assert all(e.client == "127.0.0.1" for e in all_rows())


def test_no_audit_row_holds_a_password_token_or_answer(browser, admin_browser, new_browser, admin):
    module = get_course().modules[0]
    learner = make_user("learner")
    counselor, _ = counselor_with_cohort(learner)
    attempt = take(learner, module, QUIZ, right=2)
    browser.post("/auth/login", {"username": learner.username, "password": "a wrong password!"})
    browser.login(learner.username)
    cookie = browser.client.get_cookie("course_session").value
    staff = new_browser()
    staff.login(counselor.username)
    staff.get(f"/counsel/learners/{learner.id}/attempts/{attempt.id}")
    page = admin_browser.post(f"/admin/users/{learner.id}/reset-password", form_page=f"/admin/users/{learner.id}")
    one_time = re.search(r'<p class="one-time"><code>([^<]+)</code>', page.get_data(as_text=True)).group(1)
    admin_browser.post(
        f"/admin/users/{counselor.id}/role", {"role": "facilitator"}, form_page=f"/admin/users/{counselor.id}"
    )

    secrets = {PASSWORD, "a wrong password!", one_time, cookie}
    secrets |= {c for a in attempt.answers for c in a.choice_ids.split(",")} | {a.question_id for a in attempt.answers}
    actions = set()
    for row in all_rows():
        actions.add(row.action)
        values = [str(getattr(row, column.name)) for column in AuditEvent.__table__.columns]
        for value in values:
            assert not any(secret in value.split() or (len(secret) > 6 and secret in value) for secret in secrets), (
                value
            )
    assert {audit.LOGIN, audit.LOGIN_FAILED, audit.RECORD_VIEWED, audit.PASSWORD_RESET, audit.ROLE_CHANGED} <= actions
    change = db.session.scalar(select(AuditEvent).where(AuditEvent.action == audit.ROLE_CHANGED))
    assert (change.actor_id, change.subject_id, change.detail) == (admin.id, counselor.id, "counselor -> facilitator")


# --- The admin's log ---------------------------------------------------------------------------------


@pytest.fixture
def history(app, admin):
    """A counselor, two learners and a handful of events on known days (UTC)."""
    counselor, sam, kim = (
        make_user("counselor", username="dana"),
        make_user("learner", username="sam"),
        make_user("learner"),
    )
    day = datetime(2025, 5, 10, 14, 30, 5, tzinfo=UTC)
    db.session.execute(
        insert(AuditEvent),
        [
            event(audit.LOGIN, day - timedelta(days=3), counselor, counselor.id),
            event(audit.RECORD_VIEWED, day - timedelta(days=2), counselor, sam.id, "record"),
            event(audit.RECORD_VIEWED, day - timedelta(days=1), counselor, kim.id, "record"),
            event(audit.CASELOAD_ADDED, day, admin, sam.id, f"learner; counselor {counselor.id}"),
            event(audit.LOGIN_FAILED, day + timedelta(days=1), None, None),
        ],
    )
    db.session.commit()
    return dict(counselor=counselor, sam=sam, kim=kim, day=day)


def test_the_log_lists_events_newest_first_with_utc_times_and_names(admin_browser, history, admin):
    rows = log_rows(admin_browser.get("/admin/audit").get_data(as_text=True))
    mine = [r for r in rows if r[1] != "Login" or "dana" in r[3]]  # the admin's own sign-in is listed too
    assert [r[1] for r in mine][:5] == ["Login failed", "Caseload added", "Record viewed", "Record viewed", "Login"]
    added = next(r for r in rows if r[1] == "Caseload added")
    assert added[0] == "2025-05-10 14:30:05"
    assert added[3] == f"{admin.username} (#{admin.id}, admin)"
    assert added[4] == f"sam (#{history['sam'].id})"
    assert added[5] == f"learner; counselor {history['counselor'].id}"
    assert next(r for r in rows if r[1] == "Login failed")[3:5] == ["nobody signed in", "none"]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("action=record_viewed", ["Record viewed", "Record viewed"]),
        ("actor=dana", ["Record viewed", "Record viewed", "Login"]),
        ("actor=DANA&action=login", ["Login"]),
        ("subject=sam", ["Caseload added", "Record viewed"]),
        ("since=2025-05-08&until=2025-05-09", ["Record viewed", "Record viewed"]),
        ("since=2025-05-10&until=2025-05-10", ["Caseload added"]),
        ("until=2025-05-07", ["Login"]),
        ("subject=nobody-known", []),
    ],
)
def test_the_log_filters_by_action_actor_subject_and_date(admin_browser, history, query, expected):
    page = admin_browser.get(f"/admin/audit?{query}").get_data(as_text=True)
    assert [r[1] for r in log_rows(page) if not r[0].startswith(datetime.now(UTC).strftime("%Y-%m-%d"))] == expected


def test_actor_and_subject_can_be_given_as_account_numbers(admin_browser, history):
    by_id = log_rows(admin_browser.get(f"/admin/audit?actor={history['counselor'].id}").get_data(as_text=True))
    by_name = log_rows(admin_browser.get("/admin/audit?actor=dana").get_data(as_text=True))
    assert by_id == by_name and len(by_id) == 3
    about = log_rows(admin_browser.get(f"/admin/audit?subject={history['kim'].id}").get_data(as_text=True))
    assert [r[1] for r in about] == ["Record viewed"]


def test_an_event_about_a_deleted_account_keeps_its_number(admin_browser, history):
    kim_id = history["kim"].id
    db.session.execute(delete(User).where(User.id == kim_id))
    db.session.commit()
    rows = log_rows(admin_browser.get(f"/admin/audit?subject={kim_id}").get_data(as_text=True))
    assert [r[4] for r in rows] == [f"#{kim_id} (no such account)"]


@pytest.mark.parametrize(
    "query, valid_part, message",
    [
        ("since=2025-05-10&until=2025-05-01", "since=2025-05-10", "The end date must be on or after the start date."),
        ("since=yesterday", "", "Enter the date as year-month-day, for example 2030-06-30."),
        ("until=9999-12-31", "", "Enter a date between 2000 and 2999."),  # the day after was a 500
        ("action=%20", "", "Not a valid choice."),  # Optional() used to clear this error
        ("action=drop_tables", "", "Not a valid choice."),
        ("actor=" + "x" * 41 + "&action=login", "action=login", "Use at most 40 characters."),
    ],
)
def test_bad_filters_are_shown_as_errors_and_left_out(admin_browser, history, query, valid_part, message):
    response = admin_browser.get(f"/admin/audit?{query}")
    page = unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    assert 'class="error-summary"' in page and message in page
    expected = log_rows(admin_browser.get(f"/admin/audit?{valid_part}").get_data(as_text=True))
    assert log_rows(page) == expected


def test_the_log_is_paged_and_keeps_filters_in_the_pager(admin_browser, admin):
    start = datetime(2025, 1, 1, tzinfo=UTC)
    db.session.execute(
        insert(AuditEvent),
        [event(audit.RECORD_VIEWED, start + timedelta(minutes=n), admin, 1, f"n{n}") for n in range(60)],
    )
    db.session.commit()
    first = admin_browser.get("/admin/audit?action=record_viewed").get_data(as_text=True)
    assert [r[5] for r in log_rows(first)][:2] == ["n59", "n58"] and len(log_rows(first)) == 50
    assert 'href="/admin/audit?page=2&amp;action=record_viewed"' in first
    second = admin_browser.get("/admin/audit?page=2&action=record_viewed").get_data(as_text=True)
    assert [r[5] for r in log_rows(second)] == [f"n{n}" for n in range(9, -1, -1)]


@pytest.mark.parametrize("role", ["learner", "facilitator", "counselor"])
def test_only_admins_read_the_log(browser, role):
    user = make_user(role)
    browser.login(user.username)
    assert browser.get("/admin/audit").status_code == 403


def test_the_admin_nav_links_to_the_log(admin_browser):
    assert 'href="/admin/audit"' in admin_browser.get("/admin/").get_data(as_text=True)


# --- The learner's "who has seen my record" ---------------------------------------------------------

LOOK = re.compile(r'<tr><th scope="row">([^<]+)</th><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>')


def looks(page: str) -> list[tuple[str, ...]]:
    return [tuple(unescape(cell) for cell in row) for row in LOOK.findall(page)]


def test_a_learner_sees_every_look_at_their_record_with_who_role_when_and_what(new_browser):
    module = get_course().modules[0]
    learner = make_user("learner")
    counselor, _ = counselor_with_cohort(learner)
    counselor.display_name = "Dana Counselor"
    db.session.commit()
    attempt = take(learner, module, QUIZ)
    staff = new_browser()
    staff.login(counselor.username)
    staff.get(f"/counsel/learners/{learner.id}")
    staff.get(f"/counsel/learners/{learner.id}/attempts/{attempt.id}")
    other = make_user("learner")
    db.session.add(
        AuditEvent(
            action=audit.RECORD_VIEWED,
            actor_id=counselor.id,
            actor_role="counselor",
            subject_id=other.id,
            detail="record",
        )
    )
    db.session.commit()

    me = new_browser()
    me.login(learner.username)
    me.post("/learn/data/export.json", form_page="/learn/data")  # their own export is not someone else's look
    page = me.get("/learn/data/access-log").get_data(as_text=True)

    listed = looks(page)
    assert [row[1:] for row in listed] == [
        ("Dana Counselor", "Counselor", f"Your answers in the quiz of “{module.title}”"),
        ("Dana Counselor", "Counselor", "Your record: progress, scores, answers summary and myths"),
    ]
    assert all(re.fullmatch(r"\d\d \w{3} \d{4}, \d\d:\d\d", row[0]) for row in listed)
    assert 'href="/learn/data/access-log"' in me.get("/learn/data").get_data(as_text=True)


def test_the_learners_access_log_is_paged_and_names_deleted_accounts(new_browser):
    learner = make_user("learner")
    gone = make_user("counselor")
    start = datetime(2025, 2, 1, tzinfo=UTC)
    db.session.execute(
        insert(AuditEvent),
        [event(audit.RECORD_VIEWED, start + timedelta(hours=n), gone, learner.id, "record") for n in range(30)],
    )
    db.session.execute(delete(User).where(User.id == gone.id))
    db.session.commit()
    me = new_browser()
    me.login(learner.username)

    first = me.get("/learn/data/access-log").get_data(as_text=True)
    second = me.get("/learn/data/access-log?page=2").get_data(as_text=True)

    assert len(looks(first)) == 25 and len(looks(second)) == 5
    assert looks(first)[0][0] == "02 Feb 2025, 05:00" and looks(second)[-1][0] == "01 Feb 2025, 00:00"
    assert {row[1:3] for row in looks(first)} == {("a deleted account", "Counselor")}
    assert 'href="/learn/data/access-log?page=2"' in first


def test_a_learner_with_no_looks_is_told_so(browser, learner):
    browser.login(learner.username)
    assert "Nobody else has looked at your record." in browser.get("/learn/data/access-log").get_data(as_text=True)


@pytest.mark.parametrize("url", ["/admin/audit?page=99999999999999999999999", "/admin/audit?page=-1"])
def test_odd_page_numbers_never_break_the_log(admin_browser, url):
    assert admin_browser.get(url).status_code == 200


def test_odd_page_numbers_never_break_the_learners_access_log(browser, learner):
    browser.login(learner.username)
    assert browser.get("/learn/data/access-log?page=99999999999999999999999").status_code == 200
