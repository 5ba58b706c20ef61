"""The production-like stack on one machine, started by `make stack` (python -m deploy.stack):

    browser ──HTTPS──▶ nginx (TLS, round robin) ──HTTP──▶ gunicorn node 1 ─┐──▶ PostgreSQL
                                                   └──▶ gunicorn node 2 ─┘──▶ Redis (rate limits)

Everything listens on 127.0.0.1. The certificate is made on the spot; the SECRET_KEY both nodes
share is generated once and kept in the stack's folder (instance/stack/ by default), with nginx's
config, pid file, logs and each node's own log. The browser tests use the same class as a fixture.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from jinja2 import Template
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from bench.common import PROJECT_ROOT, GunicornServer, http_request
from deploy.tls import make_certificate

DEFAULT_FOLDER = PROJECT_ROOT / "instance" / "stack"
DEFAULT_DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/stack_pathways"
DEFAULT_RATELIMIT_STORAGE = "redis://127.0.0.1:6379/0"
DEFAULT_PORT = 8443
NGINX = os.environ.get("NGINX") or shutil.which("nginx") or "/usr/sbin/nginx"
NGINX_TEMPLATE = Path(__file__).with_name("nginx.conf.j2")


class StackError(RuntimeError):
    """A part of the stack could not be set up or did not start; the message says which and why."""


class Stack:
    """nginx terminating TLS on 127.0.0.1:`port`, round robin over `nodes` gunicorn nodes of the app
    (production mode, PROXY_COUNT=1), on PostgreSQL at `database_url` and rate limits in
    `ratelimit_storage`. `settings` adds environment settings for the nodes (e.g. QUICK_EXIT_URL).
    """

    def __init__(
        self,
        folder: Path = DEFAULT_FOLDER,
        database_url: str = DEFAULT_DATABASE_URL,
        ratelimit_storage: str = DEFAULT_RATELIMIT_STORAGE,
        port: int = DEFAULT_PORT,
        nodes: int = 2,
        workers_per_node: int = 2,
        settings: dict[str, str] | None = None,
        fresh_database: bool = False,
    ):
        if make_url(database_url).get_backend_name() != "postgresql":
            raise StackError(f"the stack runs on PostgreSQL, not {database_url}")
        self.folder, self.database_url, self.ratelimit_storage = Path(folder), database_url, ratelimit_storage
        self.port, self.node_count, self.workers_per_node = port, nodes, workers_per_node
        self.settings, self.fresh_database = dict(settings or {}), fresh_database
        self.certificate = None
        self.nodes: list[GunicornServer] = []
        self.nginx: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def __enter__(self) -> Stack:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    # --- start and stop ---------------------------------------------------------------------------

    def start(self) -> None:
        """Certificate, database (created if missing, then `flask db upgrade`), the nodes, then nginx.

        Returns once a request through nginx answers; on any failure stops what was started.
        """
        if not Path(NGINX).exists():
            raise StackError(f"nginx is not installed at {NGINX}: sudo apt-get install nginx")
        self.folder.mkdir(parents=True, exist_ok=True)
        self._refuse_if_running()
        try:
            self.certificate = make_certificate(self.folder / "tls")
            create_database(self.database_url, fresh=self.fresh_database)
            self.flask("db", "upgrade")
            self.nodes = [
                GunicornServer(
                    "wsgi:app", self.node_env(), self.folder / f"node-{number}.log", workers=self.workers_per_node
                )
                for number in range(1, self.node_count + 1)
            ]
            for node in self.nodes:  # the nodes boot side by side
                node.launch(own_session=True)
            for node in self.nodes:
                node.wait_until_ready()
            self._start_nginx()
        except (RuntimeError, OperationalError) as error:  # a node did not boot; PostgreSQL did not answer
            self.stop()
            raise StackError(str(error)) from error
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """nginx first (no new request reaches a stopping node), then the nodes; waits for each to exit."""
        if self.nginx is not None and self.nginx.poll() is None:
            self.nginx.send_signal(signal.SIGQUIT)  # graceful: finish the requests in flight
            try:
                self.nginx.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.nginx.kill()
                self.nginx.wait()
        for node in self.nodes:  # side by side: a gunicorn master takes a few seconds to exit
            node.terminate()
        for node in self.nodes:
            node.stop()

    def processes_alive(self) -> bool:
        """Whether nginx and every node are still running."""
        running = [self.nginx] + [node.process for node in self.nodes]
        return all(process is not None and process.poll() is None for process in running)

    # --- the parts --------------------------------------------------------------------------------

    def secret_key(self) -> str:
        """The SECRET_KEY every node shares: generated on the first start, kept in the folder (mode 600)."""
        path = self.folder / "secret_key"
        if not path.exists():
            path.touch(mode=0o600)
            path.write_text(secrets.token_urlsafe(48))
        return path.read_text().strip()

    def node_env(self) -> dict[str, str]:
        """The environment of every node, as the README's production section sets it."""
        return {
            "APP_ENV": "production",
            "SECRET_KEY": self.secret_key(),
            "DATABASE_URL": self.database_url,
            "RATELIMIT_STORAGE_URI": self.ratelimit_storage,
            "PROXY_COUNT": "1",
            **self.settings,
        }

    def flask(self, *args: str) -> str:
        """Run a `flask` command against the stack's database, as an operator would; returns its output."""
        env = {**os.environ, **self.node_env(), "DB_MIGRATIONS": "1"}
        result = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "wsgi", *args],
            cwd=PROJECT_ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise StackError(f"flask {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
        return result.stdout.strip()

    def admin_count(self) -> int:
        """How many admin accounts the stack's database has."""
        from course.access import ADMIN
        from course.models import User

        engine = create_engine(self.database_url)
        try:
            with engine.connect() as connection:
                return connection.scalar(select(func.count()).select_from(User).where(User.role == ADMIN))
        finally:
            engine.dispose()

    def _start_nginx(self) -> None:
        (self.folder / "temp").mkdir(exist_ok=True)
        config = self.folder / "nginx.conf"
        config.write_text(
            Template(NGINX_TEMPLATE.read_text()).render(
                folder=self.folder,
                host="127.0.0.1",
                port=self.port,
                certificate=self.certificate,
                node_ports=[node.port for node in self.nodes],
            )
        )
        error_log = self.folder / "nginx-error.log"
        with open(self.folder / "nginx-output.log", "wb") as output:
            self.nginx = subprocess.Popen(
                [NGINX, "-p", f"{self.folder}/", "-c", str(config), "-e", str(error_log)],
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 20
        while True:
            try:
                if http_request(self.port, "GET", "/healthz", timeout=2, tls=self.certificate)[0] == 200:
                    return
            except OSError:
                pass
            if self.nginx.poll() is not None or time.monotonic() > deadline:
                log = error_log.read_text() if error_log.exists() else ""
                raise StackError(f"nginx did not start on port {self.port}:\n{log[-2000:]}")
            time.sleep(0.1)

    def _refuse_if_running(self) -> None:
        pid_file = self.folder / "nginx.pid"
        if pid_file.exists():
            pid = int(pid_file.read_text().strip() or 0)
            if pid and Path(f"/proc/{pid}").exists():
                raise StackError(f"a stack from {self.folder} is already running (nginx pid {pid})")


def create_database(url: str, fresh: bool = False) -> None:
    """Create the PostgreSQL database of `url` if it is missing (drop it first when `fresh`)."""
    target = make_url(url)
    engine = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    quoted = '"' + target.database.replace('"', '""') + '"'
    try:
        with engine.connect() as connection:
            if fresh:
                connection.execute(text(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)"))
            exists = connection.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target.database}
            )
            if not exists:
                connection.execute(text(f"CREATE DATABASE {quoted}"))
    finally:
        engine.dispose()


def _stop_on_signal(signum, frame):
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """Start the stack, say where it is and how to sign in, and stop everything on Ctrl-C."""
    parser = argparse.ArgumentParser(prog="make stack", description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("STACK_PORT", DEFAULT_PORT)))
    parser.add_argument("--folder", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--database-url", default=os.environ.get("STACK_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--redis-url", default=os.environ.get("STACK_REDIS_URL", DEFAULT_RATELIMIT_STORAGE))
    parser.add_argument(
        "--create-admin",
        metavar="USERNAME",
        help="only create an admin account in the stack's database and print its one-time password",
    )
    options = parser.parse_args(argv)
    try:
        stack = Stack(options.folder, options.database_url, options.redis_url, options.port)
        if options.create_admin:
            stack.folder.mkdir(parents=True, exist_ok=True)
            print(stack.flask("users", "create", "--username", options.create_admin, "--role", "admin"))
            return 0
    except StackError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, _stop_on_signal)
    signal.signal(signal.SIGHUP, _stop_on_signal)
    try:
        print(
            f"Starting nginx and {stack.node_count} app nodes (database {make_url(stack.database_url).database},"
            f" rate limits in {stack.ratelimit_storage}) ...",
            flush=True,
        )
        stack.start()
        if stack.admin_count() == 0:
            print(stack.flask("users", "create", "--username", "admin", "--role", "admin"))
            print("Sign in as 'admin' with that password; you will be asked to choose a new one.")
        else:
            print(
                "Sign in with an admin account made before. Another: "
                ".venv/bin/python -m deploy.stack --create-admin NAME"
            )
        print(f"\nThe stack is up: {stack.url}  (self-signed certificate: your browser will warn; curl -k)")
        print(f"Logs, config and the certificate: {stack.folder}. Ctrl-C stops everything.", flush=True)
        while stack.processes_alive():
            time.sleep(0.5)
        print("A part of the stack stopped by itself; stopping the rest. See the logs in " + str(stack.folder))
        return 1
    except KeyboardInterrupt:
        return 0
    except StackError as error:
        print(f"The stack could not start: {error}", file=sys.stderr)
        return 1
    finally:
        stack.stop()
        print("Stopped.", flush=True)


if __name__ == "__main__":
    sys.exit(main())
