"""Fill a bench database with synthetic data, in seconds: SQLAlchemy Core inserts in chunks.

The dataset (fixed by the seed):
- 10,000 learners in 100 cohorts of 100 (10 facilitators with 10 cohorts each), and all of them
  also in one cohort of 10,000 run by the bench facilitator;
- every cohort assigned all five modules, with the first two already past due;
- each learner somewhere in the course: passed modules have every lesson completed, a pre-test and
  one to three quiz attempts (the last one passing), with an answer row per question; the current
  module has some lessons read, perhaps a pre-test, failed attempts or an open attempt;
- one counselor with a caseload of 1,000: ten of the cohorts attached (Caseload rows with cohort_id);
- a cohort of 200 run by the bench facilitator: the first 200 learners (already in a cohort of 100
  and the cohort of 10,000), assigned the same five modules: issue 18's class-sized cohort;
- one admin, for the programme's outcomes page (every learner's pre-test and first-quiz pairs).

Run alone: `.venv/bin/python bench/data.py --db sqlite` (or postgres) fills and prints the counts.
"""

from __future__ import annotations

import argparse
import random
import secrets
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402
from sqlalchemy import create_engine, func, select, text  # noqa: E402

from course.content import get_course  # noqa: E402
from course.content.packs import pack_files, zipped  # noqa: E402
from course.database import write_transaction  # noqa: E402
from course.extensions import db  # noqa: E402
from course.models import (  # noqa: E402
    Assignment,
    AttemptAnswer,
    Caseload,
    Cohort,
    CohortMember,
    LessonProgress,
    QuizAttempt,
    User,
    utcnow,
)
from course.services import course_library, course_packs, progress_summary  # noqa: E402
from course.services.cohorts import new_join_code  # noqa: E402
from course.services.passwords import hash_password  # noqa: E402

LEARNERS = 10_000
COHORT_SIZE = 100
SECOND_COURSE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "packs" / "rest-course"
CLASS_SIZE = 200  # the cohort of 200: a class, as issue 18 compares with Kolibri's coach report
FACILITATORS = 10
CASELOAD_COHORTS = 10
CHUNK = 5_000
# Share of learners who have passed 0, 1, ... 5 modules.
STAGES = (0.15, 0.20, 0.20, 0.15, 0.15, 0.15)


