"""Fixtures: a fresh app and database per test, a client that speaks CSRF, role-named users."""

from __future__ import annotations

import pytest

from course.content import get_course
from course.extensions import db

from . import factories
from .support import REAL_COURSE, Browser, make_app, sign_in


@pytest.fixture
def app(request, tmp_path):
    """An app on a fresh database teaching the small test course, or the real one for a test marked real_course."""
    real = request.node.get_closest_marker("real_course") is not None
    app = make_app(tmp_path, **({"CONTENT_DIR": str(REAL_COURSE)} if real else {}))
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def browser(app):
    return Browser(app.test_client())


@pytest.fixture
def new_browser(app):
    """A factory of separate browsers (a second device, another person)."""
    return lambda: Browser(app.test_client())


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def course(app):
    """The course the app loaded: the small test course, or the real one (modules/) under real_course."""
    return get_course()


@pytest.fixture
def learner(app):
    return factories.make_user("learner")


@pytest.fixture
def facilitator(app):
    return factories.make_user("facilitator")


@pytest.fixture
def counselor(app):
    return factories.make_user("counselor")


@pytest.fixture
def admin(app):
    return factories.make_user("admin")


@pytest.fixture
def signed_in_as() -> str:
    """The role `signed_in` signs in as; a test module overrides this fixture to choose another."""
    return "learner"


@pytest.fixture
def signed_in(request, browser, signed_in_as):
    """The `browser`, signed in as the test's own `learner` (or whichever role `signed_in_as` names)."""
    return sign_in(browser, request.getfixturevalue(signed_in_as))


@pytest.fixture
def module(course):
    """The course's first module."""
    return course.modules[0]
