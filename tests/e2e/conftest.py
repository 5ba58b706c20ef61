"""Browser tests: Debian's chromium, driven by Playwright, against the app under gunicorn on 127.0.0.1.

A test runs against one `site` (parametrize it indirectly to choose): "gunicorn", plain HTTP in
development mode (the default); "https", production mode with TLS at gunicorn; "stack", the
production-like stack of deploy/stack.py (nginx with TLS in front of two gunicorn nodes, on
PostgreSQL and Redis), which runs in the PostgreSQL pass where nginx and Redis are there (CI's);
elsewhere its tests skip and say why.

Where chromium is not installed the tests skip with a message saying how to install it; CI
installs it (.ci/run), so there they always run.
"""

from __future__ import annotations

import http.server
import os
import secrets
import shutil
import ssl
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
from flask import Flask
from sqlalchemy.engine import make_url

from bench.common import GunicornServer, free_port
from course import create_app
from course.config import TestConfig
from course.extensions import db
from deploy.stack import NGINX, Stack
from deploy.tls import Certificate, make_certificate

from .steps import DESKTOP

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

E2E = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items):
    """Mark every test under tests/e2e `browser` (and skip them where chromium is missing).

    A conftest's hook sees every item of the session, not just its directory's, hence the path filter;
    `pytestmark` here would do nothing, as pytest reads it only from test modules.
    """
    skip = pytest.mark.skip(
        reason="chromium is not installed: run `sudo apt-get install chromium` (or set CHROMIUM_PATH); CI installs it"
    )
    for item in items:
        if item.path.resolve().is_relative_to(E2E):
            item.add_marker(pytest.mark.browser)
            if CHROMIUM is None:
                item.add_marker(skip)


@dataclass(frozen=True)
class Site:
    """What a browser test points at: the base URL, and an app on the server's database (to seed and read)."""

    url: str
    app: Flask


class _NeutralPage(http.server.BaseHTTPRequestHandler):
    """Stands in for the neutral site the quick exit goes to (this machine has no internet).

    It remembers the Referer header of every request for the page (None when there was none).
    """

    def do_GET(self):
        if self.path == "/weather":  # not the browser's own request for /favicon.ico
            self.server.referers.append(self.headers.get("Referer"))
        body = b"<!doctype html><title>Weather</title><p>Sunny</p>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class NeutralSite:
    """The neutral site on a free port, over HTTP or (with a certificate) HTTPS, at `host`."""

    def __init__(self, host: str = "127.0.0.1", tls: Certificate | None = None):
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), _NeutralPage)
        self.server.referers = []
        if tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(tls.cert_file, tls.key_file)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.url = f"{'https' if tls else 'http'}://{host}:{self.server.server_address[1]}/weather"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def referers(self) -> list[str | None]:
        return self.server.referers

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="session")
def neutral_site():
    site = NeutralSite()
    yield site.url
    site.stop()


