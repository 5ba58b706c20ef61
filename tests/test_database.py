"""SQLite write transactions: BEGIN IMMEDIATE waits for the lock in short steps, within the busy timeout."""

import sqlite3
import threading

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from course.database import write_transaction
from course.extensions import db

from .support import TEST_DATABASE_URL, make_app

pytestmark = pytest.mark.skipif(TEST_DATABASE_URL is not None, reason="SQLite's write lock")


def _busy_timeout() -> int:
    return db.session.execute(text("PRAGMA busy_timeout")).scalar_one()


def _hold_write_lock(path: str, seconds: float, started: threading.Event) -> None:
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    started.set()
    threading.Event().wait(seconds)
    other.execute("ROLLBACK")
    other.close()


def _database_path(app) -> str:
    return db.engine.url.database


def test_a_writer_waits_for_another_and_keeps_its_busy_timeout(app):
    configured = app.config["SQLITE_BUSY_TIMEOUT_MS"]
    assert _busy_timeout() == configured
    started = threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(_database_path(app), 0.3, started))
    holder.start()
    started.wait(5)
    with write_transaction():
        db.session.execute(text("CREATE TABLE waited (id INTEGER)"))
    holder.join()
    assert db.session.execute(text("SELECT count(*) FROM sqlite_master WHERE name = 'waited'")).scalar_one() == 1
    assert _busy_timeout() == configured  # the retries ran with 0 and put the setting back


def test_past_the_busy_timeout_the_write_fails_as_locked_and_changes_nothing(tmp_path):
    app = make_app(tmp_path, SQLITE_BUSY_TIMEOUT_MS=200)
    with app.app_context():
        _write_while_locked_for_longer(app)
        db.session.remove()
        db.engine.dispose()


def _write_while_locked_for_longer(app) -> None:
    started = threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(_database_path(app), 1.0, started))
    holder.start()
    started.wait(5)
    try:
        with pytest.raises(OperationalError, match="locked"), write_transaction():
            db.session.execute(text("CREATE TABLE never (id INTEGER)"))
    finally:
        holder.join()
    assert db.session.execute(text("SELECT count(*) FROM sqlite_master WHERE name = 'never'")).scalar_one() == 0


def test_each_connection_keeps_a_page_cache_of_one_mebibyte(app):
    """Worker memory (docs/performance.md, "Memory"): SQLite's own default is 2 MiB a connection."""
    assert db.session.execute(text("PRAGMA cache_size")).scalar_one() == -1000
