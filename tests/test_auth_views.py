"""Signing in and out, joining with a code, changing a password: every account flow."""

from io import BytesIO

import pytest
from sqlalchemy import func, select

from course.extensions import db
from course.models import AuditEvent, CohortMember, User, UserSession

from .factories import PASSWORD, make_cohort, make_user

FAILURE = "That username and password did not match"


@pytest.mark.parametrize(
    "role, home",
    [
        ("learner", "/learn/"),
        ("facilitator", "/facilitate/"),
        ("counselor", "/counsel/"),
        ("admin", "/admin/"),
    ],
)
def test_each_role_signs_in_to_its_home_page(browser, role, home):
    user = make_user(role)
    response = browser.login(user.username)
    assert response.status_code == 302
    assert response.headers["Location"] == home
    assert browser.get(home).status_code == 200


def test_username_is_not_case_sensitive(browser, learner):
    assert browser.login(learner.username.upper()).status_code == 302


@pytest.mark.parametrize(
    "username, password",
    [
        ("nobody-here", PASSWORD),  # unknown user
        ("USER", "wrong password entirely"),  # wrong password (USER replaced below)
        ("INACTIVE", PASSWORD),  # deactivated account
    ],
)
def test_every_failed_sign_in_gets_the_same_message(browser, username, password):
    make_user("learner", username="user")
    make_user("learner", username="inactive", active=False)
    response = browser.login(username.lower(), password)
    assert response.status_code == 200
    assert FAILURE in response.get_data(as_text=True)
    assert browser.get("/learn/").status_code == 302
    assert (
        db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "login_failed")) == 1
    )


def test_sign_in_goes_to_a_local_next_page_but_never_off_site(browser, learner):
    assert (
        browser.post(
            "/auth/login?next=/auth/password",
            {"username": learner.username, "password": PASSWORD},
            form_page="/auth/login",
        ).headers["Location"]
        == "/auth/password"
    )
    browser.logout()
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example", "/%0D%0ASet-Cookie:%20x=1"):
        response = browser.post(
            f"/auth/login?next={target}", {"username": learner.username, "password": PASSWORD}, form_page="/auth/login"
        )
        assert response.headers["Location"] == "/learn/"
        browser.logout()


def test_a_file_sent_in_the_sign_in_form_is_refused_with_a_message(browser, learner):
    token = browser.token("/auth/login")
    response = browser.client.post(
        "/auth/login",
        data={"csrf_token": token, "password": PASSWORD, "username": (BytesIO(learner.username.encode()), "name.txt")},
    )
    assert response.status_code == 400  # was a 500
    assert "This site does not take files" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(UserSession)) == 0


def test_sign_in_issues_a_new_session_and_the_old_cookie_is_anonymous(app, browser, learner):
    browser.get("/auth/login")
    before = browser.client.get_cookie("course_session")
    browser.login(learner.username)
    after = browser.client.get_cookie("course_session")
    assert after is not None and (before is None or before.value != after.value)
    assert db.session.scalar(select(func.count()).select_from(UserSession)) == 1


def test_sign_out_ends_the_session_on_the_server_so_a_replayed_cookie_is_refused(app, browser, learner):
    browser.login(learner.username)
    stolen = browser.client.get_cookie("course_session").value
    response = browser.logout()
    assert response.status_code == 302
    assert '"cache"' in response.headers["Clear-Site-Data"]
    replay = app.test_client()
    replay.set_cookie("course_session", stolen)
    assert replay.get("/learn/").status_code == 302
    assert db.session.scalar(select(UserSession.revoked_reason)) == "logout"


def test_sign_out_is_post_only(browser, learner):
    browser.login(learner.username)
    assert browser.get("/auth/logout").status_code == 405
    assert browser.get("/learn/").status_code == 200


def test_join_with_a_code_creates_a_learner_in_that_cohort(browser):
    cohort = make_cohort()
    response = browser.post(
        "/auth/join",
        {
            "code": cohort.join_code.lower(),
            "username": " New.Person ",
            "password": "a sunny walk by the river",
            "confirm": "a sunny walk by the river",
        },
    )
    assert response.status_code == 302 and response.headers["Location"] == "/learn/"
    user = db.session.scalar(select(User).where(User.username == "new.person"))
    assert user.role == "learner" and user.email is None
    assert db.session.scalar(select(CohortMember.cohort_id).where(CohortMember.learner_id == user.id)) == cohort.id
    assert browser.get("/learn/").status_code == 200


def test_the_join_link_fills_in_the_code(browser):
    cohort = make_cohort()
    page = browser.get(f"/auth/join/{cohort.join_code}").get_data(as_text=True)
    assert f'value="{cohort.join_code}"' in page


