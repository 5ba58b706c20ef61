"""Sign-in checks the password (argon2id, tens of milliseconds) before it takes the write lock, so a
class signing in together does not hold up anyone's quiz submit (on SQLite the lock is database-wide)."""

from __future__ import annotations

import threading

from argon2 import PasswordHasher
from sqlalchemy import select

from course.extensions import db
from course.models import AuditEvent, QuizAttempt, User
from course.services import accounts, audit

from . import quiz_helpers
from .factories import PASSWORD, make_user


def test_a_quiz_submit_goes_through_while_a_sign_in_is_checking_its_password(
    app, learner, module, new_browser, monkeypatch
):
    quizzer = new_browser()
    quizzer.login(learner.username)
    attempt = quiz_helpers.start_quiz(quizzer, module)
    other = make_user("learner")

    checking, release = threading.Event(), threading.Event()
    real_verify = accounts.verify_password

    def verify_slowly(password_hash, password):
        checking.set()  # the sign-in is now inside its password check
        assert release.wait(10), "the submit never finished"
        return real_verify(password_hash, password)

    monkeypatch.setattr(accounts, "verify_password", verify_slowly)
    signer = new_browser()
    token = signer.token("/auth/login")
    outcome = {}

    data = {"username": other.username, "password": PASSWORD, "csrf_token": token}

    def sign_in():
        with app.app_context():  # a thread of its own, as a second server thread would be
            outcome["status"] = signer.client.post("/auth/login", data=data).status_code

    thread = threading.Thread(target=sign_in)
    thread.start()
    try:
        assert checking.wait(10)
        answers = quiz_helpers.answers(attempt, module)
        submitted = quizzer.post(f"/learn/attempts/{attempt.id}/submit", quiz_helpers.form(answers, attempt.sequence))
        # Held up by a sign-in's lock, it would wait out the busy timeout and get a 503 instead.
        assert submitted.status_code == 303
    finally:
        release.set()
        thread.join(10)
    assert outcome["status"] == 302
    db.session.expire_all()
    assert db.session.get(QuizAttempt, attempt.id).submitted_at is not None


def test_a_refused_sign_in_is_audited_and_an_old_hash_is_renewed_on_the_next_good_one(app, browser, learner):
    browser.post("/auth/login", {"username": learner.username, "password": "not the password at all"})
    refused = db.session.scalars(select(AuditEvent).where(AuditEvent.action == audit.LOGIN_FAILED)).all()
    assert [(e.subject_id, e.outcome) for e in refused] == [(learner.id, "denied")]

    weaker = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)
    db.session.execute(User.__table__.update().where(User.id == learner.id).values(password_hash=weaker))
    db.session.commit()
    assert browser.login(learner.username).status_code == 302
    db.session.expire_all()
    renewed = db.session.get(User, learner.id).password_hash
    assert renewed != weaker and not accounts.needs_rehash(renewed)
