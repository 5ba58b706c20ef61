#!/usr/bin/env python3
"""The performance bench: one command, the app under gunicorn on 127.0.0.1, load from wrk.

    .venv/bin/python bench/run.py --db sqlite          # or --db postgres, or --db both
    .venv/bin/python bench/run.py --db both --runs 3   # the default: medians of three runs
    .venv/bin/python bench/run.py --quick              # a short smoke run: one run of 5 s phases
    .venv/bin/python bench/run.py --docs-only          # rewrite the table in docs/performance.md

For each database it fills a fresh bench database (bench/data.py), then for each run starts
gunicorn with gunicorn.conf.py (4 sync workers on 2 cores), opens sessions for the learners, the
counselor, the facilitator and the admin, and measures with wrk (a second process on the same cores):

  lesson   an authenticated lesson page, 16 connections                     req/s, p50, p99
  submit   quiz submits, 50 concurrent submitters, each to its own attempt  submits/s, p99, errors, lost
  caseload the counselor's caseload page (1,000 learners), 1 connection     p50, p95
  cohort   the facilitator's page of the cohort of 10,000, 1 connection     p50, p95
  class    the cohort of 200 (issue 18), 8 connections each:
           its page (page 1 of 4)                                           req/s, p50, p99
           the whole listing, its 4 pages in turn                           listings/s = req/s ÷ 4
           its progress CSV export (a POST with the CSRF token)             exports/s, p50, p99
  outcomes the admin's programme outcomes (every cohort), 1 connection      p50, p95
  memory   VmRSS of each worker after 20,000 requests (and PSS, which counts shared pages once)
  hello    a bare endpoint of the same app and server, 16 connections       req/s, p50, p99
           and the same endpoint with the learners' session cookies (what the session check costs)
  sign-in  the sign-in form (argon2id), 1 and 8 connections                 sign-ins/s, p99

and, in-process before each run, the SQL statements one request executes (the cohort of 200 and
of 10,000, the caseload, the outcomes page): the same for both cohorts, whatever their size.

Once per invocation, before the databases, it measures the peer the issue compares with:
Kolibri 0.19.5's coach report of a class of 200 and its content call, 8 connections, installed
from PyPI into a folder outside the repository and reused (bench/peer_kolibri.py; --no-peer skips it).

It prints one table (medians of the runs), writes raw JSON to bench/results/, and with --docs
rewrites the results block of docs/performance.md. All traffic goes to 127.0.0.1, bounded in time.
Its work files (the SQLite database, wrk's request lists, gunicorn's logs) go to a fresh temporary
folder, named at the start: removed at the end, kept when the bench fails or with --keep-work.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import secrets
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402
import data  # noqa: E402
import verdict  # noqa: E402
from sqlalchemy import delete, event, func, insert, select, text  # noqa: E402

from course.content import get_course  # noqa: E402
from course.extensions import db  # noqa: E402
from course.models import AttemptAnswer, QuizAttempt, utcnow  # noqa: E402
from course.paging import PER_PAGE  # noqa: E402
from course.services.programme_outcomes import DateRange, programme_outcomes  # noqa: E402

BENCH = Path(__file__).resolve().parent
ROOT = common.PROJECT_ROOT
RESULTS = BENCH / "results"
DOCS = ROOT / "docs" / "performance.md"
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
DOCS_START, DOCS_END = "<!-- bench-results:start -->", "<!-- bench-results:end -->"
LESSON_LEARNERS = 1_000
MEMORY_AFTER_REQUESTS = 20_000
SUBMITS_PER_SECOND_POOL = 700  # open attempts made per second of submit load; a run that uses them all is marked
SIGN_INS_PER_SECOND_POOL = 120  # sign-in forms made per second of sign-in load (argon2id allows ~40/s on 2 cores)
DBS = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
CLASS_PAGES = -(-data.CLASS_SIZE // PER_PAGE)  # the pages of the cohort of 200's progress table


@dataclass(frozen=True)
class Plan:
    runs: int
    seconds: int  # each measured load phase
    warmup: int
    staff_seconds: int  # each staff page: caseload, cohorts, the listing, the export, the outcomes


FULL = Plan(runs=3, seconds=30, warmup=5, staff_seconds=20)
QUICK = Plan(runs=1, seconds=5, warmup=2, staff_seconds=5)


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- a quiet machine -------------------------------------------------------------------------------


def cpu_busy(seconds: float = 1.0) -> float:
    """The share of all cores busy over `seconds` (0 to 1), from /proc/stat."""

    def sample():
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        return fields[3] + fields[4], sum(fields[:8])  # idle + iowait, total (without guest time)

    idle0, total0 = sample()
    time.sleep(seconds)
    idle1, total1 = sample()
    return round(1 - (idle1 - idle0) / max(total1 - total0, 1), 3)


def wait_until_quiet(limit: float, max_wait: int) -> float:
    """Wait (up to max_wait seconds) until other work leaves the cores nearly idle; returns the busy share seen."""
    busy, waited = cpu_busy(2), 0
    while busy > limit and waited < max_wait:
        if waited == 0:
            say(f"the machine is {busy:.0%} busy with other work; waiting up to {max_wait} s for it to settle")
        time.sleep(13)
        waited += 15
        busy = cpu_busy(2)
    if busy > limit:
        say(f"still {busy:.0%} busy after {waited} s; measuring anyway (the figures will be low)")
    return busy


# --- wrk ------------------------------------------------------------------------------------------


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    say("wrk is not installed; installing Debian's package: apt-get install -y wrk")
    subprocess.run(["apt-get", "install", "-y", "wrk"], check=False, stdout=subprocess.DEVNULL)
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk is missing and could not be installed: run `sudo apt-get install wrk`")
    return found


QUIET = 0.05  # the share of the cores other programs may use when a run starts (services here idle at ~1 %)
QUIET_WAIT = 900


CLK_TCK = os.sysconf("SC_CLK_TCK")
DISTURBED = 0.10  # a phase in which other programs used more than this share of the cores is "disturbed"


def _user_processes() -> dict[int, tuple[str, int]]:
    """Every user-space process: pid → (name, CPU ticks so far). Kernel threads are left out."""
    found = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry.name}/stat").read_text()
        except OSError:
            continue
        name, rest = stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 2 :].split()
        if int(rest[6]) & 0x00200000:  # PF_KTHREAD in the flags field
            continue
        found[int(entry.name)] = (name, int(rest[11]) + int(rest[12]))
    return found


class ForeignCpu:
    """How much of the cores other programs (another test suite, say) used during a phase.

    Ours: the gunicorn master and workers, wrk, this script and PostgreSQL's processes except the
    client backends of other databases. A process born during the phase counts in full; one that
    ended during it is missed, so this is a lower bound.
    """

    ours = None  # a callable returning the pids that are ours, set by the run

    def __enter__(self):
        self.start, self.wall = _user_processes(), time.monotonic()
        self.mine = self._ours()
        return self

    def _ours(self) -> set[int]:
        return {os.getpid(), *(self.ours() if self.ours else ())}

    def __exit__(self, *exc):
        end, mine = _user_processes(), self.mine | self._ours()
        capacity = (time.monotonic() - self.wall) * CLK_TCK * os.cpu_count()
        foreign = {}
        for pid, (name, ticks) in end.items():
            if pid in mine or name == "wrk":
                continue
            used = ticks - self.start.get(pid, (name, 0))[1]
            if used > 0:
                foreign[name] = foreign.get(name, 0) + used
        self.share = round(sum(foreign.values()) / capacity, 3) if capacity else 0.0
        self.top = (
            {name: round(ticks / capacity, 3) for name, ticks in sorted(foreign.items(), key=lambda item: -item[1])[:3]}
            if capacity
            else {}
        )
        return False


def postgres_pids(database: str | None) -> set[int]:
    """PostgreSQL's processes that serve the bench: background ones, and client backends of `database`."""
    try:
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", connect_timeout=2) as conn:
            rows = conn.execute("SELECT pid, datname, backend_type FROM pg_stat_activity").fetchall()
    except Exception:  # no PostgreSQL: nothing of ours there
        return set()
    return {pid for pid, datname, kind in rows if kind != "client backend" or datname == database}


