"""Faults the app survives with nothing lost: every answer the learner saw accepted is stored exactly
once, and nothing is half-written (docs/performance.md, "Faults"; the research's fault list F1–F3, F11).

Runs on SQLite by default and on PostgreSQL when TEST_DATABASE_URL is set. Some tests start a real
gunicorn (gunicorn.conf.py, 2 sync workers) on 127.0.0.1 against the test's database, or another
process holding a lock, or their own redis-server; all are stopped in `finally` blocks.

Redis down from the start is tests/test_rate_limit_redis.py's
test_with_redis_down_the_site_serves_and_still_limits_per_process; here Redis dies mid-burst.
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
import redis
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from bench.common import free_port, http_request
from course.content import get_course
from course.extensions import db, limiter
from course.models import QUIZ, AttemptAnswer, QuizAttempt
from course.services import attempts

from . import actions, quiz_helpers
from .factories import make_user
from .fault_helpers import (
    LiveServer,
    LockHolder,
    before_submit_commits,
    checked_choices,
    form_body,
    remove_listeners,
    sign_in,
)
from .support import TEST_DATABASE_URL, Browser, make_app

ON_POSTGRES = TEST_DATABASE_URL is not None


def _open_quiz(learner):
    module = get_course().modules[0]
    return module, actions.start_attempt(learner, module, QUIZ)


def _submit_path(attempt) -> str:
    return f"/learn/attempts/{attempt.id}/submit"


def _assert_submitted_once(learner, attempt, module, score: float = 100.0) -> None:
    """Exactly one submitted attempt for the learner: this one, graded, with an answer to every question."""
    db.session.rollback()  # a fresh snapshot: what the server committed since
    submitted = db.session.scalars(
        select(QuizAttempt).where(QuizAttempt.learner_id == learner.id, QuizAttempt.submitted_at.is_not(None))
    ).all()
    assert [a.id for a in submitted] == [attempt.id]
    assert submitted[0].score == score
    graded = db.session.scalar(
        select(func.count())
        .select_from(AttemptAnswer)
        .where(AttemptAnswer.attempt_id == attempt.id, AttemptAnswer.correct.is_not(None))
    )
    assert graded == len(module.quiz.questions)


def _assert_untouched(attempt, draft: dict | None = None) -> None:
    """The failed submit wrote nothing: not submitted, not graded, the earlier draft as it was."""
    db.session.rollback()
    stored = db.session.get(QuizAttempt, attempt.id)
    assert stored.submitted_at is None and stored.score is None
    assert attempts.saved_answers(stored) == (draft or {})
    assert all(answer.correct is None for answer in stored.answers)
    if db.engine.dialect.name == "sqlite":
        assert db.session.execute(text("PRAGMA integrity_check")).scalar() == "ok"


# --- F1: two processes writing at once ------------------------------------------------------------


def test_a_submit_waits_for_another_process_writing_and_then_goes_through(app, browser, learner):
    """On SQLite the other process holds the database's write lock; on PostgreSQL the attempt's row lock."""
    module, attempt = _open_quiz(learner)
    answers = quiz_helpers.answers(attempt, module)
    browser.login(learner.username)
    token = browser.token(f"/learn/attempts/{attempt.id}")
    holder = LockHolder(app.config["SQLALCHEMY_DATABASE_URI"], attempt.id)
    letting_go = threading.Timer(0.5, holder.release)  # the other process commits half a second later
    try:
        letting_go.start()
        response = browser.client.post(
            _submit_path(attempt), data={**quiz_helpers.form(answers, attempt.sequence), "csrf_token": token}
        )
    finally:
        letting_go.join()
        holder.close()
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    assert response.headers["Location"].endswith(f"/learn/attempts/{attempt.id}/result")
    _assert_submitted_once(learner, attempt, module)


@pytest.mark.skipif(
    ON_POSTGRES, reason="SQLite's busy timeout; on PostgreSQL a submit waits for the row lock (the test above)"
)
def test_when_the_write_lock_outlasts_the_busy_timeout_the_learner_gets_503_with_their_answers(tmp_path):
    app = make_app(tmp_path, SQLITE_BUSY_TIMEOUT_MS=300)
    try:
        with app.app_context():
            learner = make_user("learner")
            module, attempt = _open_quiz(learner)
            draft = dict(list(quiz_helpers.answers(attempt, module, right=0).items())[:3])
            actions.save_draft(attempt, draft, attempt.sequence)  # saved earlier, while answering
            answers = quiz_helpers.answers(attempt, module)
            browser = Browser(app.test_client())
            browser.login(learner.username)
            token = browser.token(f"/learn/attempts/{attempt.id}")
            data = {**quiz_helpers.form(answers, attempt.sequence), "csrf_token": token}
            holder = LockHolder(app.config["SQLALCHEMY_DATABASE_URI"], attempt.id)
            try:
                response = browser.client.post(_submit_path(attempt), data=data)
            finally:
                holder.close()
            page = response.get_data(as_text=True)
            assert "database is locked" not in page.lower()
            assert response.status_code == 503
            assert response.headers.get("Retry-After")
            assert checked_choices(page) == answers  # the form comes back with every answer sent
            _assert_untouched(attempt, draft)
            again = browser.client.post(_submit_path(attempt), data=data)  # "Submit" again, a moment later
            assert again.status_code == 303
            _assert_submitted_once(learner, attempt, module)
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


# --- F2: a worker dies in the middle of a submit --------------------------------------------------


def test_an_error_inside_the_submit_transaction_writes_nothing_and_the_retry_submits_once(app, browser, learner):
    module, attempt = _open_quiz(learner)
    browser.login(learner.username)
    token = browser.token(f"/learn/attempts/{attempt.id}")
    data = {**quiz_helpers.form(quiz_helpers.answers(attempt, module), attempt.sequence), "csrf_token": token}

    def die():
        raise RuntimeError("the worker is lost between the writes and the commit")

    listeners = before_submit_commits(die)
    try:
        assert browser.client.post(_submit_path(attempt), data=data).status_code == 500
    finally:
        remove_listeners(listeners)
    _assert_untouched(attempt)
    assert browser.client.post(_submit_path(attempt), data=data).status_code == 303
    _assert_submitted_once(learner, attempt, module)


@pytest.fixture
def live_server(app, tmp_path):
    """gunicorn serving the app on the test's database, until the test ends."""
    server = LiveServer(
        app.config["SQLALCHEMY_DATABASE_URI"], app.config["SECRET_KEY"], tmp_path, app.config["CONTENT_DIR"]
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()


def test_a_worker_killed_mid_submit_loses_nothing_and_the_resent_form_submits_once(app, learner, live_server):
    module, attempt = _open_quiz(learner)
    cookie, csrf = sign_in(app, learner)
    body = form_body(quiz_helpers.form(quiz_helpers.answers(attempt, module), attempt.sequence), csrf)
    pid_file = Path(f"{live_server.pause_flag}.pid")
    live_server.pause_flag.touch()  # the next submit stops inside its transaction, before the commit
    outcome = {}

    def send():
        try:
            outcome["response"] = http_request(live_server.port, "POST", _submit_path(attempt), cookie, body)
        except (http.client.HTTPException, OSError) as error:
            outcome["error"] = error

    sender = threading.Thread(target=send)
    sender.start()
    try:
        deadline = time.monotonic() + 15
        while not pid_file.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert pid_file.exists(), (
            "the submit never reached its transaction: " + live_server.log_path.read_text()[-1500:]
        )
        worker = int(pid_file.read_text())
        assert worker in live_server.workers()
        os.kill(worker, signal.SIGKILL)
    finally:
        live_server.pause_flag.unlink(missing_ok=True)
        sender.join(timeout=30)
    assert "error" in outcome, outcome  # the learner got no answer: the connection dropped
    _assert_untouched(attempt)
    # The browser sends the same form again (same attempt, same sequence number).
    status, headers, page = http_request(live_server.port, "POST", _submit_path(attempt), cookie, body)
    assert status == 303, page[:500]
    assert headers["Location"].endswith(f"/learn/attempts/{attempt.id}/result")
    assert http_request(live_server.port, "POST", _submit_path(attempt), cookie, body)[0] == 303
    _assert_submitted_once(learner, attempt, module)


# --- F3: the same submit many times at once -------------------------------------------------------


def test_the_same_submit_posted_30_times_at_once_makes_one_attempt(app, learner, live_server):
    module, attempt = _open_quiz(learner)
    cookie, csrf = sign_in(app, learner)
    body = form_body(quiz_helpers.form(quiz_helpers.answers(attempt, module), attempt.sequence), csrf)
    start, replies, errors = threading.Barrier(30), [], []

    def send():
        try:
            start.wait(timeout=10)
            status, headers, _ = http_request(live_server.port, "POST", _submit_path(attempt), cookie, body, timeout=60)
            replies.append((status, headers.get("Location", "")))
        except Exception as error:  # the assertion below shows it
            errors.append(repr(error))

    senders = [threading.Thread(target=send) for _ in range(30)]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join(timeout=60)
    assert errors == []
    assert sorted(status for status, _ in replies) == [303] * 30
    assert {location.rsplit("/learn", 1)[-1] for _, location in replies} == {f"/attempts/{attempt.id}/result"}
    _assert_submitted_once(learner, attempt, module)


# --- PostgreSQL restarted between two requests ----------------------------------------------------


def _postgres_cluster() -> tuple[str, str]:
    """The local cluster TEST_DATABASE_URL points at, as (version, name); skips when there is none to restart."""
    if not ON_POSTGRES:
        pytest.skip("PostgreSQL only: set TEST_DATABASE_URL")
    if not (shutil.which("pg_ctlcluster") and shutil.which("pg_lsclusters")):
        pytest.skip("pg_ctlcluster is not available to restart PostgreSQL")
    url = make_url(TEST_DATABASE_URL)
    if url.host not in (None, "127.0.0.1", "localhost"):
        pytest.skip("PostgreSQL is not on this machine")
    listing = subprocess.run(["pg_lsclusters", "--no-header"], capture_output=True, text=True, timeout=30).stdout
    for line in listing.splitlines():
        version, name, port, *_ = line.split()
        if int(port) == (url.port or 5432):
            return version, name
    pytest.skip(f"no local cluster on port {url.port or 5432}")


def _pg_ctl(version: str, name: str, action: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, action],
        capture_output=True,
        text=True,
        timeout=120,
    )


