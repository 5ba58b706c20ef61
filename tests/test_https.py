"""Over HTTPS a form POST must carry a Referer of our own origin (Flask-WTF's strict check, kept on);
the Referrer-Policy sends it to our origin and to no other (docs/security.md, "HTTPS")."""

import pytest
from sqlalchemy import func, select

from course.extensions import db
from course.models import UserSession

from .factories import PASSWORD, make_user
from .support import CSRF, make_app


def _sign_in(client, username: str, base_url: str, **headers):
    """Open the sign-in page at base_url, then send its form with these headers."""
    page = client.get("/auth/login", base_url=base_url).get_data(as_text=True)
    token = next(group for group in CSRF.search(page).groups() if group)
    return client.post(
        "/auth/login",
        base_url=base_url,
        headers=headers,
        data={"username": username, "password": PASSWORD, "csrf_token": token},
    )


def _sessions(user_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(UserSession).where(UserSession.user_id == user_id))


def test_pages_send_the_referer_to_our_own_origin_only(client):
    assert client.get("/").headers["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize(
    "referer, status",
    [
        ("https://localhost/auth/login", 302),
        (None, 400),  # what every browser sent under the old `no-referrer` policy
        ("https://elsewhere.example/auth/login", 400),
        ("http://localhost/auth/login", 400),
    ],
    ids=["same-origin", "none", "another-site", "plain-http"],
)
def test_over_https_a_sign_in_needs_a_referer_of_our_origin(client, learner, referer, status):
    headers = {"Referer": referer} if referer else {}
    response = _sign_in(client, learner.username, "https://localhost", **headers)
    assert response.status_code == status
    assert _sessions(learner.id) == (1 if status == 302 else 0)
    if status == 302:
        assert response.headers["Location"] == "/learn/"


@pytest.fixture
def proxied_app(tmp_path):
    app = make_app(tmp_path, PROXY_COUNT=1)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize(
    "referer, status",
    [
        ("https://127.0.0.1:8443/auth/login", 302),
        ("https://127.0.0.1/auth/login", 400),  # the Host the proxy passed lacks the port the browser used
    ],
    ids=["host-with-port", "host-without-port"],
)
def test_behind_a_proxy_the_host_it_passes_must_keep_the_port(proxied_app, referer, status):
    learner = make_user("learner")
    # nginx forwards plain HTTP with the client's Host and X-Forwarded-Proto: https (deploy/nginx.conf.j2)
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.7"}
    response = _sign_in(
        proxied_app.test_client(), learner.username, "http://127.0.0.1:8443", Referer=referer, **forwarded
    )
    assert response.status_code == status
    assert _sessions(learner.id) == (1 if status == 302 else 0)
