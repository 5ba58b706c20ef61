#!/usr/bin/env python3
"""A peer product on the same machine: Kolibri 0.19.5's coach report of a class of 200 learners (issue 18).

    python3 bench/peer_kolibri.py --seconds 10                  # fresh temporary work folder, removed at the end
    python3 bench/peer_kolibri.py --workdir ~/.cache/kolibri-peer  # kept: reruns skip the install and the data

Standalone (the standard library, wrk and the bench's wrk scripts in bench/wrk/); bench/run.py can call
`measure(seconds, workdir)`. Steps, each skipped when a kept work folder already has its result:

  1. a virtualenv in the work folder with kolibri==0.19.5 from PyPI (its dependencies ship inside the wheel);
  2. a Kolibri home there (KOLIBRI_HOME), provisioned without questions: `kolibri manage provisiondevice`;
  3. through Kolibri's own Django models (a script run by the venv's python after kolibri.utils.main.initialize()):
     a channel made of rows, not imported (5 topics, 20 lessons' worth of nodes: a document and two exercises
     each), a class of 200 learners, its coach, 5 lessons and 2 quizzes assigned to the class, and progress logs
     for 90 % of the learners (summary, session, mastery and attempt logs; quiz logs as Kolibri 0.19 writes
     them: a summary log per quiz, a mastery log with a negative level and its attempt logs), seeded random;
  4. `kolibri start --foreground` (its production server: one process, cheroot's thread pool serving the app,
     and a second cheroot server for zipped content), sign in as the coach through /api/auth/session/, check
     that the coach report answers 200 with the 200 learners, and the content node call 200;
  5. wrk at 8 connections with the session cookie: a warm-up, then the measured phase, for the coach report
     (GET /coach/api/classsummary/<class>/, what the coach's class home calls) and a content node
     (GET /api/content/contentnode/<id>/);
  6. stop the server; remove the work folder unless it was given.

All traffic goes to 127.0.0.1. Kolibri's telemetry ping and zeroconf discovery are turned off.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from http.cookies import SimpleCookie
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
KOLIBRI_VERSION = "0.19.5"
COACH, COACH_PASSWORD = "coach", "coach-bench-password"
SEED = {"seed": 18, "learners": 200, "topics": 5, "lessons": 20, "exams": 2, "coach": COACH, "password": COACH_PASSWORD}
CONNECTIONS = 8


def say(message: str) -> None:
    print(f"[kolibri {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- the Kolibri install and its data --------------------------------------------------------------


class Kolibri:
    """Kolibri installed in `workdir`: venv/ holds the package, home/ is KOLIBRI_HOME."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.venv = workdir / "venv"
        self.home = workdir / "home"
        self.python = self.venv / "bin" / "python"
        self.setup_seconds: dict[str, float] = {}

    @property
    def env(self) -> dict[str, str]:
        inherited = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("KOLIBRI_") and k not in ("PYTHONPATH", "VIRTUAL_ENV", "DJANGO_SETTINGS_MODULE")
        }
        return {
            **inherited,
            "KOLIBRI_HOME": str(self.home),
            "KOLIBRI_LISTEN_ADDRESS": "127.0.0.1",
            "KOLIBRI_ZEROCONF_ENABLED": "false",
            "KOLIBRI_DISABLE_PING": "true",
            "PYTHONUNBUFFERED": "1",
        }

    def run(self, *args: str, timeout: float = 900) -> str:
        """Run a command with Kolibri's environment; its output (stdout and stderr) goes to a log file."""
        log = self.workdir / "setup.log"
        with open(log, "a") as out:
            out.write(f"\n$ {' '.join(args)}\n")
            out.flush()
            completed = subprocess.run(
                args, env=self.env, cwd=self.workdir, stdout=subprocess.PIPE, stderr=out, text=True, timeout=timeout
            )
            out.write(completed.stdout)
        if completed.returncode:
            raise RuntimeError(f"{args[:3]} failed ({completed.returncode}); see {log}: {log.read_text()[-2000:]}")
        return completed.stdout

    def _step(self, name: str, marker: Path, action) -> None:
        if marker.exists():
            say(f"{name}: already done in {self.workdir}")
            return
        started = time.monotonic()
        action()
        self.setup_seconds[name] = round(time.monotonic() - started, 1)
        say(f"{name}: {self.setup_seconds[name]} s")

    def install(self, python: str = sys.executable) -> None:
        def action():
            shutil.rmtree(self.venv, ignore_errors=True)
            self.run(python, "-m", "venv", str(self.venv))
            self.run(
                str(self.python),
                "-m",
                "pip",
                "install",
                "-q",
                "--disable-pip-version-check",
                f"kolibri=={KOLIBRI_VERSION}",
            )
            (self.venv / ".installed").write_text(KOLIBRI_VERSION + "\n")

        self._step(f"install kolibri=={KOLIBRI_VERSION}", self.venv / ".installed", action)

    def provision(self) -> None:
        def action():
            shutil.rmtree(self.home, ignore_errors=True)
            self.home.mkdir(parents=True)
            kolibri = str(self.venv / "bin" / "kolibri")
            self.run(
                kolibri, "manage", "--no-input", "provisiondevice", "--",
                "--facility", "Bench facility", "--preset", "formal", "--language_id", "en",
                "--superusername", "admin", "--superuserpassword", "admin-bench-password", "--noinput",
            )  # fmt: skip
            (self.home / ".provisioned").write_text("yes\n")

        self._step("provision the device", self.home / ".provisioned", action)

    def seed(self) -> dict:
        """The class, its content, lessons, quizzes and logs; returns the ids the requests need."""
        marker = self.home / ".seeded.json"

        def action():
            script = self.workdir / "seed_kolibri.py"
            script.write_text(SEED_SCRIPT)
            output = self.run(str(self.python), str(script), json.dumps(SEED))
            line = next(line for line in output.splitlines() if line.startswith("SEEDJSON "))
            marker.write_text(line[len("SEEDJSON ") :])

        self._step("create the class and its work", marker, action)
        return json.loads(marker.read_text())

    def thread_pool(self) -> int:
        """cheroot's thread pool size as Kolibri computes it on this machine (CHERRYPY_THREAD_POOL)."""
        return int(
            self.run(
                str(self.python), "-c",
                "from kolibri.utils.conf import OPTIONS; print(OPTIONS['Server']['CHERRYPY_THREAD_POOL'])",
            ).split()[-1]
        )  # fmt: skip