def _ensure_running(version: str, name: str) -> None:
    status = _pg_ctl(version, name, "status")
    if status.returncode != 0:  # 3: not running
        _pg_ctl(version, name, "start")


def test_after_postgresql_restarts_the_next_request_succeeds(app, browser, learner):
    version, name = _postgres_cluster()
    module = get_course().modules[0]
    browser.login(learner.username)
    assert browser.get("/learn/").status_code == 200
    try:
        restarted = _pg_ctl(version, name, "restart")
        if restarted.returncode != 0:
            pytest.skip(f"could not restart PostgreSQL: {restarted.stderr.strip() or restarted.stdout.strip()}")
        # Every pooled connection died with the server; pool_pre_ping replaces them unseen.
        assert browser.get("/learn/").status_code == 200
        started = browser.post(f"/learn/modules/{module.id}/quiz/start", form_page=f"/learn/modules/{module.id}/quiz")
        assert started.status_code == 303
        assert browser.get("/healthz").get_json() == {"status": "ok"}
    finally:
        _ensure_running(version, name)


# --- F11: Redis dies in the middle of a login burst -----------------------------------------------


def test_when_redis_dies_mid_burst_logins_stay_limited_and_pages_keep_serving(tmp_path):
    server_binary = shutil.which("redis-server")
    if server_binary is None:
        pytest.skip("redis-server is not installed (the suite starts its own, to stop it)")
    port = free_port()
    redis_process = subprocess.Popen(
        [server_binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = redis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=1)
    app = None
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.exceptions.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        limiter._storage_dead = False  # see tests/test_rate_limit_redis.py: state kept across apps in one process
        app = make_app(tmp_path, RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{port}/0")
        with app.app_context():
            target, reader = make_user("learner"), make_user("learner")
            signed_in = Browser(app.test_client())
            signed_in.login(reader.username)
            guesser = Browser(app.test_client())

            def fail_login() -> int:
                token = guesser.token("/auth/login")
                return guesser.client.post(
                    "/auth/login",
                    data={"username": target.username, "password": "not the password at all", "csrf_token": token},
                ).status_code

            assert [fail_login() for _ in range(5)] == [200] * 5
            assert client.keys("*"), "the counters were not in Redis"
            redis_process.kill()
            redis_process.wait(timeout=10)
            assert signed_in.get("/learn/").status_code == 200
            assert guesser.get("/auth/login").status_code == 200
            # The limits go on in this process's memory: ten more tries, then refused.
            assert [fail_login() for _ in range(11)] == [200] * 10 + [429]
            assert signed_in.get("/learn/").status_code == 200
    finally:
        client.close()
        if redis_process.poll() is None:
            redis_process.kill()
        redis_process.wait(timeout=10)
        limiter._storage_dead = False
        if app is not None:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
