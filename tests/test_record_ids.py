"""A record's audit trail stays with its person: ids are never given twice, and a refused look at an
id nobody has is not written against whoever gets that id later. On SQLite and on PostgreSQL."""

from sqlalchemy import func, select

from course.extensions import db
from course.models import AuditEvent, QuizAttempt, User
from course.services import audit

from .factories import PASSWORD, attach_counselor, make_cohort, make_user


def join(browser, cohort, username):
    """Sign up with the cohort's join code; the new account, signed in."""
    response = browser.post(
        "/auth/join", {"code": cohort.join_code, "username": username, "password": PASSWORD, "confirm": PASSWORD}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.scalar(select(User).where(User.username == username))


def next_id() -> int:
    """The id the next account would get if ids were reused: one more than the highest now."""
    return db.session.scalar(select(func.max(User.id))) + 1


def my_data(browser) -> str:
    return browser.get("/learn/data").get_data(as_text=True) + browser.get("/learn/data/access-log").get_data(
        as_text=True
    )


def test_a_deleted_learners_id_is_not_given_to_the_next_account(app, new_browser, counselor):
    cohort = make_cohort()
    first = new_browser()
    leaving = join(first, cohort, "leaving-learner")
    leaving_id = leaving.id
    assert leaving_id == db.session.scalar(select(func.max(User.id)))  # the highest id: the one SQLite reused
    attach_counselor(counselor, learner=leaving)
    staff = new_browser()
    staff.login(counselor.username)
    assert staff.get(f"/counsel/learners/{leaving_id}").status_code == 200
    response = first.post("/learn/data/delete", {"username": "leaving-learner", "password": PASSWORD})
    assert response.status_code == 303

    newcomer = join(new_browser(), cohort, "newcomer")
    second = new_browser()
    second.login("newcomer")

    assert newcomer.id != leaving_id
    page = my_data(second)
    assert counselor.username not in page and "Looked at your record" not in page
    export = second.post("/learn/data/export.json", form_page="/learn/data").get_json()
    # Only the newcomer's own sign-up and sign-ins, none of the deleted learner's.
    assert {(e["action"], e["by"]) for e in export["audit_events"]} == {(audit.SIGNUP, "you"), (audit.LOGIN, "you")}
    assert len([e for e in export["audit_events"] if e["action"] == audit.LOGIN]) == 2
    # The deleted learner's trail is still there, under the old id alone.
    kept = db.session.scalars(select(AuditEvent.action).where(AuditEvent.subject_id == leaving_id)).all()
    assert {audit.SIGNUP, audit.LOGIN, audit.RECORD_VIEWED, audit.ACCOUNT_DELETED} <= set(kept)


def test_an_attempt_id_is_not_given_twice(app, learner, course):
    module = course.modules[0]
    first = QuizAttempt(learner_id=learner.id, module_id=module.id, kind="quiz", content_version="v", layout=[])
    db.session.add(first)
    db.session.commit()
    first_id = first.id
    db.session.delete(first)
    db.session.commit()
    second = QuizAttempt(learner_id=learner.id, module_id=module.id, kind="quiz", content_version="v", layout=[])
    db.session.add(second)
    db.session.commit()
    assert second.id > first_id


def test_a_refused_look_at_an_id_nobody_has_is_not_shown_to_whoever_gets_it(app, browser, new_browser, counselor):
    cohort = make_cohort()
    make_user("learner")
    browser.login(counselor.username)
    unknown = next_id()
    assert browser.get(f"/counsel/learners/{unknown}").status_code == 404
    assert browser.get(f"/counsel/learners/{unknown}/attempts/1").status_code == 404

    refused = db.session.execute(
        select(AuditEvent.subject_id, AuditEvent.detail, AuditEvent.outcome)
        .where(AuditEvent.action == audit.ACCESS_DENIED)
        .order_by(AuditEvent.id)
    ).all()
    assert refused == [
        (None, f"record, unknown id {unknown}", "denied"),
        (None, f"attempt 1, unknown id {unknown}", "denied"),
    ]

    newcomer_browser = new_browser()
    newcomer = join(newcomer_browser, cohort, "gets-that-id")
    assert newcomer.id == unknown  # the id the counselor tried is now this learner's
    page = my_data(newcomer_browser)
    assert "Tried to open your record" not in page and counselor.username not in page
    export = newcomer_browser.post("/learn/data/export.json", form_page="/learn/data").get_json()
    assert audit.ACCESS_DENIED not in {e["action"] for e in export["audit_events"]}


def test_a_refused_look_at_an_existing_learner_still_names_them(app, browser, counselor, learner):
    browser.login(counselor.username)
    assert browser.get(f"/counsel/learners/{learner.id}").status_code == 404
    assert db.session.execute(
        select(AuditEvent.subject_id, AuditEvent.detail).where(AuditEvent.action == audit.ACCESS_DENIED)
    ).all() == [(learner.id, "record")]
