"""Database wiring: SQLite pragmas, IMMEDIATE write transactions, the write_transaction helper, WAL checkpoints,
upserts."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from sqlalchemy import event
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from .extensions import db

WRITE_OPTION = "course_write"
BUSY_TIMEOUT_KEY = "course_busy_timeout_ms"
PAGE_CACHE_KIB = 1000


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, connection_record) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # Let SQLAlchemy's begin event emit BEGIN, so writes can ask for IMMEDIATE.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # Deleted rows are overwritten with zeros, freed pages too: a deleted account leaves no
    # username or password hash in the file's free space (only deletions pay for it).
    cursor.execute("PRAGMA secure_delete=ON")
    # 1 MiB of page cache a connection, not SQLite's 2 MiB: a worker holds one connection, and the smaller
    # cache keeps it under its 80 MiB (about 2 MiB less after 4,000 requests) while the operating system's
    # cache still holds the file. It costs the largest pages a few percent (docs/performance.md, "Memory").
    cursor.execute(f"PRAGMA cache_size=-{PAGE_CACHE_KIB}")
    connection_record.info[BUSY_TIMEOUT_KEY] = cursor.execute("PRAGMA busy_timeout").fetchone()[0]
    cursor.close()


@event.listens_for(Engine, "begin")
def _begin_sqlite(conn) -> None:
    if conn.dialect.name != "sqlite":
        return
    # A deferred read-then-write transaction fails at once under contention, ignoring the
    # busy timeout; a write transaction therefore takes the write lock when it begins.
    if conn.get_execution_options().get(WRITE_OPTION):
        _begin_immediate(conn)
    else:
        conn.exec_driver_sql("BEGIN")


def _begin_immediate(conn) -> None:
    """BEGIN IMMEDIATE, trying again every 0.5–2 ms while another writer holds the lock.

    SQLite's own busy handler sleeps 1, 2, 5, 10 … 100 ms between tries, so under load a writer
    often sleeps on long after the lock came free (the quiz submit's slow tail). The wait is
    bounded by the same busy timeout and then fails as SQLite would: "database is locked".
    """
    timeout_ms = conn.info.get(BUSY_TIMEOUT_KEY, 0)
    raw = conn.connection.dbapi_connection
    raw.execute("PRAGMA busy_timeout = 0")
    try:
        deadline, pause = time.monotonic() + timeout_ms / 1000, 0.0005
        while True:
            try:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
                return
            except OperationalError as error:
                if "locked" not in str(error.orig) or time.monotonic() >= deadline:
                    raise
            time.sleep(pause)
            pause = min(pause * 2, 0.002)
    finally:
        raw.execute(f"PRAGMA busy_timeout = {int(timeout_ms)}")


def init_app(app: Flask) -> None:
    """Bind the database to the app, defaulting to SQLite in the instance folder."""
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{app.instance_path}/course.sqlite3"
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # sqlite3's timeout is SQLite's busy timeout: wait for the write lock rather than fail.
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        connect_args = dict(options.get("connect_args") or {})
        connect_args.setdefault("timeout", app.config["SQLITE_BUSY_TIMEOUT_MS"] / 1000)
        options["connect_args"] = connect_args
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    db.init_app(app)


@contextmanager
def write_transaction() -> Iterator:
    """Run the block as one write transaction (BEGIN IMMEDIATE on SQLite); commit, or roll back on error."""
    session = db.session()  # the request's own session, not the scoped proxy
    if session.get_bind().dialect.name == "sqlite":
        if session.in_transaction():
            session.commit()  # end the read transaction this request began: the write must BEGIN IMMEDIATE
        session.connection(execution_options={WRITE_OPTION: True})
    # PostgreSQL (READ COMMITTED) carries on in the request's transaction: each statement sees
    # what is committed when it runs, so a new transaction would only add two round trips.
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise


def checkpoint_wal() -> bool:
    """On SQLite, copy the write-ahead log into the database file and truncate the log to zero bytes.

    After a deletion this leaves no copy of the deleted rows in the -wal file. It waits (the busy
    timeout) for readers to finish; False when it could not complete, True otherwise (PostgreSQL:
    nothing to do, True).
    """
    if db.engine.dialect.name != "sqlite":
        return True
    with db.engine.connect() as connection:
        # On the raw connection, outside any transaction: a checkpoint cannot run inside one.
        raw = connection.connection.dbapi_connection
        assert raw is not None  # a checked-out connection always has one
        busy, _, _ = raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return busy == 0


def upsert(model, dialect: str):
    """An INSERT that can take `.on_conflict_do_update(...)` (SQLite and PostgreSQL share the syntax)."""
    return postgresql_insert(model) if dialect == "postgresql" else sqlite_insert(model)