def run_wrk(base_url: str, script: str, lines_file: Path, connections: int, seconds: int) -> dict:
    """Run wrk against base_url and return what the script's done() printed, the duration in seconds,
    and the share of the cores other work used meanwhile."""
    command = [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(BENCH / "wrk" / script),
        base_url,
        "--",
        str(lines_file),
    ]
    with ForeignCpu() as foreign:
        completed = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 120)
    for line in completed.stdout.splitlines():
        if line.startswith("BENCHJSON "):
            result = json.loads(line[len("BENCHJSON ") :])
            result["seconds"] = result["duration_us"] / 1e6
            result["foreign_cpu"], result["foreign_top"] = foreign.share, foreign.top
            return result
    raise RuntimeError(
        f"wrk printed no result (exit {completed.returncode}): {completed.stdout[-1500:]} {completed.stderr[-1500:]}"
    )


def socket_errors(result: dict) -> int:
    return sum(result["errors"][k] for k in ("connect", "read", "write", "timeout"))


def page_metrics(result: dict, ok_status: str = "200") -> dict:
    ok = result["statuses"].get(ok_status, 0)
    latency = result["latency_us"]
    return {
        "rps": round(ok / result["seconds"], 1),
        "p50_ms": round(latency["p50"] / 1000, 1),
        "p95_ms": round(latency["p95"] / 1000, 1),
        "p99_ms": round(latency["p99"] / 1000, 1),
        "requests": result["requests"],
        "errors": socket_errors(result) + result["requests"] - ok,
        "statuses": result["statuses"],
        "foreign_cpu": result["foreign_cpu"],
        "foreign_top": result["foreign_top"],
    }


# --- the server -----------------------------------------------------------------------------------


class Server(common.GunicornServer):
    """The app as production serves it: gunicorn.conf.py, two workers a core, on a free local port."""

    def __init__(self, database_url: str, secret_key: str, log_path: Path):
        # Rate limits off: every bench client comes from 127.0.0.1, and production refuses memory://
        # limits with several workers (the limits themselves are tested in the suite).
        env = {
            "APP_ENV": "production",
            "SECRET_KEY": secret_key,
            "DATABASE_URL": database_url,
            "BENCH_HELLO": "1",
            "RATELIMIT_ENABLED": "0",
        }
        python = str(VENV_PYTHON if VENV_PYTHON.exists() else sys.executable)
        super().__init__("wsgi:app", env, log_path, workers=os.cpu_count() * 2, python=python)

    def log_summary(self) -> dict:
        text_ = self.log_path.read_text(errors="replace")
        statuses = re.findall(r'" (\d{3}) ', text_)
        return {
            "server_5xx": sum(1 for s in statuses if s.startswith("5")),
            "tracebacks": text_.count("Traceback"),
            "database_locked": text_.count("database is locked"),
            "worker_timeouts": text_.count("WORKER TIMEOUT"),
            "workers_booted": text_.count("Booting worker"),
        }


def memory(pids: list[int]) -> dict:
    """VmRSS and PSS of each pid, in MiB."""
    rss, pss = [], []
    for pid in pids:
        status = Path(f"/proc/{pid}/status").read_text()
        rss.append(int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024)
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        pss.append(int(re.search(r"Pss:\s+(\d+) kB", rollup).group(1)) / 1024)
    return {
        "rss_mib": [round(v, 1) for v in rss],
        "pss_mib": [round(v, 1) for v in pss],
        "max_rss_mib": round(max(rss), 1),
        "mean_rss_mib": round(statistics.mean(rss), 1),
        "max_pss_mib": round(max(pss), 1),
    }


# --- load data for one run ------------------------------------------------------------------------


def write_lines(path: Path, rows) -> Path:
    with open(path, "w") as out:
        for row in rows:
            out.write("\t".join(row) + "\n")
    return path


def _body(module, csrf_token: str) -> str:
    fields = [(f"q-{q.id}", choice) for q in module.quiz.questions for choice in sorted(q.correct_ids)]
    return urllib.parse.urlencode([*fields, ("sequence", "0"), ("csrf_token", csrf_token)])


def open_attempt_pool(facts: dict, credentials: dict, size: int, marker) -> list[tuple[int, int, str]]:
    """`size` open quiz attempts for distinct (learner, module) pairs; returns (attempt id, learner id, module id)."""
    course = get_course()
    taken = set(
        db.session.execute(
            select(QuizAttempt.learner_id, QuizAttempt.module_id).where(
                QuizAttempt.kind == "quiz", QuizAttempt.submitted_at.is_(None)
            )
        ).all()
    )
    first, last = facts["learner_ids"]
    learners = list(range(first, last + 1))
    random.Random(marker.microsecond).shuffle(learners)
    rows = []
    for module in course.modules:
        layout = [{"question": q.id, "choices": [c.id for c in q.choices]} for q in module.quiz.questions]
        for learner_id in learners:
            if len(rows) == size:
                break
            if (learner_id, module.id) not in taken:
                rows.append(
                    {
                        "learner_id": learner_id,
                        "module_id": module.id,
                        "kind": "quiz",
                        "content_version": module.version,
                        "layout": layout,
                        "sequence": 0,
                        "started_at": marker,
                    }
                )
    for start in range(0, len(rows), 5000):
        db.session.execute(insert(QuizAttempt), rows[start : start + 5000])
    db.session.commit()
    pool = db.session.execute(
        select(QuizAttempt.id, QuizAttempt.learner_id, QuizAttempt.module_id)
        .where(QuizAttempt.started_at == marker)
        .order_by(QuizAttempt.id)
    ).all()
    # Interleave learners so concurrent submits come from different people.
    return sorted(pool, key=lambda row: (hash((row[1], marker.microsecond)), row[0]))