# Run by the Kolibri venv's python: Kolibri's models, in one transaction. Prints one SEEDJSON line.
SEED_SCRIPT = r"""
import json, random, sys, time, uuid
from datetime import datetime, timedelta, timezone

started = time.monotonic()
from kolibri.utils.main import initialize

initialize(skip_update=True)
from django.contrib.auth.hashers import make_password
from django.db import transaction
from kolibri.core.auth.constants import role_kinds
from kolibri.core.auth.models import Classroom, Facility, FacilityUser, Membership
from kolibri.core.content.models import AssessmentMetaData, ChannelMetadata, ContentNode
from kolibri.core.exams.models import Exam, ExamAssignment
from kolibri.core.lessons.models import Lesson, LessonAssignment
from kolibri.core.logger.models import AttemptLog, ContentSessionLog, ContentSummaryLog, MasteryLog

params = json.loads(sys.argv[1])
rng = random.Random(params["seed"])
BASE = datetime(2026, 9, 1, 8, 0, tzinfo=timezone.utc)
MASTERY = {"type": "m_of_n", "m": 3, "n": 5}
counts = {}


def uid():
    return uuid.UUID(int=rng.getrandbits(128), version=4).hex


def count(name, n=1):
    counts[name] = counts.get(name, 0) + n


def node(parent, title, kind, order, channel_id):
    return ContentNode.objects.create(
        id=uid(), content_id=uid(), channel_id=channel_id, parent=parent, title=title, kind=kind,
        available=True, sort_order=order, options={},
    )


with transaction.atomic():
    facility = Facility.get_default_facility()
    channel_id = uid()
    root = node(None, "Bench course", "topic", 0, channel_id)
    ChannelMetadata.objects.create(
        id=channel_id, name="Bench course", root=root, min_schema_version="1", version=1, last_updated=BASE
    )
    topics, resources, items = [], [], {}  # resources: (node, topic number)
    for t in range(params["topics"]):
        topics.append(node(root, f"Module {t + 1}", "topic", t, channel_id))
        for lesson in range(params["lessons"] // params["topics"]):
            for kind, title in (("document", "Reading"), ("exercise", "Practice"), ("exercise", "Check")):
                resource = node(topics[-1], f"{title} {t + 1}.{lesson + 1}", kind, len(resources), channel_id)
                if kind == "exercise":
                    items[resource.id] = [uid() for _ in range(5)]
                    AssessmentMetaData.objects.create(
                        id=uid(), contentnode=resource, assessment_item_ids=items[resource.id],
                        number_of_assessments=5, mastery_model=MASTERY, randomize=True,
                    )
                resources.append((resource, t))
    count("content_nodes", ContentNode.objects.count())

    classroom = Classroom.objects.create(name="Cohort of 200", parent=facility)
    coach = FacilityUser(username=params["coach"], full_name="Bench Coach", facility=facility)
    coach.set_password(params["password"])
    coach.save()
    facility.add_role(coach, role_kinds.ASSIGNABLE_COACH)  # as the facility's "assign coach" does
    classroom.add_coach(coach)
    learner_password = make_password("learner-bench-password")  # one hash: 200 would take a minute
    learners = []
    for n in range(params["learners"]):
        learner = FacilityUser(
            username=f"learner{n:04d}", full_name=f"Learner {n:04d}", facility=facility, password=learner_password
        )
        learner.save()
        Membership.objects.create(user=learner, collection=classroom)
        learners.append(learner)
    count("learners", len(learners))

    for t in range(params["topics"]):
        lesson = Lesson.objects.create(
            title=f"Module {t + 1}", collection=classroom, created_by=coach, is_active=True,
            resources=[
                {"contentnode_id": r.id, "content_id": r.content_id, "channel_id": channel_id}
                for r, topic in resources if topic == t
            ],
        )
        LessonAssignment.objects.create(lesson=lesson, collection=classroom, assigned_by=coach)
        count("lessons")
    exercises = [r for r, _ in resources if r.kind == "exercise"]
    exams = []
    for e in range(params["exams"]):
        questions = [
            {"exercise_id": r.id, "question_id": rng.choice(items[r.id]), "title": r.title, "counter_in_exercise": 1}
            for r in rng.sample(exercises, 10)
        ]
        section = {
            "section_id": uid(), "section_title": "", "description": "", "question_count": len(questions),
            "learners_see_fixed_order": False, "questions": questions,
        }
        exam = Exam.objects.create(
            title=f"Quiz {e + 1}", collection=classroom, creator=coach, active=True, question_count=len(questions),
            question_sources=[section], data_model_version=3, date_activated=BASE,
        )
        ExamAssignment.objects.create(exam=exam, collection=classroom, assigned_by=coach)
        exams.append((exam, questions))
        count("exams")

    for learner in learners:
        if rng.random() < 0.1:
            continue  # not started yet
        done = rng.randint(1, len(resources))
        when = BASE + timedelta(minutes=rng.randint(0, 600))
        for i, (resource, _) in enumerate(resources[:done]):
            last = i == done - 1  # the one in progress
            spent = rng.randint(60, 900)
            start, when = when, when + timedelta(seconds=spent)
            progress = rng.choice((0.2, 0.5, 0.8)) if last else 1.0
            common = dict(
                user=learner, content_id=resource.content_id, channel_id=channel_id, kind=resource.kind,
                start_timestamp=start, end_timestamp=when, time_spent=spent, progress=progress,
            )
            summary = ContentSummaryLog.objects.create(completion_timestamp=None if last else when, **common)
            session = ContentSessionLog.objects.create(**common)
            count("summary_logs")
            count("session_logs")
            if resource.kind != "exercise":
                continue
            mastery = MasteryLog.objects.create(
                user=learner, summarylog=summary, mastery_criterion=MASTERY, mastery_level=1, complete=not last,
                start_timestamp=start, end_timestamp=when, completion_timestamp=None if last else when,
                time_spent=spent,
            )
            count("mastery_logs")
            for item in items[resource.id][: rng.randint(3, 5)]:
                correct = 1 if rng.random() < 0.75 else 0
                AttemptLog.objects.create(
                    user=learner, masterylog=mastery, sessionlog=session, item=f"{item}:{resource.id}",
                    start_timestamp=start, end_timestamp=when, completion_timestamp=when, time_spent=spent / 5,
                    complete=True, correct=correct, simple_answer=str(correct),
                )
                count("attempt_logs")
        for exam, questions in exams:
            if rng.random() < 0.35:
                continue
            spent = rng.randint(300, 1500)
            start = when + timedelta(minutes=rng.randint(10, 600))
            end = start + timedelta(seconds=spent)
            complete = rng.random() < 0.85
            common = dict(
                user=learner, content_id=exam.id, channel_id=None, kind="quiz", start_timestamp=start,
                end_timestamp=end, time_spent=spent,
            )
            summary = ContentSummaryLog.objects.create(
                completion_timestamp=end if complete else None, progress=1.0 if complete else 0.5, **common
            )
            session = ContentSessionLog.objects.create(**common)
            mastery = MasteryLog.objects.create(
                user=learner, summarylog=summary, mastery_criterion={"type": "quiz", "coach_assigned": True},
                mastery_level=-rng.randint(1, 10**9), complete=complete, start_timestamp=start, end_timestamp=end,
                completion_timestamp=end if complete else None, time_spent=spent,
            )
            count("quiz_logs")
            for q in questions if complete else questions[: rng.randint(1, len(questions) - 1)]:
                correct = 1 if rng.random() < 0.7 else 0
                AttemptLog.objects.create(
                    user=learner, masterylog=mastery, sessionlog=session, item=f"{q['question_id']}:{q['exercise_id']}",
                    start_timestamp=start, end_timestamp=end, completion_timestamp=end,
                    time_spent=spent / len(questions), complete=True, correct=correct, simple_answer=str(correct),
                )
                count("attempt_logs")

print("SEEDJSON " + json.dumps({
    "classroom_id": classroom.id, "facility_id": facility.id, "content_node_id": resources[0][0].id,
    "counts": counts, "seconds": round(time.monotonic() - started, 1),
}))
"""