@pytest.mark.parametrize(
    "change, message",
    [
        ({"code": "AAAA-BBBB-CCCC"}, "join code is not valid"),
        ({"code": ""}, "Enter the join code"),
        ({"username": "x"}, "3–40 letters"),
        ({"username": "bad name!"}, "3–40 letters"),
        ({"username": "taken-name"}, "taken"),
        ({"username": "y" * 41}, "at most 40"),
        ({"password": "short", "confirm": "short"}, "at least 12"),
        ({"password": "password123456", "confirm": "password123456"}, "too common"),
        ({"confirm": "something else entirely"}, "do not match"),
        ({"password": "z" * 129, "confirm": "z" * 129}, "at most 128"),
    ],
)
def test_join_refuses_bad_input_with_a_clear_message_and_creates_nothing(browser, change, message):
    cohort = make_cohort()
    make_user("learner", username="taken-name")
    users_before = db.session.scalar(select(func.count()).select_from(User))
    data = {
        "code": cohort.join_code,
        "username": "fresh-name",
        "password": "a sunny walk by the river",
        "confirm": "a sunny walk by the river",
        **change,
    }
    response = browser.post("/auth/join", data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(User)) == users_before


def test_an_archived_cohort_or_switched_off_code_cannot_be_joined(browser):
    from course.models import utcnow

    archived = make_cohort(archived_at=utcnow())
    response = browser.post(
        "/auth/join",
        {
            "code": archived.join_code,
            "username": "someone-new",
            "password": "a sunny walk by the river",
            "confirm": "a sunny walk by the river",
        },
    )
    assert "join code is not valid" in response.get_data(as_text=True)


def test_change_password_needs_the_current_one(browser, learner):
    browser.login(learner.username)
    response = browser.post(
        "/auth/password",
        {
            "current": "not my password at all",
            "password": "a brand new passphrase",
            "confirm": "a brand new passphrase",
        },
    )
    assert "current password is not right" in response.get_data(as_text=True)
    browser.logout()
    assert browser.login(learner.username).status_code == 302


def test_change_password_ends_every_other_session(app, browser, new_browser, learner):
    other_device = new_browser()
    other_device.login(learner.username)
    browser.login(learner.username)
    response = browser.post(
        "/auth/password",
        {"current": PASSWORD, "password": "a brand new passphrase", "confirm": "a brand new passphrase"},
    )
    assert response.status_code == 302
    assert browser.get("/learn/").status_code == 200  # this browser got a fresh session
    assert other_device.get("/learn/").status_code == 302  # the other one is signed out
    browser.logout()
    assert browser.login(learner.username).status_code == 200  # the old password no longer works
    assert browser.login(learner.username, "a brand new passphrase").status_code == 302


def test_a_one_time_password_must_be_changed_before_anything_else(browser):
    user = make_user("counselor", must_change_password=True)
    browser.login(user.username)
    response = browser.get("/counsel/")
    assert response.status_code == 302 and response.headers["Location"] == "/auth/password"
    browser.post(
        "/auth/password", {"current": PASSWORD, "password": "my own new passphrase", "confirm": "my own new passphrase"}
    )
    assert browser.get("/counsel/").status_code == 200


def test_signing_in_audits_success_and_failure_without_secrets(browser, learner):
    browser.login(learner.username, "a wrong password here")
    browser.login(learner.username)
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [(e.action, e.subject_id, e.outcome) for e in events] == [
        ("login_failed", learner.id, "denied"),
        ("login", learner.id, "ok"),
    ]
    for event in events:
        assert "password" not in event.detail and event.occurred_at.utcoffset().total_seconds() == 0


@pytest.mark.parametrize(
    "data, message",
    [
        ({}, "Enter your username."),
        ({"username": "someone"}, "Enter your password."),
        ({"password": "x" * 20}, "Enter your username."),
        ({"username": "u" * 41, "password": "x" * 20}, "Use at most 40 characters."),
        ({"username": "someone", "password": "x" * 129}, "Use at most 128 characters."),
        ({"username": ["a", "b"], "password": "x" * 20}, FAILURE),
        ({"username": "\xff\u202e", "password": "x" * 20}, FAILURE),
    ],
)
def test_bad_sign_in_input_gets_a_clear_message_and_changes_nothing(browser, data, message):
    response = browser.post("/auth/login", data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(UserSession)) == 0


@pytest.mark.parametrize("field", ["username", "password"])
def test_a_nul_character_in_a_form_is_a_bad_request_on_every_database(browser, learner, field):
    data = {"username": learner.username, "password": PASSWORD, field: "abc\x00def"}
    response = browser.post("/auth/login", data)
    assert response.status_code == 400 and "Something was wrong with that request" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(UserSession)) == 0
