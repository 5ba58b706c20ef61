"""The scale path: login limits kept in Redis, and still enforced per process when Redis is down."""

import os
import uuid

import pytest
import redis

from .factories import make_user
from .support import Browser, make_app

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_or_skip() -> redis.Redis:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL} (set TEST_REDIS_URL); CI has one")
    return client


def _fail_eleven_times(app, username):
    browser = Browser(app.test_client())
    statuses = []
    for _ in range(11):
        token = browser.token("/auth/login")
        statuses.append(
            browser.client.post(
                "/auth/login", data={"username": username, "password": "wrong password here", "csrf_token": token}
            ).status_code
        )
    return statuses


@pytest.fixture
def app_with(tmp_path):
    from course.extensions import limiter

    # Flask-Limiter keeps "storage is down, use memory" on the extension object across init_app
    # calls; one process serving many apps with different storages happens only in this suite.
    limiter._storage_dead = False
    apps = []

    def build(**settings):
        app = make_app(tmp_path, **settings)
        apps.append(app)
        return app

    yield build
    for app in apps:
        with app.app_context():
            from course.extensions import db

            db.session.remove()
            db.engine.dispose()


def test_login_counters_live_in_redis(app_with):
    client = _redis_or_skip()
    prefix = f"test-{uuid.uuid4().hex}"
    app = app_with(RATELIMIT_STORAGE_URI=REDIS_URL, RATELIMIT_KEY_PREFIX=prefix)
    with app.app_context():
        user = make_user("learner")
        assert _fail_eleven_times(app, user.username) == [200] * 10 + [429]
    keys = client.keys(f"*{prefix}*")
    assert keys, "the limiter kept no counters in Redis"
    client.delete(*keys)


def test_with_redis_down_the_site_serves_and_still_limits_per_process(app_with):
    app = app_with(RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0")
    with app.app_context():
        user = make_user("learner")
        assert app.test_client().get("/auth/login").status_code == 200
        assert _fail_eleven_times(app, user.username) == [200] * 10 + [429]
