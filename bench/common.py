"""Shared by the bench scripts, the tests that drive a real server (tests/fault_helpers.py,
tests/e2e/) and the local stack (deploy/stack.py): a free local port, one HTTP(S) request,
gunicorn started and stopped, the app on the bench database, and signed-in sessions with their
CSRF tokens.

Load needs many signed-in learners. Signing in through the login form would cost one argon2 hash
each, so the bench does what the login does, directly: a UserSession row whose sha256 is the
token in the signed cookie, and the CSRF token Flask-WTF would put in the form.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import secrets
import socket
import ssl
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from gunicorn import config as gunicorn_config  # noqa: E402
from itsdangerous import URLSafeTimedSerializer  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from course import create_app  # noqa: E402
from course.extensions import db  # noqa: E402
from course.models import UserSession, utcnow  # noqa: E402
from deploy.tls import Certificate  # noqa: E402

POSTGRES_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
POSTGRES_BENCH_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/course_bench"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_request(
    port: int,
    method: str,
    path: str,
    cookie: str | None = None,
    body: str | None = None,
    timeout: float = 30,
    tls: Certificate | None = None,
    headers: dict | None = None,
    source_address: str | None = None,
) -> tuple[int, dict, str]:
    """One HTTP request to 127.0.0.1:port, redirects not followed: (status, headers, body).

    With `tls`, over HTTPS, trusting only that certificate. `source_address` (another 127.x.y.z)
    makes the request come from a different client address.
    """
    source = (source_address, 0) if source_address else None
    if tls:
        context = ssl.create_default_context(cafile=str(tls.cert_file))
        connection = http.client.HTTPSConnection(
            "127.0.0.1", port, timeout=timeout, context=context, source_address=source
        )
    else:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout, source_address=source)
    try:
        headers = dict(headers or {})
        if cookie:
            headers["Cookie"] = cookie
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode("utf-8", "replace")
    finally:
        connection.close()


_HAS_CONTROL_SOCKET = any(setting.name == "control_socket" for setting in gunicorn_config.KNOWN_SETTINGS)
NOT_INHERITED = ("WEB_CONCURRENCY", "GUNICORN_CMD_ARGS", "BIND", "RATELIMIT_STORAGE_URI")


class GunicornServer:
    """gunicorn with the project's gunicorn.conf.py, serving `target` on a free 127.0.0.1 port.

    With `tls` it serves HTTPS itself (gunicorn's certfile/keyfile). The log file holds gunicorn's
    access log (one line a request) and its error log.
    """

    def __init__(
        self,
        target: str,
        env: dict[str, str],
        log_path: Path,
        workers: int,
        python: str = sys.executable,
        tls: Certificate | None = None,
    ):
        self.port = free_port()
        self.target, self.log_path, self.expected_workers, self.python = target, log_path, workers, python
        self.tls = tls
        # Settings this object decides, or that would point the server elsewhere, are not inherited.
        inherited = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
        self.env = {**inherited, **env}
        self.process: subprocess.Popen | None = None
        self.terminating = False
        self.health: dict | None = None
        self.ready_seconds: float | None = None

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> None:
        """Start it and return once /healthz answers 200 and every worker has booted."""
        self.launch()
        self.wait_until_ready(timeout)

    def launch(self, own_session: bool = False) -> None:
        """Start the process without waiting for it (several servers then boot side by side).

        `own_session`: out of the terminal's process group, so Ctrl-C reaches only whoever started it.
        """
        command = [
            self.python,
            "-m",
            "gunicorn",
            "-c",
            "gunicorn.conf.py",
            "--workers",
            str(self.expected_workers),
            "--bind",
            f"127.0.0.1:{self.port}",
        ]
        if self.tls:
            command += ["--certfile", str(self.tls.cert_file), "--keyfile", str(self.tls.key_file)]
        if _HAS_CONTROL_SOCKET:  # gunicorn 25+: one per server, not one shared path in $HOME
            command += ["--control-socket", str(self.log_path.with_suffix(".ctl"))]
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                command + [self.target],
                cwd=PROJECT_ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=own_session,
            )
        self._launched_at, self.terminating = time.monotonic(), False

    def wait_until_ready(self, timeout: float = 60) -> None:
        """Return once /healthz answers 200 and every worker has booted; stop it and raise if it does not."""
        while True:
            try:
                status, _, body = http_request(self.port, "GET", "/healthz", timeout=2, tls=self.tls)
                if status == 200 and len(self.workers()) == self.expected_workers:
                    self.ready_seconds, self.health = round(time.monotonic() - self._launched_at, 2), json.loads(body)
                    return
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() - self._launched_at > timeout:
                self.stop()
                raise RuntimeError("gunicorn did not start: " + self.log_path.read_text()[-3000:])
            time.sleep(0.1)

    def workers(self) -> list[int]:
        """The worker processes' ids, from /proc (empty once the server has stopped)."""
        try:
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        except OSError:
            return []
        return sorted(int(pid) for pid in children)

    def terminate(self) -> None:
        """Ask it to stop (gracefully) without waiting: several servers then stop side by side."""
        if self.process is not None and self.process.poll() is None and not self.terminating:
            self.process.terminate()
            self.terminating = True

    def stop(self) -> None:
        """Stop it and wait until it has exited (killed after 30 s)."""
        if self.process is None or self.process.poll() is not None:
            return
        self.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def bench_app(database_url: str, secret_key: str, **settings):
    """The app as the server runs it (production mode), on the bench database."""
    return create_app(
        {
            "APP_ENV": "production",
            "SECRET_KEY": secret_key,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "RATELIMIT_ENABLED": False,
            **settings,
        }
    )


@dataclass(frozen=True)
class Credentials:
    """What a signed-in browser sends: the session cookie and the CSRF token of its forms."""

    user_id: int
    cookie: str  # "course_session=...", a Cookie header
    csrf_token: str


def signed_out_forms(app, count: int) -> list[tuple[str, str]]:
    """(cookie, CSRF token) of `count` browsers that opened the sign-in page and are not signed in yet.

    Call inside an app context.
    """
    signer = app.session_interface.get_signing_serializer(app)
    csrf = URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token")
    forms = []
    for _ in range(count):
        raw_csrf = hashlib.sha1(secrets.token_bytes(64)).hexdigest()
        cookie = signer.dumps({"csrf_token": raw_csrf})
        forms.append((f"{app.config['SESSION_COOKIE_NAME']}={cookie}", csrf.dumps(raw_csrf)))
    return forms


def open_sessions(app, user_ids: list[int]) -> dict[int, Credentials]:
    """Start one server-side session per user, as a sign-in would; returns each one's cookie and CSRF token.

    Call inside an app context.
    """
    signer = app.session_interface.get_signing_serializer(app)
    csrf = URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token")
    now, rows, result = utcnow(), [], {}
    for user_id in user_ids:
        token, raw_csrf = secrets.token_urlsafe(32), hashlib.sha1(secrets.token_bytes(64)).hexdigest()
        rows.append(
            {
                "token_hash": hashlib.sha256(token.encode()).hexdigest(),
                "user_id": user_id,
                "created_at": now,
                "last_seen_at": now,
            }
        )
        cookie = signer.dumps({"_user_id": token, "_fresh": True, "csrf_token": raw_csrf})
        result[user_id] = Credentials(user_id, f"{app.config['SESSION_COOKIE_NAME']}={cookie}", csrf.dumps(raw_csrf))
    for start in range(0, len(rows), 2000):
        db.session.execute(insert(UserSession), rows[start : start + 2000])
    db.session.commit()
    return result