def _sign_in_body(username: str, csrf_token: str) -> str:
    return urllib.parse.urlencode({"username": username, "password": data.PASSWORD, "csrf_token": csrf_token})


def submit_lines(pool, credentials) -> list[tuple[str, str, str]]:
    course = get_course()
    return [
        (
            f"/learn/attempts/{attempt_id}/submit",
            credentials[learner_id].cookie,
            _body(course.module(module_id), credentials[learner_id].csrf_token),
        )
        for attempt_id, learner_id, module_id in pool
    ]


def check_submits(pool, acked: list[int]) -> dict:
    """Compare the attempts the database has submitted with the submits acknowledged by a 303."""
    ids = [row[0] for row in pool]
    submitted, complete = set(), 0
    expected = {m.id: len(m.quiz.questions) for m in get_course().modules}
    module_of = {row[0]: row[2] for row in pool}
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        graded = db.session.execute(
            select(QuizAttempt.id, func.count(AttemptAnswer.id))
            .join(AttemptAnswer, AttemptAnswer.attempt_id == QuizAttempt.id)
            .where(
                QuizAttempt.id.in_(chunk),
                QuizAttempt.submitted_at.is_not(None),
                QuizAttempt.score.is_not(None),
                AttemptAnswer.correct.is_not(None),
            )
            .group_by(QuizAttempt.id)
        ).all()
        complete += sum(1 for attempt_id, n in graded if n == expected[module_of[attempt_id]])
        submitted.update(
            db.session.scalars(
                select(QuizAttempt.id).where(QuizAttempt.id.in_(chunk), QuizAttempt.submitted_at.is_not(None))
            )
        )
    acked_set = set(acked)
    return {
        "acknowledged": len(acked_set),
        "submitted_in_db": len(submitted),
        "graded_complete": complete,
        "lost": len(acked_set - submitted),
        "committed_unacknowledged": len(submitted - acked_set),
        "duplicate_acks": len(acked) - len(acked_set),
    }


def drop_open_pool(markers) -> None:
    db.session.execute(
        delete(QuizAttempt).where(QuizAttempt.started_at.in_(markers), QuizAttempt.submitted_at.is_(None))
    )
    db.session.commit()


def statements_per_request(app, requests: dict[str, tuple[str, str]]) -> dict[str, int]:
    """SQL statements one request executes, for each name → (path, cookie): in-process, through the
    test client, counted by a `before_cursor_execute` listener (as bench/profile_page.py counts).

    Each page is asked once first (compiled templates, open connections), then counted once.
    """
    counted = 0

    def count(*_):
        nonlocal counted
        counted += 1

    client, found = app.test_client(), {}
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        for name, (path, cookie) in requests.items():
            client.set_cookie(*cookie.split("=", 1))
            status = client.get(path).status_code
            assert status == 200, f"{name} ({path}) in-process: {status}"
            counted = 0
            status = client.get(path).status_code
            assert status == 200, f"{name} ({path}) in-process: {status}"
            found[name] = counted
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return found


# --- one run --------------------------------------------------------------------------------------