# --- the server -----------------------------------------------------------------------------------


def request(port: int, method: str, path: str, headers: dict | None = None, body: str | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        connection.close()


class KolibriServer:
    """`kolibri start --foreground` on free 127.0.0.1 ports, in its own process group."""

    def __init__(self, kolibri: Kolibri):
        self.kolibri = kolibri
        self.port, self.zip_port = free_port(), free_port()
        self.log_path = kolibri.workdir / "server.log"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> KolibriServer:
        command = [str(self.kolibri.venv / "bin" / "kolibri"), "start", "--foreground", "--skip-update"]
        command += ["--port", str(self.port), "--zip-port", str(self.zip_port)]
        started = time.monotonic()
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                command, env=self.kolibri.env, cwd=self.kolibri.workdir, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        while True:
            try:
                if request(self.port, "GET", "/api/public/info/")[0] == 200:
                    break
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() - started > 120:
                self.__exit__()
                raise RuntimeError("Kolibri did not start: " + self.log_path.read_text(errors="replace")[-3000:])
            time.sleep(0.25)
        self.ready_seconds = round(time.monotonic() - started, 1)
        return self

    def __exit__(self, *exc) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)  # Kolibri's bus stops its servers and task workers
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def processes(self) -> dict:
        """The process model now: Kolibri's process, its children and its threads."""
        pid = self.process.pid
        status = Path(f"/proc/{pid}/status").read_text()
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        threads = int(next(line.split()[1] for line in status.splitlines() if line.startswith("Threads:")))
        rss_kib = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))
        return {"processes": 1 + len(children), "threads": threads, "rss_mib": round(rss_kib / 1024, 1)}

    def cpu_ticks(self) -> int:
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime (its threads included)


