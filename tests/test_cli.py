"""The flask commands: users create, setup-dev."""

import pytest
from sqlalchemy import func, select

from course.extensions import db
from course.models import Caseload, Cohort, CohortMember, User

from . import support


def test_users_create_makes_an_account_with_a_one_time_password(runner, browser):
    result = runner.invoke(args=["users", "create", "--username", "first-admin", "--role", "admin"])
    assert result.exit_code == 0, result.output
    password = result.output.strip().rsplit(" ", 1)[-1]
    user = db.session.scalar(select(User).where(User.username == "first-admin"))
    assert user.role == "admin" and user.must_change_password
    assert browser.login("first-admin", password).status_code == 302


def test_users_create_refuses_a_taken_name_or_unknown_role(runner):
    runner.invoke(args=["users", "create", "--username", "someone", "--role", "counselor"])
    result = runner.invoke(args=["users", "create", "--username", "someone", "--role", "counselor"])
    assert result.exit_code != 0 and "taken" in result.output
    result = runner.invoke(args=["users", "create", "--username", "other", "--role", "king"])
    assert result.exit_code != 0


@pytest.fixture
def empty_database(app, tmp_path):
    """The test's database with no tables at all, as on a developer's first run."""
    db.drop_all()
    with db.engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    app.instance_path = str(tmp_path)
    yield app
    support._postgres_schema_ready = False  # the next test rebuilds the schema


def test_setup_dev_creates_demo_accounts_once_and_prints_them(empty_database, browser):
    runner = empty_database.test_cli_runner()
    result = runner.invoke(args=["setup-dev"])
    assert result.exit_code == 0, result.output
    lines = [
        line.split() for line in result.output.splitlines() if line.startswith(("admin", "facil", "couns", "learn"))
    ]
    assert sorted(role for role, _, _ in lines) == ["admin", "counselor", "facilitator", "learner", "learner"]
    cohort = db.session.scalar(select(Cohort))
    assert (
        db.session.scalar(select(func.count()).select_from(CohortMember).where(CohortMember.cohort_id == cohort.id))
        == 2
    )
    assert db.session.scalar(select(Caseload.cohort_id)) == cohort.id
    permissions = db.session.execute(select(User.role, User.can_author, User.can_review).where(User.role != "learner"))
    assert sorted(permissions) == [("admin", False, False), ("counselor", False, True), ("facilitator", True, False)]
    languages = db.session.execute(select(User.username, User.language).where(User.role == "learner"))
    assert sorted(languages) == [("demo-learner-1", None), ("demo-learner-2", "es")]
    homes = {"admin": "/admin/", "facilitator": "/facilitate/", "counselor": "/counsel/", "learner": "/learn/"}
    for role, username, password in lines:
        assert browser.login(username, password).headers["Location"] == homes[role]
        browser.logout()
    again = runner.invoke(args=["setup-dev"])
    assert again.exit_code == 0 and db.session.scalar(select(func.count()).select_from(User)) == 5
    assert lines[0][2] in again.output


def test_setup_dev_is_refused_in_production(app):
    app.config["APP_ENV"] = "production"
    result = app.test_cli_runner().invoke(args=["setup-dev"])
    assert result.exit_code != 0 and "refused in production" in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_setup_dev_says_what_to_do_when_migrations_are_left_out(tmp_path):
    app = support.make_app(tmp_path, DB_MIGRATIONS=False)
    with app.app_context():  # as the flask command gives one
        result = app.test_cli_runner().invoke(args=["setup-dev"])
        assert result.exit_code != 0 and "DB_MIGRATIONS=0" in result.output
        assert db.session.scalar(select(func.count()).select_from(User)) == 0
        db.session.remove()
        db.engine.dispose()