def one_run(name: str, url: str, facts: dict, plan: Plan, number: int, workdir: Path) -> dict:
    secret_key = secrets.token_urlsafe(40)
    app = common.bench_app(url, secret_key)
    rundir = workdir / f"{name}-run{number}"
    rundir.mkdir(parents=True, exist_ok=True)
    with app.app_context():
        first, last = facts["learner_ids"]
        credentials = common.open_sessions(
            app, [*range(first, last + 1), facts["counselor_id"], facts["facilitator_id"], facts["admin_id"]]
        )
        module = get_course().modules[0]
        rng = random.Random(number)
        lesson_learners = rng.sample(range(first, last + 1), LESSON_LEARNERS)
        lesson_file = write_lines(
            rundir / "lesson.tsv",
            (
                (f"/learn/modules/{module.id}/lessons/{rng.choice(module.lessons).id}", credentials[learner].cookie)
                for learner in lesson_learners
                for _ in range(3)
            ),
        )
        hello_file = write_lines(rundir / "hello.tsv", [("/bench/hello",)])
        # The same endpoint with the lesson phase's cookies: what checking the session costs.
        signed_in_hello_file = write_lines(
            rundir / "hello-signed-in.tsv",
            (("/bench/hello", credentials[learner].cookie) for learner in lesson_learners),
        )
        counselor = credentials[facts["counselor_id"]].cookie
        facilitator = credentials[facts["facilitator_id"]].cookie
        caseload_file = write_lines(rundir / "caseload.tsv", [("/counsel/", counselor)])
        cohort_path = f"/facilitate/cohorts/{facts['big_cohort_id']}"
        cohort_file = write_lines(rundir / "cohort.tsv", [(cohort_path, facilitator)])
        cohort_route = "facilitate.cohort" in app.view_functions
        # The cohort of 200: its first page; the whole listing (its pages in turn); its CSV export.
        class_path = f"/facilitate/cohorts/{facts['cohort_200_id']}"
        class_pages = CLASS_PAGES
        class_file = write_lines(rundir / "cohort-200.tsv", [(class_path, facilitator)])
        listing_file = write_lines(
            rundir / "cohort-200-listing.tsv",
            [(f"{class_path}?page={n}", facilitator) for n in range(1, class_pages + 1)],
        )
        export_path = f"{class_path}/export/progress.csv"
        export_body = urllib.parse.urlencode({"csrf_token": credentials[facts["facilitator_id"]].csrf_token})
        export_file = write_lines(rundir / "cohort-200-export.tsv", [(export_path, facilitator, export_body)])
        admin = credentials[facts["admin_id"]].cookie
        outcomes_file = write_lines(rundir / "outcomes.tsv", [("/admin/outcomes", admin)])
        # The outcomes page must do real work: pre-test and first-quiz pairs in every module.
        figures = programme_outcomes(get_course(), DateRange())
        outcome_pairs = {
            "modules": [total.paired for total in figures.modules],
            "questions": sum(item.paired for item in figures.items),
        }
        assert min(outcome_pairs["modules"]) > 0 and outcome_pairs["questions"] > 0, outcome_pairs
        now = utcnow()
        markers = [now.replace(microsecond=m) for m in (number * 3 + 1, number * 3 + 2, number * 3 + 3)]
        check_pool = open_attempt_pool(facts, credentials, 1, markers[0])
        warm_pool = open_attempt_pool(facts, credentials, SUBMITS_PER_SECOND_POOL * plan.warmup, markers[1])
        pool = open_attempt_pool(facts, credentials, SUBMITS_PER_SECOND_POOL * plan.seconds, markers[2])
        check_lines = submit_lines(check_pool, credentials)
        sign_in_files = {
            connections: write_lines(
                rundir / f"sign-in-{connections}.tsv",
                (
                    ("/auth/login", cookie, _sign_in_body(f"learner-{rng.randint(first, last):05d}", token))
                    for cookie, token in common.signed_out_forms(app, SIGN_INS_PER_SECOND_POOL * plan.seconds)
                ),
            )
            for connections in (1, 8)
        }
        warm_file = write_lines(rundir / "submit-warmup.tsv", submit_lines(warm_pool, credentials))
        submit_file = write_lines(rundir / "submit.tsv", submit_lines(pool, credentials))
        db.session.remove()
    # Statements per request, in-process: constant in the number of learners on the page.
    statements = statements_per_request(
        app,
        {
            "cohort_200": (class_path, facilitator),
            "cohort_10000": (cohort_path, facilitator),
            "caseload": ("/counsel/", counselor),
            "outcomes": ("/admin/outcomes", admin),
        },
    )
    with app.app_context():
        db.session.remove()

    server = Server(url, secret_key, rundir / "gunicorn.log")
    # Other work on the machine skews the figures: wait for quiet, and keep what was seen next to them.
    result: dict = {
        "run": number,
        "busy_before_run": wait_until_quiet(QUIET, QUIET_WAIT),
        "loadavg_before": os.getloadavg(),
        "busy_between_phases": {},
        "statements": statements,
        "outcome_pairs": outcome_pairs,
    }
    requests_done = 0
    try:
        server.start()
        database = None if url.startswith("sqlite") else url.rsplit("/", 1)[1]
        ForeignCpu.ours = staticmethod(lambda: {server.process.pid, *server.workers(), *postgres_pids(database)})
        pids_at_start = server.workers()
        result["server"] = {
            "ready_seconds": server.ready_seconds,
            "health": server.health,
            "workers": len(pids_at_start),
            "memory_at_start": memory(pids_at_start),
        }
        # Check that every request below does what it should before measuring it.
        status, _, body = common.http_request(server.port, "GET", "/bench/hello")
        assert status == 200 and body == "hello", (status, body[:200])
        with open(lesson_file) as lines:
            path, cookie = lines.readline().rstrip("\n").split("\t")
        status, _, body = common.http_request(server.port, "GET", path, cookie)
        assert status == 200, f"lesson page (a redirect means the session was refused): {status} {body[:300]}"
        path, cookie, form = check_lines[0]
        status, headers, body = common.http_request(server.port, "POST", path, cookie, form)
        assert status == 303 and headers.get("Location", "").endswith("/result"), f"submit: {status} {body[:500]}"
        status, _, body = common.http_request(server.port, "GET", "/counsel/", counselor)
        assert status == 200, f"caseload page: {status} {body[:300]}"
        cohort_status = common.http_request(server.port, "GET", cohort_path, facilitator)[0] if cohort_route else None
        for n in range(1, class_pages + 1):
            status, _, body = common.http_request(server.port, "GET", f"{class_path}?page={n}", facilitator)
            assert status == 200 and "Cohort of 200" in body, f"cohort of 200, page {n}: {status} {body[:300]}"
        status, headers, body = common.http_request(server.port, "POST", export_path, facilitator, export_body)
        exported = len(body.strip().splitlines()) - 1
        assert status == 200 and headers.get("Content-Type", "").startswith("text/csv"), (
            f"export: {status} {body[:300]}"
        )
        assert exported == facts["cohort_200_size"], f"the export has {exported} learners"
        status, _, body = common.http_request(server.port, "GET", "/admin/outcomes", admin)
        assert status == 200, f"outcomes page: {status} {body[:300]}"

        say(f"{name} run {number}: lesson page, 16 connections, {plan.seconds} s")
        requests_done += run_wrk(server.url, "get.lua", lesson_file, 16, plan.warmup)["requests"]
        result["busy_between_phases"]["lesson"] = cpu_busy()
        lesson = run_wrk(server.url, "get.lua", lesson_file, 16, plan.seconds)
        requests_done += lesson["requests"]
        result["lesson"] = page_metrics(lesson)

        say(f"{name} run {number}: quiz submit, 50 submitters, {plan.seconds} s")
        warm = run_wrk(server.url, "submit.lua", warm_file, 50, plan.warmup)
        requests_done += warm["requests"]
        result["busy_between_phases"]["submit"] = cpu_busy()
        submit = run_wrk(server.url, "submit.lua", submit_file, 50, plan.seconds)
        requests_done += submit["requests"]
        time.sleep(1)  # let the submits wrk stopped waiting for finish
        with app.app_context():
            checked = check_submits(pool, submit.get("acked", []))
            db.session.remove()
        acked = submit["statuses"].get("303", 0)
        result["submit"] = {
            "rps": round(acked / submit["seconds"], 1),
            "p50_ms": round(submit["latency_us"]["p50"] / 1000, 1),
            "p99_ms": round(submit["latency_us"]["p99"] / 1000, 1),
            "requests": submit["requests"],
            "errors": socket_errors(submit) + submit["requests"] - acked,
            "statuses": submit["statuses"],
            "pool": len(pool),
            "pool_exhausted": submit["exhausted"] or warm["exhausted"],
            "foreign_cpu": submit["foreign_cpu"],
            "foreign_top": submit["foreign_top"],
            **checked,
        }

        say(f"{name} run {number}: caseload page (1,000), 1 connection, {plan.staff_seconds} s")
        requests_done += run_wrk(server.url, "get.lua", caseload_file, 1, min(plan.warmup, 3))["requests"]
        result["busy_between_phases"]["caseload"] = cpu_busy()
        caseload = run_wrk(server.url, "get.lua", caseload_file, 1, plan.staff_seconds)
        requests_done += caseload["requests"]
        result["caseload"] = page_metrics(caseload)

        if cohort_status == 200:
            say(f"{name} run {number}: cohort page (10,000), 1 connection, {plan.staff_seconds} s")
            requests_done += run_wrk(server.url, "get.lua", cohort_file, 1, min(plan.warmup, 3))["requests"]
            result["busy_between_phases"]["cohort"] = cpu_busy()
            cohort = run_wrk(server.url, "get.lua", cohort_file, 1, plan.staff_seconds)
            requests_done += cohort["requests"]
            result["cohort"] = page_metrics(cohort)

            staff_phases = (
                ("cohort_200", f"cohort page (200, page 1 of {class_pages}), 8 connections", class_file, 8),
                ("listing_200", f"the cohort of 200's {class_pages} pages in turn, 8 connections", listing_file, 8),
                ("export_200", "the cohort of 200's progress CSV, 8 connections", export_file, 8),
            )
            for phase, what, lines_file, connections in staff_phases:
                say(f"{name} run {number}: {what}, {plan.staff_seconds} s")
                requests_done += run_wrk(server.url, "get.lua", lines_file, connections, min(plan.warmup, 3))[
                    "requests"
                ]
                result["busy_between_phases"][phase] = cpu_busy()
                measured = run_wrk(server.url, "get.lua", lines_file, connections, plan.staff_seconds)
                requests_done += measured["requests"]
                result[phase] = page_metrics(measured)
            result["listing_200"]["pages"] = class_pages
            result["listing_200"]["listings_per_s"] = round(result["listing_200"]["rps"] / class_pages, 1)
        else:
            result["cohort"] = {
                "not_built": True,
                "reason": "no facilitate.cohort route" if not cohort_route else f"status {cohort_status}",
            }

        say(f"{name} run {number}: programme outcomes page, 1 connection, {plan.staff_seconds} s")
        requests_done += run_wrk(server.url, "get.lua", outcomes_file, 1, min(plan.warmup, 3))["requests"]
        result["busy_between_phases"]["outcomes"] = cpu_busy()
        outcomes = run_wrk(server.url, "get.lua", outcomes_file, 1, plan.staff_seconds)
        requests_done += outcomes["requests"]
        result["outcomes"] = page_metrics(outcomes)

        if requests_done < MEMORY_AFTER_REQUESTS and plan is not QUICK:
            seconds = max(2, int((MEMORY_AFTER_REQUESTS - requests_done) / max(result["lesson"]["rps"], 50)) + 2)
            say(
                f"{name} run {number}: {requests_done} requests so far; lesson pages for {seconds} s more before memory"
            )
            requests_done += run_wrk(server.url, "get.lua", lesson_file, 16, seconds)["requests"]
        pids = server.workers()
        result["memory"] = {
            **memory(pids),
            "after_requests": requests_done,
            "workers_recycled": pids != pids_at_start,
            "master_rss_mib": memory([server.process.pid])["max_rss_mib"],
        }

        say(f"{name} run {number}: bare hello endpoint, 16 connections, {plan.seconds} s")
        run_wrk(server.url, "get.lua", hello_file, 16, plan.warmup)
        result["busy_between_phases"]["hello"] = cpu_busy()
        result["hello"] = page_metrics(run_wrk(server.url, "get.lua", hello_file, 16, plan.seconds))
        result["lesson"]["ratio_to_hello"] = round(result["lesson"]["rps"] / result["hello"]["rps"], 3)
        say(f"{name} run {number}: the same endpoint signed in, 16 connections, {plan.seconds} s")
        result["hello_signed_in"] = page_metrics(run_wrk(server.url, "get.lua", signed_in_hello_file, 16, plan.seconds))
        for connections, lines_file in sign_in_files.items():
            say(f"{name} run {number}: sign-in form, {connections} connection(s), {plan.seconds} s")
            result["busy_between_phases"][f"sign_in_{connections}"] = cpu_busy()
            sign_ins = run_wrk(server.url, "submit.lua", lines_file, connections, plan.seconds)
            result[f"sign_in_{connections}"] = page_metrics(sign_ins, ok_status="302")
        result["loadavg_after"] = os.getloadavg()
        shares = [
            result.get(phase, {}).get("foreign_cpu", 0)
            for phase in (
                "lesson",
                "submit",
                "caseload",
                "cohort",
                "cohort_200",
                "listing_200",
                "export_200",
                "outcomes",
                "hello",
                "hello_signed_in",
            )
        ]
        result["disturbed"] = max(shares) > DISTURBED
    finally:
        ForeignCpu.ours = None
        server.stop()
        result["log"] = server.log_summary() if server.log_path.exists() else {}
        with app.app_context():
            drop_open_pool(markers)
            db.session.remove()
            db.engine.dispose()
    return result