def sign_in(port: int, username: str, password: str, facility_id: str) -> str:
    """Sign in through Kolibri's API as its login page does; returns the Cookie header (session and CSRF)."""
    cookies = SimpleCookie()

    def keep(headers):
        for name, value in headers:
            if name.lower() == "set-cookie":
                cookies.load(value)

    # The session API sets Kolibri's CSRF cookie on any answer (ensure_csrf_cookie), even this 405 to a GET.
    status, headers, _ = request(port, "GET", "/api/auth/session/current/")
    keep(headers)
    csrf = cookies["kolibri_csrftoken"].value
    body = json.dumps({"username": username, "password": password, "facility": facility_id})
    status, headers, answer = request(
        port,
        "POST",
        "/api/auth/session/",
        {
            "Content-Type": "application/json",
            "X-CSRFToken": csrf,
            "Referer": f"http://127.0.0.1:{port}/",
            "Cookie": f"kolibri_csrftoken={csrf}",
        },
        body,
    )
    keep(headers)
    if status != 200 or "kolibri" not in cookies:
        raise RuntimeError(f"sign-in as {username} failed: {status} {answer[:300]!r}")
    return "; ".join(f"{name}={morsel.value}" for name, morsel in cookies.items())


# --- wrk ------------------------------------------------------------------------------------------


