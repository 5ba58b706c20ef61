"""Quiz answers sent after the learner was signed out (in another tab, or after an idle timeout):
the sign-in page, then every answer back; kept on the server, never in the cookie, never given to
someone else who signs in next on the same browser."""

import json
import re
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from course.extensions import db
from course.models import QuizAttempt, UnsentAnswers, utcnow
from course.services import attempts

from . import actions, quiz_helpers
from .factories import PASSWORD, make_user

JSON = {"Accept": "application/json"}


@pytest.fixture
def quiz(browser, learner, module):
    """The learner signed in on the quiz page of an open attempt: (browser, attempt, url, the page's CSRF token)."""
    browser.login(learner.username)
    attempt = quiz_helpers.start_quiz(browser, module)
    url = f"/learn/attempts/{attempt.id}"
    return browser, attempt, url, browser.token(url)


def first(answers: dict, n: int) -> dict:
    return dict(list(answers.items())[:n])


def cookie_session(app, browser) -> dict:
    """What the browser's session cookie holds, decoded (it is signed, not encrypted: anyone can read it)."""
    value = browser.client.get_cookie("course_session").value
    return app.session_interface.get_signing_serializer(app).loads(value)


def checked(page: str) -> dict:
    pairs = re.findall(r'name="q-([^"]+)" value="([^"]+)"\s+id="[^"]+"\s+checked', page)
    found: dict = {}
    for question, choice in pairs:
        found.setdefault(question, set()).add(choice)
    return {question: frozenset(choices) for question, choices in found.items()}


def test_signing_out_in_another_tab_then_submitting_gives_sign_in_then_every_answer_back(quiz, module, learner):
    browser, attempt, url, token = quiz
    chosen = quiz_helpers.answers(attempt, module)
    saved = browser.client.post(
        f"{url}/draft", data={**quiz_helpers.form(first(chosen, 2), 0), "csrf_token": token}, headers=JSON
    )
    assert saved.get_json() == {"saved": True, "sequence": 1}

    browser.logout()  # the other tab: same browser, same cookie

    # The quiz tab's autosave: a clear reason, not a network error, and its answers are kept.
    autosave = browser.client.post(
        f"{url}/draft", data={**quiz_helpers.form(first(chosen, 3), 1), "csrf_token": token}, headers=JSON
    )
    assert autosave.status_code == 401
    body = autosave.get_json()
    assert body["reason"] == "signed_out" and "you are signed out" in body["message"]
    assert "Submit" in body["message"] and "connection" not in body["message"]
    # Submit with every answer: the sign-in page (not a 400 "form had expired"), which leads back.
    submit = browser.client.post(f"{url}/submit", data={**quiz_helpers.form(chosen, 1), "csrf_token": token})
    assert submit.status_code == 302 and submit.headers["Location"] == f"/auth/login?next={url}"
    assert "Please sign in" in browser.get(submit.headers["Location"]).get_data(as_text=True)
    login = browser.post(
        submit.headers["Location"], {"username": learner.username, "password": PASSWORD}, form_page="/auth/login"
    )
    assert login.headers["Location"] == url

    page = browser.get(url).get_data(as_text=True)
    assert "the answers you sent then are saved below" in page
    assert checked(page) == chosen
    assert attempts.saved_answers(db.session.get(QuizAttempt, attempt.id)) == chosen
    assert db.session.scalar(select(QuizAttempt.submitted_at)) is None  # nothing submitted behind their back
    assert db.session.scalar(select(func.count()).select_from(UnsentAnswers)) == 0


def test_the_kept_answers_are_on_the_server_and_not_in_the_cookie(app, quiz, module):
    browser, attempt, url, token = quiz
    chosen = quiz_helpers.answers(attempt, module)
    browser.logout()
    browser.client.post(f"{url}/submit", data={**quiz_helpers.form(chosen, 0), "csrf_token": token})
    held = json.dumps(cookie_session(app, browser))
    assert not any(question in held for question in chosen)
    kept = db.session.scalars(select(UnsentAnswers)).one()
    assert kept.attempt_id == attempt.id and len(kept.fields) == len(chosen)