@pytest.fixture(scope="session")
def certificate(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1 and localhost, made for this run."""
    return make_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture(scope="session")
def neutral_https_site(certificate):
    """The neutral site over HTTPS on another origin (localhost), as a real one would be."""
    site = NeutralSite(host="localhost", tls=certificate)
    yield site
    site.stop()


@pytest.fixture(scope="session")
def server_db(tmp_path_factory):
    return f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'e2e.sqlite3'}"


@pytest.fixture(scope="session")
def seed_app(server_db):
    """The app in this process, on the server's database: for creating people and reading rows."""
    app = create_app(type("E2E", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": server_db}))
    with app.app_context():
        db.create_all()
    return app


@pytest.fixture(scope="session")
def live_server(seed_app, server_db, neutral_site, tmp_path_factory):
    """gunicorn serving the app over HTTP on a free local port, until the session ends."""
    env = {
        "DATABASE_URL": server_db,
        "SECRET_KEY": "e2e-secret-key-not-for-production-use",
        "APP_ENV": "development",
        "RATELIMIT_ENABLED": "0",
        "QUICK_EXIT_URL": neutral_site,
        "PACK_CACHE_DIR": str(tmp_path_factory.mktemp("packs")),
    }
    server = GunicornServer("wsgi:app", env, tmp_path_factory.mktemp("gunicorn") / "server.log", workers=2)
    server.start()
    yield Site(server.url, seed_app)
    server.stop()


@pytest.fixture(scope="session")
def https_server(seed_app, server_db, neutral_https_site, certificate, tmp_path_factory):
    """gunicorn serving HTTPS itself (certfile/keyfile), in production mode, on the same database."""
    env = {
        "DATABASE_URL": server_db,
        "SECRET_KEY": secrets.token_urlsafe(32),
        "APP_ENV": "production",
        "QUICK_EXIT_URL": neutral_https_site.url,
    }
    # One worker: the rate limits are kept in this process's memory (no Redis needed here).
    server = GunicornServer(
        "wsgi:app", env, tmp_path_factory.mktemp("gunicorn-tls") / "server.log", workers=1, tls=certificate
    )
    server.start()
    yield Site(server.url, seed_app)
    server.stop()


REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _why_no_stack() -> str | None:
    """Why the stack cannot run here, or None when it can."""
    database = os.environ.get("TEST_DATABASE_URL", "")
    if not database.startswith("postgresql"):
        return (
            "the stack runs on PostgreSQL: its tests run in the PostgreSQL pass "
            "(TEST_DATABASE_URL=postgresql+psycopg://...; .ci/run does it)"
        )
    if not os.path.exists(NGINX):
        return f"nginx is not installed at {NGINX}: sudo apt-get install nginx (.ci/run installs it)"
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        return f"no Redis at {REDIS_URL} (set TEST_REDIS_URL); CI has one"
    return None


def stack_database_url() -> str:
    """The stack's own database, next to the suite's: stack_<name of TEST_DATABASE_URL's database>."""
    suite = make_url(os.environ["TEST_DATABASE_URL"])
    return suite.set(database=f"stack_{suite.database}").render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def stack(neutral_https_site, tmp_path_factory):
    """deploy/stack.py's stack (nginx, two nodes, PostgreSQL, Redis) on a fresh database, for the session."""
    reason = _why_no_stack()
    if reason:
        pytest.skip(reason)
    with Stack(
        tmp_path_factory.mktemp("stack"),
        stack_database_url(),
        REDIS_URL,
        port=free_port(),
        settings={"QUICK_EXIT_URL": neutral_https_site.url},
        fresh_database=True,
    ) as running:
        yield running


@pytest.fixture(scope="session")
def stack_site(stack):
    app = create_app(type("StackSeed", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": stack.database_url}))
    yield Site(stack.url, app)
    with app.app_context():
        db.engine.dispose()


SITES = {"gunicorn": "live_server", "https": "https_server", "stack": "stack_site"}


@pytest.fixture
def site(request) -> Site:
    """The site this test runs against: "gunicorn" unless the test parametrizes `site` indirectly."""
    return request.getfixturevalue(SITES[getattr(request, "param", "gunicorn")])


@pytest.fixture(scope="session")
def browser_engine():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser_engine, site):
    """Open a page on the test's site in a fresh browser context: phone or desktop, with or without JavaScript."""
    contexts = []

    def factory(viewport=DESKTOP, javascript=True):
        # The certificates are self-signed, made for this run: the browser is told to accept them.
        context = browser_engine.new_context(
            viewport=viewport,
            java_script_enabled=javascript,
            base_url=site.url,
            ignore_https_errors=site.url.startswith("https:"),
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield factory
    for context in contexts:
        context.close()


@pytest.fixture
def seed(site):
    """Run a function against the site's database, in this process, and return its result."""

    def run(function, *args, **kwargs):
        with site.app.app_context():
            try:
                return function(*args, **kwargs)
            finally:
                db.session.remove()

    return run
