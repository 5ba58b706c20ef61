"""Database wiring: SQLite pragmas, IMMEDIATE write transactions, the write_transaction helper, upserts."""
from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from sqlalchemy import event
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine

from .extensions import db

WRITE_OPTION = "course_write"


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
    cursor.close()


@event.listens_for(Engine, "begin")
def _begin_sqlite(conn) -> None:
    if conn.dialect.name != "sqlite":
        return
    # A deferred read-then-write transaction fails at once under contention, ignoring the
    # busy timeout; a write transaction therefore takes the write lock when it begins.
    immediate = conn.get_execution_options().get(WRITE_OPTION)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


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


def upsert(model, dialect: str):
    """An INSERT that can take `.on_conflict_do_update(...)` (SQLite and PostgreSQL share the syntax)."""
    return postgresql_insert(model) if dialect == "postgresql" else sqlite_insert(model)