# --- summary, targets, table ----------------------------------------------------------------------


def median_of(runs: list[dict], section: str, key: str):
    values = [run[section][key] for run in runs if key in run.get(section, {})]
    return round(statistics.median(values), 3) if values else None


def total_of(runs: list[dict], section: str, key: str):
    values = [run[section][key] for run in runs if key in run.get(section, {})]
    return sum(values) if values else None


def summarise(runs: list[dict]) -> dict:
    s = {}
    for key in ("rps", "p50_ms", "p99_ms", "ratio_to_hello"):
        s[f"lesson_{key}"] = median_of(runs, "lesson", key)
    for key in ("rps", "p50_ms", "p99_ms"):
        s[f"hello_{key}"] = median_of(runs, "hello", key)
        s[f"hello_signed_in_{key}"] = median_of(runs, "hello_signed_in", key)
    for key in ("rps", "p50_ms", "p99_ms"):
        s[f"submit_{key}"] = median_of(runs, "submit", key)
    for key in ("errors", "lost", "acknowledged", "submitted_in_db", "committed_unacknowledged"):
        s[f"submit_{key}"] = total_of(runs, "submit", key)
    s["submit_pool_exhausted"] = any(run["submit"].get("pool_exhausted") for run in runs)
    s["lesson_errors"] = total_of(runs, "lesson", "errors")
    for connections in (1, 8):
        for key in ("rps", "p99_ms"):
            s[f"sign_in_{connections}_{key}"] = median_of(runs, f"sign_in_{connections}", key)
        s[f"sign_in_{connections}_errors"] = total_of(runs, f"sign_in_{connections}", "errors")
    for page in ("caseload", "cohort"):
        for key in ("p50_ms", "p95_ms", "rps"):
            s[f"{page}_{key}"] = median_of(runs, page, key)
        s[f"{page}_errors"] = total_of(runs, page, "errors")
    s["cohort_not_built"] = next((run["cohort"]["reason"] for run in runs if run["cohort"].get("not_built")), None)
    for page in ("cohort_200", "listing_200", "export_200"):
        for key in ("rps", "p50_ms", "p99_ms"):
            s[f"{page}_{key}"] = median_of(runs, page, key)
        s[f"{page}_errors"] = total_of(runs, page, "errors")
    s["listing_200_listings_per_s"] = median_of(runs, "listing_200", "listings_per_s")
    for key in ("p50_ms", "p95_ms"):
        s[f"outcomes_{key}"] = median_of(runs, "outcomes", key)
    s["outcomes_errors"] = total_of(runs, "outcomes", "errors")
    for page in ("cohort_200", "cohort_10000", "caseload", "outcomes"):
        # The same in every run (one request, counted in-process); the largest if they ever differ.
        counts = [run["statements"][page] for run in runs if page in run.get("statements", {})]
        s[f"statements_{page}"] = max(counts) if counts else None
    s["memory_max_rss_mib"] = median_of(runs, "memory", "max_rss_mib")
    s["memory_mean_rss_mib"] = median_of(runs, "memory", "mean_rss_mib")
    s["memory_max_pss_mib"] = median_of(runs, "memory", "max_pss_mib")
    s["memory_after_requests"] = min(run["memory"]["after_requests"] for run in runs)
    s["server_5xx"] = sum(run["log"].get("server_5xx", 0) for run in runs)
    s["database_locked"] = sum(run["log"].get("database_locked", 0) for run in runs)
    return s


