"""The production server's settings: request logs without personal data, a health check."""
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