def reset_database(url: str) -> None:
    """An empty database at `url`: a new SQLite file, or PostgreSQL's course_bench dropped and created."""
    if url.startswith("sqlite"):
        path = Path(url.split("///", 1)[1])
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    name = url.rsplit("/", 1)[1]
    if name in ("test", "postgres"):
        raise SystemExit(f"refusing to drop the database {name!r}: the bench uses its own")
    engine = create_engine(common.POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()


class _Rows:
    """Rows for each table, with ids given here so children can refer to their parents."""

    def __init__(self):
        self.tables: dict = {}
        self.next_id: dict = {}
        self.first_quizzes: set = set()  # (learner id, module id) with a submitted quiz attempt already

    def add(self, model, **row) -> int:
        table = model.__table__
        row.setdefault("id", self.next_id.get(table, 1))
        self.next_id[table] = row["id"] + 1
        self.tables.setdefault(table, []).append(row)
        return row["id"]


def _answers(rows: _Rows, rng: random.Random, attempt_id: int, questions, wrong: int, saved_at, graded=True) -> float:
    wrong_ones = set(rng.sample(range(len(questions)), wrong))
    for n, question in enumerate(questions):
        if n in wrong_ones:
            choice = rng.choice([c for c in question.choices if not c.correct])
            picked, misconceptions = choice.id, choice.misconception or ""
        else:
            picked, misconceptions = ",".join(sorted(question.correct_ids)), ""
        rows.add(
            AttemptAnswer,
            attempt_id=attempt_id,
            question_id=question.id,
            choice_ids=picked,
            correct=(n not in wrong_ones) if graded else None,
            credit=(0.0 if n in wrong_ones else 1.0) if graded else None,
            misconception_ids=misconceptions if graded else "",
            saved_at=saved_at,
        )
    return round(100 * (len(questions) - wrong) / len(questions), 1) if questions else 0.0


def _layout(quiz) -> list[dict]:
    return [{"question": q.id, "choices": [c.id for c in q.choices]} for q in quiz.questions]


def _attempt(rows: _Rows, rng, learner_id, module, kind, when, wrong: int | None, submitted=True) -> None:
    quiz = module.quiz if kind == "quiz" else module.pretest
    attempt_id = rows.add(
        QuizAttempt,
        learner_id=learner_id,
        module_id=module.id,
        kind=kind,
        content_version=module.version,
        layout=_layout(quiz),
        sequence=1 if submitted else 0,
        started_at=when - timedelta(minutes=10),
        submitted_at=when if submitted else None,
        score=None,
        passed=None,
        pretest_items_score=None,
        first_quiz=False,
    )
    row = rows.tables[QuizAttempt.__table__][-1]
    if wrong is None:  # an open attempt with a few draft answers
        _answers(rows, rng, attempt_id, quiz.questions[: rng.randint(0, 4)], 0, when, graded=False)
        return
    score = _answers(rows, rng, attempt_id, quiz.questions, wrong, when)
    row["score"] = score
    row["passed"] = score >= module.pass_mark if kind == "quiz" else None
    # The outcome figures' before and after (docs/outcomes.md); the whole score stands in for the
    # score on the pre-test's questions: the bench needs the pairs, not their exact values.
    row["pretest_items_score"] = score
    if kind == "quiz" and (learner_id, module.id) not in rows.first_quizzes:
        rows.first_quizzes.add((learner_id, module.id))
        row["first_quiz"] = True


def _learner_progress(rows: _Rows, rng: random.Random, learner_id: int, modules, now) -> None:
    stage = rng.choices(range(len(STAGES)), weights=STAGES)[0]
    when = now - timedelta(days=rng.uniform(20, 60))

    def lessons(module, count, completed=True, start=0):
        nonlocal when
        for lesson in module.lessons[start : start + count]:
            when += timedelta(minutes=rng.uniform(3, 40))
            rows.add(
                LessonProgress,
                learner_id=learner_id,
                module_id=module.id,
                lesson_id=lesson.id,
                content_version=module.version,
                first_viewed_at=when - timedelta(minutes=5),
                last_viewed_at=when,
                completed_at=when if completed else None,
                seconds_spent=rng.randint(60, 900) if completed else 0,
            )

    for k, module in enumerate(modules):
        n_questions = len(module.quiz.questions)
        if k < stage:  # passed
            _attempt(rows, rng, learner_id, module, "pretest", when, rng.randint(1, 5))
            lessons(module, len(module.lessons))
            for _ in range(rng.choices((0, 1, 2), weights=(70, 20, 10))[0]):
                when += timedelta(hours=rng.uniform(1, 30))
                _attempt(rows, rng, learner_id, module, "quiz", when, rng.randint(4, n_questions // 2 + 1))
            when += timedelta(hours=rng.uniform(1, 30))
            _attempt(rows, rng, learner_id, module, "quiz", when, rng.randint(0, 2))
        elif k == stage:  # the current module
            if rng.random() < 0.2:
                break
            if rng.random() < 0.8:
                _attempt(rows, rng, learner_id, module, "pretest", when, rng.randint(1, 5))
            done = rng.randint(0, len(module.lessons))
            lessons(module, done)
            if done < len(module.lessons) and rng.random() < 0.5:  # the next lesson opened, not finished
                lessons(module, 1, completed=False, start=done)
            outcome = rng.random()
            failures = 1 if outcome < 0.15 else 2 if outcome < 0.23 else 0
            for _ in range(failures):
                when += timedelta(hours=rng.uniform(1, 30))
                _attempt(rows, rng, learner_id, module, "quiz", when, rng.randint(4, n_questions // 2 + 1))
            if 0.23 <= outcome < 0.28:
                _attempt(rows, rng, learner_id, module, "quiz", when, None, submitted=False)
            break
    rows.tables[User.__table__][learner_id - 1]["last_active_at"] = min(when, now)


# Every bench account's password: the sign-in phase signs in with it (the hash has the production costs).
PASSWORD = "bench password for the sign-in phase"


def build(seed: int = 1) -> tuple[_Rows, dict]:
    """Every row of the dataset, in memory, and the ids the bench needs."""
    rng, rows, now = random.Random(seed), _Rows(), utcnow()
    modules = get_course().modules
    password_hash = hash_password(PASSWORD)
    created = now - timedelta(days=90)

    def user(username, role):
        return rows.add(
            User,
            username=username,
            email=None,
            display_name="",
            password_hash=password_hash,
            role=role,
            active=True,
            must_change_password=False,
            created_at=created,
            updated_at=created,
            last_active_at=None,
        )

    learner_ids = [user(f"learner-{n:05d}", "learner") for n in range(1, LEARNERS + 1)]
    facilitators = [user(f"facilitator-{n:02d}", "facilitator") for n in range(1, FACILITATORS + 1)]
    bench_facilitator = user("facilitator-big", "facilitator")
    counselor = user("counselor-1000", "counselor")
    admin = user("admin-bench", "admin")
    small = [
        rows.add(
            Cohort,
            name=f"Cohort {n:03d}",
            facilitator_id=facilitators[(n - 1) // 10],
            join_code=new_join_code(),
            created_at=created,
            archived_at=None,
        )
        for n in range(1, LEARNERS // COHORT_SIZE + 1)
    ]
    big = rows.add(
        Cohort,
        name="Cohort of 10,000",
        facilitator_id=bench_facilitator,
        join_code=new_join_code(),
        created_at=created,
        archived_at=None,
    )
    class_ = rows.add(
        Cohort,
        name="Cohort of 200",
        facilitator_id=bench_facilitator,
        join_code=new_join_code(),
        created_at=created,
        archived_at=None,
    )
    for n, learner_id in enumerate(learner_ids):
        rows.add(
            CohortMember, cohort_id=small[n // COHORT_SIZE], learner_id=learner_id, joined_at=created, removed_at=None
        )
        rows.add(CohortMember, cohort_id=big, learner_id=learner_id, joined_at=created, removed_at=None)
    for learner_id in learner_ids[:CLASS_SIZE]:
        rows.add(CohortMember, cohort_id=class_, learner_id=learner_id, joined_at=created, removed_at=None)
    for cohort_id in [*small, big, class_]:
        owner = bench_facilitator if cohort_id in (big, class_) else facilitators[(cohort_id - 1) // 10]
        for k, module in enumerate(modules):
            rows.add(
                Assignment,
                module_id=module.id,
                cohort_id=cohort_id,
                learner_id=None,
                due_at=now + timedelta(days=-20 + 10 * k),
                assigned_by_id=owner,
                created_at=created,
                withdrawn_at=None,
            )
    for cohort_id in small[:CASELOAD_COHORTS]:
        rows.add(
            Caseload,
            counselor_id=counselor,
            learner_id=None,
            cohort_id=cohort_id,
            created_by_id=None,
            created_at=created,
        )
    for learner_id in learner_ids:
        _learner_progress(rows, rng, learner_id, modules, now)
    facts = {
        "learner_ids": [learner_ids[0], learner_ids[-1]],
        "counselor_id": counselor,
        "facilitator_id": bench_facilitator,
        "big_cohort_id": big,
        "cohort_200_id": class_,
        "cohort_200_size": CLASS_SIZE,
        "admin_id": admin,
        "caseload_size": CASELOAD_COHORTS * COHORT_SIZE,
        "seed": seed,
    }
    return rows, facts


def fill(app, seed: int = 1, courses: int = 1) -> dict:
    """Create the schema and insert the dataset; returns the ids the bench needs, the row counts and the time.

    With `courses=2` a second course (the tests' pack, tests/fixtures/packs/rest-course) is imported
    and its module assigned to the cohort of 200, whose pages then show both courses.
    """
    started = time.perf_counter()
    with app.app_context():
        rows, facts = build(seed)
        built = time.perf_counter()
        db.create_all()
        with db.engine.begin() as conn:
            for table in db.metadata.sorted_tables:
                data = rows.tables.get(table, [])
                for start in range(0, len(data), CHUNK):
                    conn.execute(table.insert(), data[start : start + CHUNK])
            if conn.dialect.name == "postgresql":
                for table in rows.tables:
                    conn.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                            f'(SELECT MAX(id) FROM "{table.name}"))'
                        )
                    )
        with write_transaction():  # the records were inserted in bulk: the reports' read model from them
            progress_summary.rebuild()
        if courses == 2:
            add_second_course(facts)
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
        counts = {
            table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables
        }
        db.session.remove()
        db.engine.dispose()
    facts.update(
        counts=counts, build_seconds=round(built - started, 1), insert_seconds=round(time.perf_counter() - built, 1)
    )
    return facts


def add_second_course(facts: dict) -> None:
    """Import the second test course and assign its module to the cohort of 200 (by the bench's facilitator)."""
    with write_transaction():
        course_packs.import_pack(zipped(pack_files(SECOND_COURSE)), None)
    course_library.reload()
    with write_transaction():
        db.session.add(
            Assignment(
                cohort_id=facts["cohort_200_id"], module_id="rest-module", assigned_by_id=facts["facilitator_id"]
            )
        )
    facts["courses"] = 2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--sqlite-path", help="default: bench.sqlite3 in a new temporary folder")
    parser.add_argument("--courses", type=int, choices=(1, 2), default=1, help="2: add a second course (a pack)")
    args = parser.parse_args()
    path = args.sqlite_path or str(Path(tempfile.mkdtemp(prefix="course-bench-")) / "bench.sqlite3")
    url = f"sqlite:///{path}" if args.db == "sqlite" else common.POSTGRES_BENCH_URL
    if args.db == "sqlite":
        print(f"database: {path}")
    reset_database(url)
    facts = fill(common.bench_app(url, secrets.token_hex(32)), courses=args.courses)
    print(facts)


if __name__ == "__main__":
    main()
