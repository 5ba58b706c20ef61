"""Sign-in rate limits: per account and client, per client; nobody can lock out someone else."""

from datetime import timedelta

import time_machine

from course.models import utcnow

from .factories import PASSWORD


def _fail(browser, username, address="10.0.0.1"):
    token = browser.token("/auth/login")
    return browser.client.post(
        "/auth/login",
        data={"username": username, "password": "wrong password here", "csrf_token": token},
        environ_base={"REMOTE_ADDR": address},
    )


def test_the_eleventh_failure_in_a_minute_gets_429_with_retry_after(browser, learner):
    for _ in range(10):
        assert _fail(browser, learner.username).status_code == 200
    response = _fail(browser, learner.username)
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert "Too many tries" in response.get_data(as_text=True)


def test_the_limit_does_not_lock_the_person_out_from_their_own_device(browser, new_browser, learner):
    for _ in range(11):
        _fail(browser, learner.username, address="10.6.6.6")
    own_device = new_browser()
    token = own_device.token("/auth/login")
    response = own_device.client.post(
        "/auth/login",
        data={"username": learner.username, "password": PASSWORD, "csrf_token": token},
        environ_base={"REMOTE_ADDR": "10.1.1.1"},
    )
    assert response.status_code == 302


def test_after_the_window_the_right_password_works_again(browser, learner):
    for _ in range(11):
        _fail(browser, learner.username)
    with time_machine.travel(utcnow() + timedelta(minutes=2)):
        token = browser.token("/auth/login")
        response = browser.client.post(
            "/auth/login",
            data={"username": learner.username, "password": PASSWORD, "csrf_token": token},
            environ_base={"REMOTE_ADDR": "10.0.0.1"},
        )
        assert response.status_code == 302


def test_a_forged_forwarded_for_header_does_not_change_the_client(browser, learner):
    for number in range(11):
        token = browser.token("/auth/login")
        response = browser.client.post(
            "/auth/login",
            data={"username": learner.username, "password": "wrong password here", "csrf_token": token},
            headers={"X-Forwarded-For": f"192.0.2.{number}"},
        )
    assert response.status_code == 429


def test_password_checks_of_a_signed_in_person_are_limited(browser, learner):
    browser.login(learner.username)
    wrong = {
        "current": "not my password at all",
        "password": "a brand new passphrase",
        "confirm": "a brand new passphrase",
    }
    statuses = [browser.post("/auth/password", wrong).status_code for _ in range(11)]
    assert statuses == [200] * 10 + [429]
    response = browser.post("/learn/data/delete", {"username": learner.username, "password": "still not right"})
    assert response.status_code == 429