def run_wrk(port: int, path: str, cookie: str, seconds: int, workdir: Path, connections: int = CONNECTIONS) -> dict:
    """wrk with bench/wrk/get.lua (which counts statuses) on one path; returns its result line."""
    lines = workdir / "wrk-paths.txt"
    lines.write_text(f"{path}\t{cookie}\n")
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s"]
    command += ["-s", str(BENCH / "wrk" / "get.lua"), f"http://127.0.0.1:{port}", "--", str(lines)]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 120)
    for line in completed.stdout.splitlines():
        if line.startswith("BENCHJSON "):
            result = json.loads(line[len("BENCHJSON ") :])
            result["seconds"] = result["duration_us"] / 1e6
            return result
    raise RuntimeError(f"wrk printed no result ({completed.returncode}): {completed.stdout[-1500:]} {completed.stderr}")


def metrics(result: dict) -> dict:
    ok = sum(n for status, n in result["statuses"].items() if status.startswith("2"))
    latency = result["latency_us"]
    return {
        "rps": round(ok / result["seconds"], 1),
        "p50_ms": round(latency["p50"] / 1000, 1),
        "p99_ms": round(latency["p99"] / 1000, 1),
        "requests": result["requests"],
        "non_2xx": result["requests"] - ok,
        "socket_errors": sum(result["errors"][k] for k in ("connect", "read", "write", "timeout")),
        "statuses": result["statuses"],
    }


def load(server: KolibriServer, path: str, cookie: str, seconds: int, warmup: int, workdir: Path) -> dict:
    if warmup:
        run_wrk(server.port, path, cookie, warmup, workdir)
    ticks = server.cpu_ticks()
    result = metrics(run_wrk(server.port, path, cookie, seconds, workdir))
    # Kolibri's process CPU over the phase, in cores (1.0 = one core busy all along).
    result["server_cores"] = round((server.cpu_ticks() - ticks) / os.sysconf("SC_CLK_TCK") / seconds, 2)
    result["connections"] = CONNECTIONS
    return result


# --- the whole measure ----------------------------------------------------------------------------


def _check_workdir(workdir: Path) -> None:
    resolved = workdir.resolve()
    if resolved == ROOT or ROOT in resolved.parents:
        raise SystemExit(f"the work folder must be outside the repository: {resolved}")


