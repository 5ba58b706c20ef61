"""The production server's settings: request logs without personal data, a health check."""

import os
import runpy
from pathlib import Path

from sqlalchemy.exc import OperationalError

CONFIG = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


def test_the_request_log_holds_no_address_query_string_or_agent():
    settings = runpy.run_path(str(CONFIG))
    log_format = settings["access_log_format"]
    for personal in ("%(h)s", "%(U)s%(q)s", "%(q)s", "%(a)s", "%(f)s", "%(r)s", "%({x-forwarded-for}i)s"):
        assert personal not in log_format
    assert "%(U)s" in log_format and "%(s)s" in log_format
    assert settings["preload_app"] is True and settings["workers"] >= 1


def test_the_health_check_reports_the_database(client, app, monkeypatch):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    from course.extensions import db

    def broken(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("database is down"))

    monkeypatch.setattr(db.session, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.get_json() == {"status": "unavailable"}


SERVER_IMPORTS = """
import os, runpy, sys
runpy.run_path({config!r})  # what gunicorn does first: it sets DB_MIGRATIONS=0
from course import create_app
from course.services import passwords
app = create_app({{"SQLALCHEMY_DATABASE_URI": "sqlite://", "TESTING": True}})
with app.app_context():
    assert "migrate" not in app.extensions
    passwords.check_policy("correct horse battery staple", "someone")
    try:
        passwords.check_policy("password1234", "someone")
    except passwords.PasswordRejected:
        pass
    else:
        raise SystemExit("the common-password list did not refuse password1234")
print(sorted(name for name in ("alembic", "flask_migrate", "zxcvbn", "textstat", "pyphen") if name in sys.modules))
"""


def test_a_server_process_leaves_out_migrations_and_zxcvbns_word_lists():
    """Worker memory: alembic, zxcvbn's ranked dictionaries (~28 MiB) and textstat (3.7 MiB, content checks
    only) stay out of a server."""
    import subprocess
    import sys

    script = SERVER_IMPORTS.format(config=str(CONFIG))
    env = {key: value for key, value in os.environ.items() if key != "DB_MIGRATIONS"}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_gunicorn_refuses_production_with_per_worker_login_limits(tmp_path):
    """With memory:// counters each of N workers would allow the whole limit: the server must not start."""
    import secrets
    import subprocess
    import sys

    env = {key: value for key, value in os.environ.items() if key not in ("WEB_CONCURRENCY", "RATELIMIT_STORAGE_URI")}
    env.update(
        {
            "APP_ENV": "production",
            "SECRET_KEY": secrets.token_hex(32),
            "WEB_CONCURRENCY": "2",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "BIND": "127.0.0.1:0",
        }
    )
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--config", str(CONFIG), "wsgi:app"],
        cwd=CONFIG.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "RATELIMIT_STORAGE_URI is memory:// with 2 workers" in result.stderr
