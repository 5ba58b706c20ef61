"""The migrations build exactly the schema the models describe."""

from datetime import timedelta

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, inspect, select

from course import create_app
from course.config import TestConfig
from course.extensions import db
from course.models import (
    GUESSING,
    PRETEST,
    QUIZ,
    SURE,
    Base,
    LessonProgress,
    ModuleSummary,
    OutcomeItem,
    utcnow,
)
from course.services.progress_summary import FIGURES, computed_item_pairs, computed_rows

from .support import old_schema_insert, old_schema_user


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
# The read model's tables, clustered by their primary key on SQLite (read by learner, then module).
KEPT_IN_KEY_ORDER = ("module_summary", "outcome_item")


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
        for table in KEPT_IN_KEY_ORDER:
            assert tables[table].rstrip().endswith("WITHOUT ROWID"), (engine.url, table)


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


def test_the_upgrade_to_0008_fills_the_progress_summary_as_a_rebuild_would(tmp_path):
    """0008's fill is a frozen SQL copy of progress_summary.rebuild: both give the same rows."""
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    app = create_app(type("Old", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url}))
    directory = app.extensions["migrate"].directory
    with app.app_context():
        upgrade(directory=directory, revision="0007")
        now = utcnow()
        ana, bo = old_schema_user("ana"), old_schema_user("bo")

        def attempt(learner, module_id, kind, answers=(), **fields):
            # Written as 0007 knew the table: today's QuizAttempt has columns added since (language).
            values = {"learner_id": learner.id, "module_id": module_id, "kind": kind, "content_version": "v"}
            values |= {"layout": [], "sequence": 0, "started_at": now, "first_quiz": False} | fields
            attempt_id = old_schema_insert("quiz_attempt", values)
            for answer in answers:
                old_schema_insert("attempt_answer", {"attempt_id": attempt_id, "misconception_ids": ""} | answer)

        db.session.add_all(
            [
                LessonProgress(
                    learner_id=ana.id, module_id="m1", lesson_id="l1", content_version="v", completed_at=now
                ),
                LessonProgress(learner_id=ana.id, module_id="m1", lesson_id="l2", content_version="v"),
                LessonProgress(learner_id=bo.id, module_id="m2", lesson_id="l9", content_version="v", completed_at=now),
            ]
        )
        q1_right = {"question_id": "q1", "choice_ids": "b", "correct": True, "saved_at": now}
        attempt(ana, "m1", PRETEST, [q1_right], submitted_at=now, score=25.0, pretest_items_score=25.0)
        attempt(
            ana,
            "m1",
            QUIZ,
            [
                {"question_id": "q1", "choice_ids": "a", "correct": False, "confidence": SURE, "saved_at": now},
                {"question_id": "q2", "choice_ids": "b", "correct": False, "confidence": GUESSING, "saved_at": now},
            ],
            submitted_at=now,
            score=40.0,
            passed=False,
            pretest_items_score=50.0,
            first_quiz=True,
        )
        attempt(ana, "m1", QUIZ, submitted_at=now + timedelta(minutes=5), score=90.0, passed=True)
        attempt(ana, "m2", QUIZ)  # open: begun, nothing submitted
        attempt(bo, "m1", PRETEST, submitted_at=now)  # skipped
        db.session.commit()
        upgrade(directory=directory)
        stored = {
            (r.learner_id, r.module_id): {c: getattr(r, c) for c in ("learner_id", "module_id", *FIGURES)}
            for r in db.session.scalars(select(ModuleSummary))
        }
        assert stored == computed_rows()
        items = {tuple(r) for r in db.session.execute(select(OutcomeItem.__table__))}
        assert items == computed_item_pairs([ana.id, bo.id]) == {(ana.id, "m1", "q1", True, False)}
        assert len(stored) == 4
        ana_m1 = stored[ana.id, "m1"]
        assert (ana_m1["lessons_done"], ana_m1["quizzes_failed"], ana_m1["best_score"], ana_m1["passed"]) == (
            1,
            1,
            90.0,
            True,
        )
        assert (ana_m1["before_score"], ana_m1["after_score"], ana_m1["sure_but_wrong"]) == (25.0, 50.0, 1)
        db.session.remove()
        db.engine.dispose()
