"""Browser tests: Debian's chromium, driven by Playwright, against the app under gunicorn on 127.0.0.1.

Where chromium is not installed the tests skip with a message saying how to install it; CI
installs it (.ci/run), so there they always run.
"""
from __future__ import annotations

import http.server
import os
import shutil
import threading

import pytest

from bench.common import GunicornServer, free_port
from course import create_app
from course.config import TestConfig
from course.extensions import db

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}

pytestmark = pytest.mark.browser


def pytest_collection_modifyitems(items):
    if CHROMIUM is None:
        skip = pytest.mark.skip(reason="chromium is not installed: run `sudo apt-get install chromium` "
                                       "(or set CHROMIUM_PATH); CI installs it")
        for item in items:
            if "e2e" in str(item.fspath):
                item.add_marker(skip)


class _NeutralPage(http.server.BaseHTTPRequestHandler):
    """Stands in for the neutral site the quick exit goes to (this machine has no internet)."""

    def do_GET(self):
        body = b"<!doctype html><title>Weather</title><p>Sunny</p>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def neutral_site():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), _NeutralPage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/weather"
    server.shutdown()
    server.server_close()


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
    """gunicorn serving the app on a free local port, until the session ends."""
    env = {"DATABASE_URL": server_db, "SECRET_KEY": "e2e-secret-key-not-for-production-use",
           "APP_ENV": "development", "RATELIMIT_ENABLED": "0", "QUICK_EXIT_URL": neutral_site}
    server = GunicornServer("wsgi:app", env, tmp_path_factory.mktemp("gunicorn") / "server.log", workers=2)
    server.start()
    yield server.url
    server.stop()


@pytest.fixture(scope="session")
def browser_engine():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser_engine, live_server):
    """Open a page in a fresh browser context: phone or desktop, with or without JavaScript."""
    contexts = []

    def factory(viewport=DESKTOP, javascript=True):
        context = browser_engine.new_context(viewport=viewport, java_script_enabled=javascript, base_url=live_server)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield factory
    for context in contexts:
        context.close()


@pytest.fixture
def seed(seed_app):
    """Run a function against the server's database, in this process, and return its result."""
    def run(function, *args, **kwargs):
        with seed_app.app_context():
            try:
                return function(*args, **kwargs)
            finally:
                db.session.remove()
    return run
