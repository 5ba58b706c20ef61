"""gunicorn settings for production: `gunicorn wsgi:app` reads this file from the working directory.

Every setting can be overridden on the command line or with GUNICORN_CMD_ARGS.
"""

import multiprocessing
import os

# A server never runs `flask db`: leave alembic out of the workers (~11 MiB each).
os.environ.setdefault("DB_MIGRATIONS", "0")

bind = os.environ.get("BIND", "0.0.0.0:8000")
# Sync workers, two per core: requests are short and the database does the waiting.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2))
timeout = 30
graceful_timeout = 20
# No keepalive setting: sync workers close every connection after its response.
# Recycle workers now and then so memory cannot creep up over weeks.
max_requests = 20_000
max_requests_jitter = 2_000
# Load the app (and the course content) once, before forking, to share its memory.
preload_app = True

# Request log without personal data: no client address, no query string, no user agent or referrer.
# Paths carry only numeric ids and content ids, never usernames.
accesslog = "-"
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"


def post_fork(server, worker):
    """Each worker opens its own database connections, never ones inherited from the master."""
    from course.extensions import db

    app = worker.app.wsgi()
    with app.app_context():
        db.engine.dispose(close=False)


def on_starting(server):
    """Refuse to start in production with per-worker (memory://) login limits and several workers."""
    from course.config import Config, check_server_settings

    check_server_settings(Config, server.cfg.workers)