def targets(s: dict) -> dict:
    """Each target: met (True/False), or None when it could not be measured."""

    def ok(value, limit, above=False):
        if value is None:
            return None
        return value >= limit if above else value <= limit

    lesson_half = None if s["lesson_rps"] is None or s["hello_rps"] is None else s["lesson_rps"] >= s["hello_rps"] / 2
    small, large = s.get("statements_cohort_200"), s.get("statements_cohort_10000")
    peer, ours = s.get("peer_coach_report_rps"), s.get("cohort_200_rps")
    peer_twenty_times = None if not peer or ours is None else ours >= 20 * peer
    statements_equal = None if small is None or large is None else small == large
    return {
        "lesson ≥ ½ hello req/s": lesson_half,
        "lesson p99 ≤ 150 ms": ok(s["lesson_p99_ms"], 150),
        "submit p99 ≤ 250 ms": ok(s["submit_p99_ms"], 250),
        "submit 0 errors": ok(s["submit_errors"], 0),
        "submit 0 lost": ok(s["submit_lost"], 0),
        "caseload p50 ≤ 25 ms": ok(s["caseload_p50_ms"], 25),
        "caseload p95 ≤ 100 ms": ok(s["caseload_p95_ms"], 100),
        "cohort p50 ≤ 50 ms": ok(s["cohort_p50_ms"], 50),
        "cohort p95 ≤ 300 ms": ok(s["cohort_p95_ms"], 300),
        "cohort of 200 ≥ 180 req/s at 8 conn.": ok(s["cohort_200_rps"], 180, above=True),
        "cohort of 200 ≥ 20× Kolibri's coach report (same run)": peer_twenty_times,
        "outcomes p50 ≤ 300 ms": ok(s["outcomes_p50_ms"], 300),
        "statements: cohort of 200 = cohort of 10,000": statements_equal,
        "≤ 80 MiB RSS per worker": ok(s["memory_max_rss_mib"], 80),
    }


def _fmt(value, unit="") -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and value >= 100:
        value = round(value)
    return f"{value:,}{unit}" if isinstance(value, int) else f"{value:g}{unit}"


def _mark(met) -> str:
    return "" if met is None else " ✓" if met else " ✗"


ROWS = [
    # (row label, measure label, summary key or callable, unit, target key)
    ("(a) lesson page, 16 conn.", "req/s", "lesson_rps", "", "lesson ≥ ½ hello req/s"),
    ("", "p50", "lesson_p50_ms", " ms", None),
    ("", "p99", "lesson_p99_ms", " ms", "lesson p99 ≤ 150 ms"),
    ("", "errors", "lesson_errors", "", None),
    ("(b) quiz submit, 50 submitters", "submits/s", "submit_rps", "", None),
    ("", "p50", "submit_p50_ms", " ms", None),
    ("", "p99", "submit_p99_ms", " ms", "submit p99 ≤ 250 ms"),
    ("", "errors", "submit_errors", "", "submit 0 errors"),
    ("", "lost (303 seen, not in DB)", "submit_lost", "", "submit 0 lost"),
    (
        "",
        "acknowledged / in DB",
        lambda s: f"{_fmt(s['submit_acknowledged'])} / {_fmt(s['submit_submitted_in_db'])}",
        "",
        None,
    ),
    ("(c) caseload of 1,000, 1 conn.", "p50", "caseload_p50_ms", " ms", "caseload p50 ≤ 25 ms"),
    ("", "p95", "caseload_p95_ms", " ms", "caseload p95 ≤ 100 ms"),
    ("(c) cohort of 10,000, 1 conn.", "p50", "cohort_p50_ms", " ms", "cohort p50 ≤ 50 ms"),
    ("", "p95", "cohort_p95_ms", " ms", "cohort p95 ≤ 300 ms"),
    ("(d) memory per worker", "max VmRSS", "memory_max_rss_mib", " MiB", "≤ 80 MiB RSS per worker"),
    ("", "max PSS", "memory_max_pss_mib", " MiB", None),
    ("(e) bare hello, 16 conn.", "req/s", "hello_rps", "", None),
    ("", "p99", "hello_p99_ms", " ms", None),
    ("(a) ÷ (e)", "ratio", "lesson_ratio_to_hello", "", "lesson ≥ ½ hello req/s"),
    ("(e′) the same, signed in", "req/s", "hello_signed_in_rps", "", None),
    ("", "p99", "hello_signed_in_p99_ms", " ms", None),
    ("(f) sign-in form, 1 conn.", "sign-ins/s", "sign_in_1_rps", "", None),
    ("", "p99", "sign_in_1_p99_ms", " ms", None),
    ("(f) sign-in form, 8 conn.", "sign-ins/s", "sign_in_8_rps", "", None),
    ("", "p99", "sign_in_8_p99_ms", " ms", None),
    ("", "errors", "sign_in_8_errors", "", None),
    ("(g) cohort of 200, page 1, 8 conn.", "req/s", "cohort_200_rps", "", "cohort of 200 ≥ 180 req/s at 8 conn."),
    ("", "p50", "cohort_200_p50_ms", " ms", None),
    ("", "p99", "cohort_200_p99_ms", " ms", None),
    ("", "errors", "cohort_200_errors", "", None),
    (
        f"(g′) all 200 learners: the {CLASS_PAGES} pages in turn, 8 conn.",
        f"listings/s (req/s ÷ {CLASS_PAGES})",
        "listing_200_listings_per_s",
        "",
        None,
    ),
    ("", "p50 a page", "listing_200_p50_ms", " ms", None),
    ("", "p99 a page", "listing_200_p99_ms", " ms", None),
    ("(g″) cohort of 200's progress CSV, 8 conn.", "exports/s", "export_200_rps", "", None),
    ("", "p50", "export_200_p50_ms", " ms", None),
    ("", "p99", "export_200_p99_ms", " ms", None),
    ("", "errors", "export_200_errors", "", None),
    ("(h) programme outcomes, 1 conn.", "p50", "outcomes_p50_ms", " ms", "outcomes p50 ≤ 300 ms"),
    ("", "p95", "outcomes_p95_ms", " ms", None),
    ("", "errors", "outcomes_errors", "", None),
    (
        "(i) SQL statements a request",
        "cohort of 200 / of 10,000",
        lambda s: f"{_fmt(s.get('statements_cohort_200'))} / {_fmt(s.get('statements_cohort_10000'))}",
        "",
        "statements: cohort of 200 = cohort of 10,000",
    ),
    ("", "caseload of 1,000", "statements_caseload", "", None),
    ("", "programme outcomes", "statements_outcomes", "", None),
    ("(j) peer: Kolibri's coach report, class of 200, 8 conn.", "req/s", "peer_coach_report_rps", "", None),
    ("", "p50", "peer_coach_report_p50_ms", " ms", None),
    ("(g) ÷ (j)", "ratio", "cohort_200_to_peer", "", "cohort of 200 ≥ 20× Kolibri's coach report (same run)"),
    ("(g′) ÷ (j)", "whole listings ÷ reports", "listing_200_to_peer", "", None),
    ("(j′) peer: Kolibri's content node, 8 conn.", "req/s", "peer_content_node_rps", "", None),
]


