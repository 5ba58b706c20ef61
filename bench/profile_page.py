#!/usr/bin/env python3
"""Profile one page in a single process, on the bench's data: where do its milliseconds go?

    .venv/bin/pip install -e '.[bench]'                 # pyinstrument
    .venv/bin/python bench/profile_page.py lesson        # or submit, caseload, cohort, hello
    .venv/bin/python bench/profile_page.py lesson --db postgres --requests 1000
    .venv/bin/python bench/profile_page.py lesson --db postgres --postgres-url postgresql+psycopg://postgres@127.0.0.1:5432/mine

It fills a fresh bench database (as bench/run.py does, ~15 s on SQLite), signs in the right
people the way the bench does, then requests the page through the app's WSGI interface (no
server, no network) and prints: CPU ms per request, SQL statements per request, and
pyinstrument's call tree. The figures explain the bench's; they are not a replacement for it.
"""

from __future__ import annotations

import argparse
import random
import secrets
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402
import data  # noqa: E402
import run  # noqa: E402
from sqlalchemy import event  # noqa: E402

from course.content import get_course  # noqa: E402
from course.extensions import db  # noqa: E402
from course.models import utcnow  # noqa: E402

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
    return [first], ["/bench/hello"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", choices=("lesson", "submit", "caseload", "cohort", "hello"))
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument(
        "--postgres-url",
        default=common.POSTGRES_BENCH_URL,
        help="the PostgreSQL database to drop, fill and use (default: the bench's course_bench)",
    )
    parser.add_argument("--all", action="store_true", help="show library frames in the call tree too")
    parser.add_argument("--flat", action="store_true", help="a flat list of functions by their own time instead")
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


if __name__ == "__main__":
    main()