def test_after_an_idle_timeout_the_autosaved_answers_come_back_too(quiz, module, learner):
    browser, attempt, url, token = quiz
    chosen = first(quiz_helpers.answers(attempt, module), 4)
    with time_machine.travel(utcnow() + timedelta(minutes=45)):
        autosave = browser.client.post(
            f"{url}/draft", data={**quiz_helpers.form(chosen, 0), "csrf_token": token}, headers=JSON
        )
        assert autosave.status_code == 401 and "Your answers are kept" in autosave.get_json()["message"]
        browser.login(learner.username)
        page = browser.get(url).get_data(as_text=True)
    assert checked(page) == chosen


@pytest.mark.parametrize("how", ["signed out", "idle timeout"])
def test_a_different_learner_signing_in_next_gets_nothing_and_sees_nothing(app, quiz, module, new_browser, how):
    browser, attempt, url, token = quiz
    chosen = quiz_helpers.answers(attempt, module)
    travel = time_machine.travel(utcnow() + timedelta(minutes=45 if how == "idle timeout" else 0))
    with travel:
        if how == "signed out":
            browser.logout()
        response = browser.client.post(f"{url}/submit", data={**quiz_helpers.form(chosen, 0), "csrf_token": token})
        assert response.headers["Location"].startswith("/auth/login")
        someone_else = make_user("learner")
        assert browser.login(someone_else.username).status_code == 302

        held = json.dumps(cookie_session(app, browser))
        assert not any(question in held for question in chosen)
        assert "unsaved_answers" not in held
        assert db.session.scalar(select(func.count()).select_from(UnsentAnswers)) == 0
        assert browser.get(url).status_code == 404  # not theirs, as before
        # The other learner's own quiz shows none of them.
        start = browser.post(f"/learn/modules/{module.id}/quiz/start", form_page=f"/learn/modules/{module.id}")
        own = browser.get(start.headers["Location"]).get_data(as_text=True)
        assert checked(own) == {} and "the answers you sent then" not in own
    assert attempts.saved_answers(db.session.get(QuizAttempt, attempt.id)) == {}


def test_answers_sent_for_someone_elses_attempt_change_nothing_of_it(app, learner, module, new_browser):
    """Anyone can send a form to any attempt's address while signed out: it is kept for that browser only."""
    owner_attempt = actions.start_attempt(learner, module, "quiz")
    stranger = new_browser()
    token = stranger.token("/auth/login")
    answers = quiz_helpers.answers(owner_attempt, module)
    url = f"/learn/attempts/{owner_attempt.id}"
    assert (
        stranger.client.post(f"{url}/submit", data={**quiz_helpers.form(answers, 0), "csrf_token": token}).status_code
        == 302
    )
    owner = new_browser()
    owner.login(learner.username)
    assert checked(owner.get(url).get_data(as_text=True)) == {}
    stranger.login(make_user("learner").username)
    assert db.session.scalar(select(func.count()).select_from(UnsentAnswers)) == 0
    assert attempts.saved_answers(db.session.get(QuizAttempt, owner_attempt.id)) == {}


def test_an_out_of_date_page_gets_a_message_the_autosave_can_show(quiz, module, learner):
    browser, attempt, url, token = quiz
    browser.logout()
    browser.login(learner.username)  # signed in again elsewhere: the quiz tab's token is from before
    response = browser.client.post(f"{url}/draft", data={**quiz_helpers.form({}, 0), "csrf_token": token}, headers=JSON)
    assert response.status_code == 400
    assert response.get_json()["reason"] == "expired" and "Reload the page" in response.get_json()["message"]


@pytest.mark.parametrize("target", ["submitted", "unknown", "empty"])
def test_nothing_is_kept_for_a_submitted_or_unknown_attempt_or_an_empty_form(app, learner, module, new_browser, target):
    """Sign-in then leads to the page asked for, not back to a quiz; the server keeps nothing."""
    attempt = actions.start_attempt(learner, module, "quiz")
    answers = quiz_helpers.answers(attempt, module)
    if target == "submitted":
        actions.submit(attempt, answers, attempt.sequence, module)
    browser = new_browser()
    token = browser.token("/auth/login")
    attempt_id = 999_999 if target == "unknown" else attempt.id
    form = {} if target == "empty" else quiz_helpers.form(answers, 0)
    response = browser.client.post(f"/learn/attempts/{attempt_id}/submit", data={**form, "csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/auth/login"
    assert db.session.scalar(select(func.count()).select_from(UnsentAnswers)) == 0
