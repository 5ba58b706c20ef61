"""Helpers for tests/test_faults.py: a real gunicorn server, another process holding a database lock,
signed-in HTTP clients, and the app gunicorn serves in those tests (`tests.fault_helpers:app`).

The served app is the normal one plus one hook for the "worker killed mid-submit" test: while the
file named by FAULT_PAUSE_FLAG exists, a submit stops inside its transaction, after its writes
reached the database and just before the commit, writes the worker's pid next to the flag, and
waits to be killed.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

from bench.common import GunicornServer, open_sessions

# --- signed-in HTTP clients -----------------------------------------------------------------------


def sign_in(app, user) -> tuple[str, str]:
    """Start a server-side session for `user` as a sign-in would; returns (Cookie header, CSRF form token).

    Call inside the test's app context; the server must use the same SECRET_KEY.
    """
    credentials = open_sessions(app, [user.id])[user.id]
    return credentials.cookie, credentials.csrf_token


def form_body(fields: dict, csrf: str) -> str:
    return urllib.parse.urlencode({**fields, "csrf_token": csrf}, doseq=True)


_INPUT = re.compile(r'<input type="(?:radio|checkbox)" name="q-([^"]+)" value="([^"]+)"[^>]*?>', re.S)


def checked_choices(html: str) -> dict[str, frozenset[str]]:
    """The choices a quiz page shows as checked: question id → choice ids."""
    checked: dict[str, set[str]] = {}
    for match in _INPUT.finditer(html):
        if re.search(r"\schecked\b", match.group(0)):
            checked.setdefault(match.group(1), set()).add(match.group(2))
    return {qid: frozenset(ids) for qid, ids in checked.items()}


# --- a real server --------------------------------------------------------------------------------


class LiveServer(GunicornServer):
    """gunicorn (gunicorn.conf.py, 2 sync workers) serving `tests.fault_helpers:app` on a free local port.

    It teaches the course in `content_dir`: the one the test's own app loaded, as their rows refer to it.
    """

    def __init__(self, database_url: str, secret_key: str, workdir: Path, content_dir: str):
        self.pause_flag = workdir / "pause-submit"
        env = {
            "DATABASE_URL": database_url,
            "SECRET_KEY": secret_key,
            "APP_ENV": "development",
            "RATELIMIT_ENABLED": "0",
            "FAULT_PAUSE_FLAG": str(self.pause_flag),
            "CONTENT_DIR": content_dir,
        }
        super().__init__("tests.fault_helpers:app", env, workdir / "gunicorn.log", workers=2)


# --- another process holding the write lock -------------------------------------------------------

_LOCK_HOLDER = r"""
import sys, time
url, attempt_id = sys.argv[1], int(sys.argv[2])
if url.startswith("sqlite"):
    import sqlite3
    conn = sqlite3.connect(url.split("///", 1)[1], isolation_level=None, timeout=10)
    conn.execute("BEGIN IMMEDIATE")  # SQLite's one write lock, for the whole database
    conn.execute("UPDATE quiz_attempt SET sequence = sequence WHERE id = ?", (attempt_id,))
else:
    import psycopg
    conn = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"))
    conn.execute("UPDATE quiz_attempt SET sequence = sequence WHERE id = %s", (attempt_id,))  # a row lock
print("locked", flush=True)
sys.stdin.readline()  # hold the lock until told to let go (or until the test ends and closes stdin)
conn.commit()
conn.close()
print("released", flush=True)
"""


class LockHolder:
    """Another process in the middle of a write transaction that touches the attempt: on SQLite it
    holds the database's write lock, on PostgreSQL the attempt row's lock."""

    def __init__(self, database_url: str, attempt_id: int):
        self.released = False
        self.process = subprocess.Popen(
            [sys.executable, "-c", _LOCK_HOLDER, database_url, str(attempt_id)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        line = self.process.stdout.readline()
        if line.strip() != "locked":
            self.close()
            raise RuntimeError(f"the lock holder did not take the lock: {line!r}")

    def release(self) -> None:
        """Tell the other process to commit; once only (a second line could hit a closed pipe)."""
        if self.released or self.process.poll() is not None:
            return
        self.released = True
        self.process.stdin.write("\n")
        self.process.stdin.flush()

    def close(self) -> None:
        with contextlib.suppress(BrokenPipeError, ValueError):
            self.release()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            with contextlib.suppress(BrokenPipeError):  # the process has exited: nothing left to send
                stream.close()


# --- the app gunicorn serves in the fault tests ---------------------------------------------------


def before_submit_commits(action) -> tuple:
    """Call `action()` when a quiz submit's transaction is about to commit, after it wrote the attempt.

    Hooks the engine's events, not the code of the submit, so it holds whatever shape the submit takes.
    Returns the listeners, for `remove_listeners`.
    """
    from flask import has_request_context, request
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    def note_write(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("UPDATE") and "quiz_attempt" in statement:
            conn.info["wrote_attempt"] = True

    def on_commit(conn):
        if conn.info.pop("wrote_attempt", False) and has_request_context() and request.endpoint == "learn.submit":
            action()

    def on_rollback(conn):
        conn.info.pop("wrote_attempt", None)

    listeners = (("after_cursor_execute", note_write), ("commit", on_commit), ("rollback", on_rollback))
    for name, listener in listeners:
        event.listen(Engine, name, listener)
    return listeners


def remove_listeners(listeners) -> None:
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    for name, listener in listeners:
        event.remove(Engine, name, listener)


def _pause_submits_while_flagged(flag: Path) -> None:
    def pause():
        if flag.exists():  # the submit's writes are in the open transaction; the commit is next
            Path(f"{flag}.pid").write_text(str(os.getpid()))
            time.sleep(20)  # the test kills this worker now; without it the submit would go on

    before_submit_commits(pause)


def _served_app():
    from course import create_app

    served = create_app()
    if os.environ.get("FAULT_PAUSE_FLAG"):
        _pause_submits_while_flagged(Path(os.environ["FAULT_PAUSE_FLAG"]))
    return served


def __getattr__(name: str):
    """`tests.fault_helpers:app` is built only when gunicorn asks for it, never when the suite imports this."""
    if name == "app":
        globals()["app"] = _served_app()
        return globals()["app"]
    raise AttributeError(name)