PEER_WORKDIR = Path(tempfile.gettempdir()) / "course-bench-kolibri"  # kept between invocations: no reinstall


def measure_peer(plan: Plan) -> dict:
    """Kolibri's coach report of a class of 200 and its content call, once per invocation (bench/peer_kolibri.py).

    Set up once in PEER_WORKDIR (outside the repository) and reused; a failure is reported, not fatal.
    """
    import peer_kolibri

    wait_until_quiet(QUIET, QUIET_WAIT)
    say(f"peer: Kolibri, {plan.seconds} s a phase, in {PEER_WORKDIR}")
    try:
        return peer_kolibri.measure(plan.seconds, workdir=PEER_WORKDIR, warmup=plan.warmup)
    except Exception as error:  # the bench's own figures still count
        say(f"peer: not measured ({error!r})")
        return {"error": repr(error)}


def with_peer(summary: dict, peer: dict | None) -> dict:
    """The peer's figures beside ours in the summary, and the ratios the issue asks for."""
    if not peer or "coach_report" not in peer:
        return summary
    report, node = peer["coach_report"], peer["content_node"]
    summary.update(
        peer_coach_report_rps=report["rps"],
        peer_coach_report_p50_ms=report["p50_ms"],
        peer_content_node_rps=node["rps"],
    )
    if report["rps"]:
        for key, ours in (
            ("cohort_200_to_peer", "cohort_200_rps"),
            ("listing_200_to_peer", "listing_200_listings_per_s"),
        ):
            if summary.get(ours) is not None:
                summary[key] = round(summary[ours] / report["rps"], 1)
    return summary


def table(results: dict[str, dict]) -> str:
    names = list(results)
    head = "| Scenario | Measure | " + " | ".join(DBS[n] for n in names) + " |"
    lines = [head, "|" + " --- |" * (2 + len(names))]
    for label, measure, key, unit, target in ROWS:
        cells = []
        for name in names:
            s, met = results[name]["summary"], results[name]["targets"]
            if key == "cohort_p50_ms" and s.get("cohort_not_built"):
                cells.append(f"not built yet ({s['cohort_not_built']})")
                continue
            value = key(s) if callable(key) else _fmt(s.get(key), unit)
            cells.append(value + (_mark(met.get(target)) if target else ""))
        lines.append(f"| {label} | {measure} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


# --- machine and docs -----------------------------------------------------------------------------


def machine() -> dict:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem_kib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    info = {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(mem_kib / 1024 / 1024, 1),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "kernel": platform.release(),
    }
    try:
        import gunicorn

        info["gunicorn"] = gunicorn.__version__
    except ImportError:
        pass
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True)
    info["wrk"] = (wrk.stdout or wrk.stderr).split("Copyright")[0].strip()
    try:
        from sqlalchemy import create_engine

        engine = create_engine(common.POSTGRES_ADMIN_URL)
        with engine.connect() as conn:
            info["postgresql"] = conn.scalar(text("SHOW server_version"))
        engine.dispose()
    except Exception as error:  # PostgreSQL is optional for --db sqlite
        info["postgresql"] = f"unavailable ({type(error).__name__})"
    return info


def commit() -> str:
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    return head + (" (with uncommitted changes)" if dirty else "")


def latest_results() -> dict[str, dict]:
    found = {}
    for path in sorted(RESULTS.glob("*.json")):
        record = json.loads(path.read_text())
        if not record.get("quick"):
            found[record["database"]] = {**record, "file": path.name}
    return {name: found[name] for name in DBS if name in found}


def docs_block(results: dict[str, dict]) -> str:
    first = next(iter(results.values()))
    m = first["machine"]
    lines = [
        DOCS_START,
        "",
        f"Medians of {first['plan']['runs']} runs per database ({first['plan']['seconds']} s per load phase after "
        f"{first['plan']['warmup']} s of warm-up; {first['plan']['staff_seconds']} s for the staff pages); "
        "errors and lost submits are totals over those runs. "
        + "; ".join(
            f"{DBS[name]}: {r['summary'].get('runs_disturbed', 0)} run(s) repeated because other work "
            f"took over {DISTURBED:.0%} of the cores"
            for name, r in results.items()
        )
        + ".",
        "",
        table(results),
        "",
        *verdict.verdict_lines(results),
        "",
        "Runs: "
        + "; ".join(
            f"{DBS[name]} {r['finished_at']} at commit `{r['commit']}` (`bench/results/{r['file']}`)"
            for name, r in results.items()
        ),
        "",
        f"Machine: {m['nproc']} cores ({m['cpu']}), {m['memory_gib']} GiB, Linux {m['kernel']}; Python {m['python']}, "
        f"SQLite {m['sqlite']}, PostgreSQL {m['postgresql']}, gunicorn {m.get('gunicorn', '?')}, {m['wrk']} "
        "on the same cores.",
        "",
        DOCS_END,
    ]
    return "\n".join(lines)


