"""The bench's verdict (bench/verdict.py): every target met, or each missed one with the run's measured reason."""

from bench import verdict


def record(targets: dict, **summary) -> dict:
    return {"targets": targets, "summary": summary}


def test_a_missed_target_comes_with_its_measured_reason_and_the_databases_are_compared():
    results = {
        "sqlite": record(
            {"lesson ≥ ½ hello req/s": False, "submit p99 ≤ 250 ms": True},
            hello_rps=3000.0,
            hello_signed_in_rps=1200.0,
            lesson_rps=900.0,
        ),
        "postgres": record(
            {"lesson ≥ ½ hello req/s": False, "cohort of 200 ≥ 180 req/s at 8 conn.": False},
            hello_rps=3000.0,
            hello_signed_in_rps=960.0,
            lesson_rps=600.0,
            cohort_200_rps=125.0,
            statements_cohort_200=9,
        ),
    }
    lines = verdict.verdict_lines(results)
    assert lines[0] == "SQLite: missed: lesson ≥ ½ hello req/s"
    assert lines[1] == "PostgreSQL: missed: lesson ≥ ½ hello req/s, cohort of 200 ≥ 180 req/s at 8 conn."
    assert lines[2] == (
        "Across the databases: lesson on PostgreSQL within 10% of SQLite: missed (PostgreSQL ÷ SQLite 0.67)"
    )
    sqlite_lesson = lines[3]
    assert sqlite_lesson.startswith("- SQLite, lesson ≥ ½ hello req/s: The signed-in hello (e′)")
    assert "serves 0.40 of the bare hello, so the session check alone" in sqlite_lesson
    assert "the lesson page serves 0.75 of (e′)" in sqlite_lesson
    cohort = next(line for line in lines if "PostgreSQL, cohort of 200" in line)
    cores = verdict.CORES
    assert f"A page costs {cores * 1000 / 125:.1f} ms of the {cores} cores" in cohort
    assert "it runs 9 SQL statements" in cohort
    assert "serves 960 req/s against SQLite's 1,200 (0.80)" in cohort
    assert lines[-1].startswith("- PostgreSQL, lesson on PostgreSQL within 10% of SQLite: On PostgreSQL every")


def test_every_target_met_is_said_and_one_database_compares_nothing():
    results = {"sqlite": record({"submit p99 ≤ 250 ms": True}, lesson_rps=900.0)}
    assert verdict.verdict_lines(results) == ["SQLite: every target met"]


def test_a_miss_without_a_known_reason_says_so():
    results = {"sqlite": record({"submit p99 ≤ 250 ms": False}, submit_p99_ms=260.0)}
    assert verdict.verdict_lines(results)[-1] == "- SQLite, submit p99 ≤ 250 ms: no measured reason yet."
