""" "Delete my data" erases: no username or password hash left in the SQLite files (main file and its
write-ahead log), and no client address in the audit rows that are kept."""

from pathlib import Path

import pytest
from sqlalchemy import or_, select

from course.extensions import db
from course.models import AuditEvent, User

from .factories import PASSWORD, attach_counselor, make_cohort, make_user
from .support import TEST_DATABASE_URL

USERNAME = "zanzibar-quokka-77"


def database_files(app) -> list[Path]:
    main = Path(db.engine.url.database)
    return [main, main.with_name(main.name + "-wal")]


def traces(app, *secrets: bytes) -> dict[str, list[bytes]]:
    """Which of `secrets` each SQLite file holds, byte for byte (free pages and log frames included)."""
    found = {}
    for path in database_files(app):
        data = path.read_bytes() if path.exists() else b""
        found[path.name] = [s for s in secrets if s in data]
    return found


@pytest.fixture
def leaving(app, browser, new_browser, counselor):
    """A learner with sign-ins, a failed sign-in, a counselor's look and a cohort; signed in on `browser`."""
    learner = make_user("learner", username=USERNAME)
    make_cohort(members=(learner,))
    attach_counselor(counselor, learner=learner)
    browser.login(USERNAME, "not the password at all")
    browser.login(USERNAME)
    staff = new_browser()
    staff.login(counselor.username)
    assert staff.get(f"/counsel/learners/{learner.id}").status_code == 200
    return learner


def delete(browser):
    response = browser.post("/learn/data/delete", {"username": USERNAME, "password": PASSWORD})
    assert response.status_code == 303


def test_the_kept_audit_rows_about_the_deleted_learner_hold_no_address(app, browser, new_browser, leaving, counselor):
    learner_id = leaving.id
    other = make_user("learner")
    new_browser().login(other.username)
    about = or_(AuditEvent.actor_id == learner_id, AuditEvent.subject_id == learner_id)
    assert set(db.session.scalars(select(AuditEvent.client).where(about))) == {"127.0.0.1"}

    delete(browser)

    kept = db.session.execute(select(AuditEvent.action, AuditEvent.client).where(about)).all()
    assert {action for action, _ in kept} >= {"login", "login_failed", "record_viewed", "account_deleted"}
    assert {client for _, client in kept} == {None}
    # Everyone else's rows keep theirs.
    assert db.session.scalar(select(AuditEvent.client).where(AuditEvent.actor_id == other.id)) == "127.0.0.1"
    assert (
        db.session.scalar(
            select(AuditEvent.client).where(AuditEvent.actor_id == counselor.id, AuditEvent.action == "login")
        )
        == "127.0.0.1"
    )


@pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="SQLite files; PostgreSQL keeps its own storage (docs/security.md)")
def test_no_trace_of_the_username_or_password_hash_in_the_database_file_or_its_wal(app, browser, leaving):
    password_hash = db.session.scalar(select(User.password_hash).where(User.id == leaving.id)).encode()
    secrets = (USERNAME.encode(), password_hash)
    before = traces(app, *secrets)
    assert any(before.values()), before  # the test can see them while the account exists

    delete(browser)

    assert traces(app, *secrets) == {path.name: [] for path in database_files(app)}
    assert db.session.scalar(select(User.id).where(User.username == USERNAME)) is None


@pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="a SQLite setting")
def test_every_sqlite_connection_zeroes_what_it_deletes(app):
    """secure_delete, set by the app: SQLite's own default depends on how it was built (Debian's is on,
    others are off, and then freed pages keep the deleted rows' bytes)."""
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