def write_docs(results: dict[str, dict]) -> None:
    if not results:
        say("no full results in bench/results/ yet; docs/performance.md not changed")
        return
    block = docs_block(results)
    current = DOCS.read_text() if DOCS.exists() else f"# Performance\n\n{DOCS_START}\n{DOCS_END}\n"
    if DOCS_START not in current:
        current += f"\n{DOCS_START}\n{DOCS_END}\n"
    before, rest = current.split(DOCS_START, 1)
    after = rest.split(DOCS_END, 1)[1]
    DOCS.write_text(before + block + after)
    say(f"wrote the results table into {DOCS.relative_to(ROOT)}")


# --- main -----------------------------------------------------------------------------------------


def bench_database(
    name: str, plan: Plan, workdir: Path, quick: bool, peer: dict | None = None, courses: int = 1
) -> dict:
    """Fill a fresh database, measure `plan.runs` undisturbed runs on it, and write their JSON to bench/results/."""
    url = f"sqlite:///{workdir / 'bench.sqlite3'}" if name == "sqlite" else common.POSTGRES_BENCH_URL
    measured_commit = commit()  # the code the servers load, taken before the runs start
    say(f"{DBS[name]}: filling a fresh database ({url})")
    data.reset_database(url)
    facts = data.fill(common.bench_app(url, secrets.token_urlsafe(40)), courses=courses)
    say(
        f"{DBS[name]}: {facts['counts']} in {facts['build_seconds']} s to build + {facts['insert_seconds']} s to insert"
    )
    runs, number = [], 0
    # A run in which other work took a noticeable share of the cores is repeated, up to twice as many runs.
    while sum(not r.get("disturbed") for r in runs) < plan.runs and number < 2 * plan.runs:
        number += 1
        runs.append(one_run(name, url, facts, plan, number, workdir))
        r = runs[-1]
        say(
            f"{DBS[name]} run {number}: lesson {r['lesson']['rps']} req/s p99 {r['lesson']['p99_ms']} ms; "
            f"submit {r['submit']['rps']}/s p99 {r['submit']['p99_ms']} ms errors {r['submit']['errors']} "
            f"lost {r['submit']['lost']}; caseload p95 {r['caseload'].get('p95_ms')} ms; "
            f"cohort p95 {r['cohort'].get('p95_ms', r['cohort'].get('reason'))}; "
            f"cohort of 200 {r.get('cohort_200', {}).get('rps')} req/s; outcomes p50 {r['outcomes']['p50_ms']} ms; "
            f"RSS max {r['memory']['max_rss_mib']} MiB; hello {r['hello']['rps']} req/s; "
            f"other work before the run {r['busy_before_run']:.0%}"
            + (", DISTURBED by other work during it" if r.get("disturbed") else "")
        )
    calm = [r for r in runs if not r.get("disturbed")]
    summary = with_peer(summarise(calm if len(calm) >= plan.runs else runs), peer)
    summary["runs_used"] = len(calm) if len(calm) >= plan.runs else len(runs)
    summary["runs_disturbed"] = len(runs) - len(calm)
    record = {
        "database": name,
        "quick": quick,
        "plan": asdict(plan),
        "commit": measured_commit,
        "machine": machine(),
        "finished_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "dataset": {k: v for k, v in facts.items() if k != "learner_ids"},
        "runs": runs,
        "peer": peer,
        "summary": summary,
        "targets": targets(summary),
    }
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS / f"{stamp}-{name}{'-quick' if quick else ''}.json"
    path.write_text(json.dumps(record, indent=1, default=str) + "\n")
    say(f"raw results: {path.relative_to(ROOT)}")
    return record


def bench_all(
    names: list[str], plan: Plan, quick: bool, keep_work: bool, peer: dict | None, courses: int = 1
) -> dict[str, dict]:
    """Bench each database in a fresh temporary work folder (never one a previous run left behind)."""
    workdir = Path(tempfile.mkdtemp(prefix="course-bench-"))
    say(f"work files (database, request lists, gunicorn logs): {workdir}")
    try:
        results = {name: bench_database(name, plan, workdir, quick, peer, courses) for name in names}
    except BaseException:
        say(f"stopped; the work files are kept for a look: {workdir}")
        raise
    if keep_work:
        say(f"work files kept: {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return results


def main() -> None:
    global QUIET_WAIT
    import signal

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop: still run the finally blocks (gunicorn)
    parser = argparse.ArgumentParser(description="Performance bench (see the module docstring).")
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--runs", type=int, default=None, help="runs per database (default 3; --quick: 1)")
    parser.add_argument("--quick", action="store_true", help="one short run per database: a smoke test")
    parser.add_argument("--seconds", type=int, default=None, help="seconds per measured load phase (default 30)")
    parser.add_argument(
        "--quiet-wait",
        type=int,
        default=900,
        help="seconds to wait before each run for other work to stop (default 900; 0: never wait)",
    )
    parser.add_argument("--docs", action="store_true", help="also rewrite the results block of docs/performance.md")
    parser.add_argument(
        "--keep-work", action="store_true", help="keep the temporary work folder (database, request lists, logs)"
    )
    parser.add_argument(
        "--docs-only", action="store_true", help="rewrite docs/performance.md from bench/results/ and stop"
    )
    parser.add_argument(
        "--no-peer", action="store_true", help="do not measure Kolibri's coach report (bench/peer_kolibri.py)"
    )
    parser.add_argument(
        "--courses",
        type=int,
        choices=(1, 2),
        default=1,
        help="2: also serve a second course (an imported pack), assigned to the cohort of 200",
    )
    args = parser.parse_args()
    if args.docs_only:
        write_docs(latest_results())
        return
    ensure_wrk()
    QUIET_WAIT = args.quiet_wait
    plan = QUICK if args.quick else FULL
    if args.runs or args.seconds:
        plan = Plan(
            runs=args.runs or plan.runs,
            seconds=args.seconds or plan.seconds,
            warmup=plan.warmup,
            staff_seconds=min(plan.staff_seconds, args.seconds or plan.staff_seconds),
        )
    names = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    peer = None if args.no_peer else measure_peer(plan)
    results = bench_all(names, plan, args.quick, args.keep_work, peer, args.courses)
    print()
    print(f"Medians of {plan.runs} run(s); {plan.seconds} s per load phase; commit {commit()}")
    print(table(results))
    print("\n".join(verdict.verdict_lines(results)))
    if args.docs and not args.quick:
        write_docs(latest_results())


if __name__ == "__main__":
    main()
