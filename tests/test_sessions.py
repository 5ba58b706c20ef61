"""Server-side sessions: timeouts, revocation on deactivation and role change, cookie flags."""

from datetime import timedelta

import time_machine
from sqlalchemy import select

from course.extensions import db
from course.models import UserSession, utcnow
from course.services import accounts

from .factories import make_user


def test_an_idle_session_ends_after_30_minutes_with_a_clear_message(browser, learner):
    browser.login(learner.username)
    with time_machine.travel(utcnow() + timedelta(minutes=29)):
        assert browser.get("/learn/").status_code == 200
    with time_machine.travel(utcnow() + timedelta(minutes=29 + 31)):
        response = browser.get("/learn/")
        assert response.status_code == 302 and response.headers["Location"].startswith("/auth/login")
        page = browser.get(response.headers["Location"]).get_data(as_text=True)
        assert "30 minutes without activity" in page
    assert db.session.scalar(select(UserSession.revoked_reason)) == "idle"


def test_a_session_ends_after_12_hours_even_when_active(browser, learner):
    browser.login(learner.username)
    start = utcnow()
    for minutes in range(20, 12 * 60, 20):
        with time_machine.travel(start + timedelta(minutes=minutes)):
            assert browser.get("/learn/").status_code == 200
    with time_machine.travel(start + timedelta(hours=12, minutes=1)):
        assert browser.get("/learn/").status_code == 302
    assert db.session.scalar(select(UserSession.revoked_reason)) == "expired"


def test_deactivation_ends_the_persons_sessions_at_their_next_request(app, browser, learner, admin):
    browser.login(learner.username)
    with app.test_request_context():
        accounts.set_active(learner, False, by=admin)
        db.session.commit()
    assert browser.get("/learn/").status_code == 302
    assert browser.login(learner.username).status_code == 200  # and cannot sign in again


def test_a_role_change_ends_the_persons_sessions(app, browser, admin):
    staff = make_user("facilitator")
    browser.login(staff.username)
    with app.test_request_context():
        accounts.change_role(staff, "counselor", by=admin)
        db.session.commit()
    assert browser.get("/facilitate/").status_code == 302
    browser.login(staff.username)
    assert browser.get("/counsel/").status_code == 200
    assert browser.get("/facilitate/").status_code == 403


def test_the_cookie_is_http_only_and_same_site_lax(browser, learner):
    response = browser.login(learner.username)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_the_cookie_holds_no_user_id(app, browser, learner):
    browser.login(learner.username)
    value = browser.client.get_cookie("course_session").value
    with app.test_request_context():
        data = app.session_interface.get_signing_serializer(app).loads(value)
    assert str(learner.id) != data["_user_id"] and len(data["_user_id"]) >= 40


def test_the_cookie_is_secure_when_configured(tmp_path):
    from .support import make_app

    app = make_app(tmp_path, SESSION_COOKIE_SECURE=True)
    with app.app_context():
        user = make_user("learner")
        from .support import Browser

        response = Browser(app.test_client()).login(user.username)
        assert "Secure" in response.headers["Set-Cookie"]
        db.session.remove()
        db.engine.dispose()


def test_signing_in_counts_as_activity(browser, learner):
    from course.models import User

    assert learner.last_active_at is None
    browser.login(learner.username)
    assert db.session.get(User, learner.id).last_active_at is not None
