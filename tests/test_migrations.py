"""The migrations build exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, inspect

from course import create_app
from course.config import TestConfig
from course.models import Base


def test_upgrade_on_an_empty_database_matches_the_models(tmp_path):
    url = f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
    app = create_app(type("Migrated", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url}))
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
    engine = create_engine(url)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        assert differences == []
        assert set(inspect(connection).get_table_names()) >= {table for table in Base.metadata.tables}
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    engine.dispose()


# Tables whose ids are never given twice (audit rows name them by id).
NEVER_REUSED = ("user", "quiz_attempt")


def _table_sql(connection) -> dict[str, str]:
    return dict(connection.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'table'").all())


def test_the_migrations_and_create_all_both_make_ids_never_reused(tmp_path):
    """compare_metadata does not look at AUTOINCREMENT: check the table definitions themselves."""
    migrated = f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
    app = create_app(type("Migrated", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": migrated}))
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
    created = create_engine(f"sqlite:///{tmp_path / 'created.sqlite3'}")
    Base.metadata.create_all(created)
    for engine in (create_engine(migrated), created):
        with engine.connect() as connection:
            tables = _table_sql(connection)
        engine.dispose()
        for table in NEVER_REUSED:
            assert "PRIMARY KEY AUTOINCREMENT" in tables[table], (engine.url, table)


def test_the_upgrade_to_0004_keeps_every_row_and_every_link(tmp_path):
    """The rebuild of `user` must not cascade: sessions, cohorts, attempts and answers survive it."""
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    app = create_app(type("Old", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url}))
    directory = app.extensions["migrate"].directory
    with app.app_context():
        upgrade(directory=directory, revision="0003")
    engine = create_engine(url)
    when = "2026-01-01 00:00:00"
    with engine.begin() as connection:
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        connection.exec_driver_sql(
            "INSERT INTO user (id, username, display_name, password_hash, role, active, must_change_password,"
            f" created_at, updated_at) VALUES (1, 'ana', '', 'h', 'learner', 1, 0, '{when}', '{when}'),"
            f" (3, 'fay', '', 'h', 'facilitator', 1, 0, '{when}', '{when}')"
        )
        connection.exec_driver_sql(
            "INSERT INTO user_session (token_hash, user_id, created_at, last_seen_at)"
            f" VALUES ('t', 1, '{when}', '{when}')"
        )
        connection.exec_driver_sql(
            f"INSERT INTO cohort (id, name, facilitator_id, created_at) VALUES (1, 'c', 3, '{when}')"
        )
        connection.exec_driver_sql(
            f"INSERT INTO cohort_member (cohort_id, learner_id, joined_at) VALUES (1, 1, '{when}')"
        )
        connection.exec_driver_sql(
            "INSERT INTO quiz_attempt (id, learner_id, module_id, kind, content_version, layout, sequence,"
            f" started_at) VALUES (7, 1, 'm', 'quiz', 'v', '[]', 0, '{when}')"
        )
        connection.exec_driver_sql(
            "INSERT INTO attempt_answer (attempt_id, question_id, choice_ids, misconception_ids, saved_at)"
            f" VALUES (7, 'q', 'a', '', '{when}')"
        )
    before = _counts(engine)
    engine.dispose()
    with app.app_context():
        upgrade(directory=directory)
    engine = create_engine(url)
    assert _counts(engine) == before
    assert before["user_session"] == before["cohort_member"] == before["attempt_answer"] == 1
    with engine.begin() as connection:
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        # The highest id is not given again once deleted (it was, before 0004).
        connection.exec_driver_sql("DELETE FROM cohort")
        connection.exec_driver_sql("DELETE FROM user WHERE id = 3")
        connection.exec_driver_sql(
            f"INSERT INTO user (username, display_name, password_hash, role, active, must_change_password,"
            f" created_at, updated_at) VALUES ('new', '', 'h', 'learner', 1, 0, '{when}', '{when}')"
        )
        assert connection.exec_driver_sql("SELECT id FROM user WHERE username = 'new'").scalar() == 4
    engine.dispose()


def _counts(engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            table: connection.exec_driver_sql(f'SELECT count(*) FROM "{table}"').scalar()
            for table in ("user", "user_session", "cohort", "cohort_member", "quiz_attempt", "attempt_answer")
        }