def measure(seconds: int = 30, workdir: Path | str | None = None, warmup: int = 5) -> dict:
    """Set Kolibri up (or reuse `workdir`), serve it, and measure the coach report and a content node at 8 connections.

    Without `workdir`, everything happens in a fresh temporary folder removed at the end (a failure keeps it).
    """
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    temporary = workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="kolibri-peer-")) if temporary else Path(workdir).expanduser()
    _check_workdir(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    say(f"work folder: {workdir}")
    kolibri = Kolibri(workdir)
    try:
        kolibri.install()
        kolibri.provision()
        ids = kolibri.seed()
        pool = kolibri.thread_pool()
        with KolibriServer(kolibri) as server:
            say(f"Kolibri serves 127.0.0.1:{server.port} (ready in {server.ready_seconds} s)")
            cookie = sign_in(server.port, COACH, COACH_PASSWORD, ids["facility_id"])
            report_path = f"/coach/api/classsummary/{ids['classroom_id']}/"
            node_path = f"/api/content/contentnode/{ids['content_node_id']}/"
            status, _, body = request(server.port, "GET", report_path, {"Cookie": cookie})
            report = json.loads(body) if status == 200 else {}
            if status != 200 or len(report.get("learners", [])) != SEED["learners"]:
                raise RuntimeError(
                    f"the coach report answered {status} with {len(report.get('learners', []))} learners"
                )
            status, _, node_body = request(server.port, "GET", node_path, {"Cookie": cookie})
            if status != 200:
                raise RuntimeError(f"the content node answered {status}: {node_body[:300]!r}")
            shape = {k: len(v) for k, v in report.items() if isinstance(v, list)}
            say(f"coach report: 200, {len(body):,} bytes, {shape}")
            say(f"coach report, {CONNECTIONS} connections: {warmup} s warm-up, {seconds} s measured")
            coach_report = load(server, report_path, cookie, seconds, warmup, workdir)
            say(f"  {coach_report['rps']} req/s, p50 {coach_report['p50_ms']} ms, p99 {coach_report['p99_ms']} ms")
            model = server.processes()
            say(f"content node, {CONNECTIONS} connections: {warmup} s warm-up, {seconds} s measured")
            content_node = load(server, node_path, cookie, seconds, warmup, workdir)
            say(f"  {content_node['rps']} req/s, p50 {content_node['p50_ms']} ms, p99 {content_node['p99_ms']} ms")
        result = {
            "product": f"Kolibri {KOLIBRI_VERSION}",
            "coach_report": {"path": "/coach/api/classsummary/<class>/", "bytes": len(body), **coach_report},
            "content_node": {"path": "/api/content/contentnode/<id>/", "bytes": len(node_body), **content_node},
            "dataset": ids["counts"],
            "report_shape": shape,
            "server": {
                "command": "kolibri start --foreground",
                "model": "one process: cheroot (threaded WSGI) for the app and a second cheroot server for zip content",
                "cheroot_thread_pool": pool,
                "ready_seconds": server.ready_seconds,
                **model,
            },
            "setup_seconds": kolibri.setup_seconds,
            "load_average_after": round(os.getloadavg()[0], 2),  # other work on the shared cores makes it noisy
            "seconds": seconds,
            "warmup": warmup,
        }
    except BaseException:
        if temporary:
            say(f"stopped; the work folder is kept for a look: {workdir}")
        raise
    if temporary:
        shutil.rmtree(workdir, ignore_errors=True)
    return result


def main() -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # still stop Kolibri on the way out
    parser = argparse.ArgumentParser(description="Kolibri's coach report under wrk (see the module docstring).")
    parser.add_argument("--seconds", type=int, default=30, help="seconds of each measured phase (default 30)")
    parser.add_argument("--warmup", type=int, default=5, help="seconds of warm-up before each phase (default 5)")
    parser.add_argument(
        "--workdir", help="a folder (outside the repo) to install into and keep, so reruns skip the setup"
    )
    args = parser.parse_args()
    print(json.dumps(measure(args.seconds, args.workdir, args.warmup), indent=1))


if __name__ == "__main__":
    main()
