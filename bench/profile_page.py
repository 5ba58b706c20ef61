#!/usr/bin/env python3
"""Profile one page in a single process, on the bench's data: where do its milliseconds go?

    .venv/bin/pip install -e '.[bench]'                 # pyinstrument
    .venv/bin/python bench/profile_page.py lesson        # or submit, caseload, cohort, cohort-200, outcomes, hello
    .venv/bin/python bench/profile_page.py lesson --db postgres --requests 1000
    .venv/bin/python bench/profile_page.py lesson --db postgres --postgres-url postgresql+psycopg://postgres@127.0.0.1:5432/mine

It fills a fresh bench database (as bench/run.py does, ~15 s on SQLite), signs in the right
people the way the bench does, then requests the page through the app's WSGI interface (no
server, no network) and prints: CPU ms per request, SQL statements per request, and
pyinstrument's call tree. The figures explain the bench's; they are not a replacement for it.

With --parts (no profiler) it prints instead the CPU ms per request of the parts of a request
(the session check, the lesson's read and write, the template, the rest) and, on PostgreSQL, the
server processes' CPU for this app's connections. For the lesson page it also runs, interleaved in
rounds with the same requests, the page as it was when every view was written (--parts compares
the two; a busy machine slows both alike).
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402
import data  # noqa: E402
import run  # noqa: E402
from sqlalchemy import event, text  # noqa: E402

import course.learn.views as learn_views  # noqa: E402
from course.content import get_course  # noqa: E402
from course.extensions import db  # noqa: E402
from course.models import utcnow  # noqa: E402
from course.services import progress, sessions  # noqa: E402

WARM_UP = 50


def submit_jobs(app, facts: dict, count: int) -> list[tuple[str, str, str]]:
    """One submit, with every answer, to each of `count` fresh open attempts (as the bench makes them)."""
    pool = run.open_attempt_pool(facts, {}, count, utcnow())
    credentials = common.open_sessions(app, sorted({learner for _, learner, _ in pool}))
    return run.submit_lines(pool, credentials)


def targets(kind: str, facts: dict, rng: random.Random) -> tuple[list[int], list[str]]:
    first, last = facts["learner_ids"]
    if kind == "lesson":
        module = get_course().modules[0]  # every learner can open the first module
        learners = rng.sample(range(first, last + 1), 200)
        return learners, [f"/learn/modules/{module.id}/lessons/{rng.choice(module.lessons).id}" for _ in learners]
    if kind == "caseload":
        return [facts["counselor_id"]], ["/counsel/"]
    if kind == "cohort":
        return [facts["facilitator_id"]], [f"/facilitate/cohorts/{facts['big_cohort_id']}"]
    if kind == "cohort-200":
        return [facts["facilitator_id"]], [f"/facilitate/cohorts/{facts['cohort_200_id']}"]
    if kind == "outcomes":
        return [facts["admin_id"]], ["/admin/outcomes"]
    return [first], ["/bench/hello"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", choices=("lesson", "submit", "caseload", "cohort", "cohort-200", "outcomes", "hello"))
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument(
        "--postgres-url",
        default=common.POSTGRES_BENCH_URL,
        help="the PostgreSQL database to drop, fill and use (default: the bench's course_bench)",
    )
    parser.add_argument("--all", action="store_true", help="show library frames in the call tree too")
    parser.add_argument("--flat", action="store_true", help="a flat list of functions by their own time instead")
    parser.add_argument("--parts", action="store_true", help="CPU ms per part of a request, without the profiler")
    args = parser.parse_args()
    from pyinstrument import Profiler

    sqlite_path = Path(tempfile.mkdtemp(prefix="course-bench-profile-")) / "profile.sqlite3"
    url = f"sqlite:///{sqlite_path}" if args.db == "sqlite" else args.postgres_url
    secret = secrets.token_hex(32)
    data.reset_database(url)
    facts = data.fill(common.bench_app(url, secret))
    app = common.bench_app(url, secret, BENCH_HELLO=True)
    rng = random.Random(7)
    with app.app_context():
        if args.page == "submit":
            jobs = submit_jobs(app, facts, args.requests + WARM_UP)
        else:
            users, paths = targets(args.page, facts, rng)
            credentials = common.open_sessions(app, users)
            jobs = [
                (paths[n % len(users)], credentials[users[n % len(users)]].cookie, None)
                for n in range(args.requests + WARM_UP)
            ]
        db.session.remove()

    statements = 0

    def count(*_):
        nonlocal statements
        statements += 1

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", count)
    client = app.test_client()

    def request(path, cookie, body):
        client.set_cookie(*cookie.split("=", 1))
        if body is None:
            return client.get(path)
        return client.post(path, data=body, content_type="application/x-www-form-urlencoded")

    for job in jobs[:WARM_UP]:  # templates compiled, connections open
        status = request(*job).status_code
        assert status in (200, 303), f"{job[0]}: {status}"
    if args.parts:
        return print_parts(app, args, jobs[WARM_UP:], request, lambda: statements)
    statements, profiler = 0, Profiler(interval=0.0005)
    started = time.process_time()
    profiler.start()
    for job in jobs[WARM_UP:]:
        request(*job)
    profiler.stop()
    spent = time.process_time() - started
    print(
        f"{args.page} on {args.db}: {spent / args.requests * 1000:.2f} ms CPU per request (profiled), "
        f"{statements / args.requests:.1f} SQL statements per request"
    )
    print(profiler.output_text(unicode=True, color=False, show_all=args.all, flat=args.flat))


class _Parts:
    """CPU time (time.process_time) spent in the parts of the requests, by name."""

    def __init__(self):
        self.spent: dict[str, float] = {}

    def timed(self, name, function):
        def wrapper(*args, **kwargs):
            started = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                self.spent[name] = self.spent.get(name, 0.0) + time.process_time() - started

        return wrapper

    def timed_context(self, name, factory):
        parts = self

        class Timed:
            def __enter__(self):
                started = time.process_time()
                self.inner = factory()
                try:
                    return self.inner.__enter__()
                finally:
                    parts.spent[name] = parts.spent.get(name, 0.0) + time.process_time() - started

            def __exit__(self, *exc):
                started = time.process_time()
                try:
                    return self.inner.__exit__(*exc)
                finally:
                    parts.spent[name] = parts.spent.get(name, 0.0) + time.process_time() - started

        return Timed


def _server_cpu(app, url: str) -> float:
    """Seconds of CPU the PostgreSQL server processes of this database have used (0 on SQLite)."""
    if not url.startswith("postgresql"):
        return 0.0
    with app.app_context():
        pids = db.session.scalars(text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")).all()
        db.session.rollback()
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # another machine, or the process has ended
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def print_parts(app, args, jobs, request, statements_so_far) -> None:
    """--parts: CPU per part of a request; for the lesson page, as it is and writing every view, interleaved."""
    parts = _Parts()
    sessions.look_up = parts.timed("session check", sessions.look_up)
    learn_views.render_template = parts.timed("template", learn_views.render_template)
    learn_views.write_transaction = parts.timed_context("view write", learn_views.write_transaction)
    progress.record_view = parts.timed("view write", progress.record_view)
    reads = parts.timed("view read", progress.lesson_seen)
    variants = {"as is": reads}
    if args.page == "lesson":
        variants["writing every view"] = lambda learner, lesson: (False, True)
    url = str(app.config["SQLALCHEMY_DATABASE_URI"])
    rounds, totals = 10, {name: [] for name in variants}
    size = max(len(jobs) // rounds, 1)
    for number in range(rounds):
        chunk = jobs[number * size : (number + 1) * size]
        for name in list(variants)[:: 1 if number % 2 == 0 else -1]:
            progress.lesson_seen = variants[name]
            parts.spent, before, server = {}, statements_so_far(), _server_cpu(app, url)
            started = time.process_time()
            for job in chunk:
                request(*job)
            figures = {"total": time.process_time() - started, **parts.spent}
            figures["server"] = _server_cpu(app, url) - server
            figures["statements"] = statements_so_far() - before
            totals[name].append({key: value / len(chunk) for key, value in figures.items()})
    names = ("session check", "view read", "view write", "template")
    for name, runs in totals.items():
        median = {key: statistics.median(run.get(key, 0.0) for run in runs) for key in (*names, "total", "server")}
        rest = median["total"] - sum(median[key] for key in names)
        shown = ", ".join(f"{key} {median[key] * 1000:.2f}" for key in names if key in runs[0] or median[key])
        server = f"; the PostgreSQL server {median['server'] * 1000:.2f} ms" if url.startswith("postgresql") else ""
        print(
            f"{args.page} on {args.db}, {name}: {median['total'] * 1000:.2f} ms CPU per request "
            f"(median of {rounds} rounds of {size}): {shown}, the rest {rest * 1000:.2f}{server}; "
            f"{statistics.mean(run['statements'] for run in runs):.1f} SQL statements per request"
        )


if __name__ == "__main__":
    main()
