"""The bench's verdict: the target across the two databases, and each missed target with its measured reason.

Issue 18 asks the bench to print every target met or the measured reason. The reasons are read off
the same run's figures (the rows of bench/run.py's table), so they move with the machine as the
figures do; docs/performance.md explains them at length.
"""

from __future__ import annotations

import os

DBS = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
LESSON_ACROSS = "lesson on PostgreSQL within 10% of SQLite"
CORES = os.cpu_count() or 1


def across_databases(results: dict[str, dict]) -> dict[str, dict]:
    """Targets that compare the databases: {target: {"value": ratio, "met": bool}}; empty with one database."""
    if not {"sqlite", "postgres"} <= set(results):
        return {}
    sqlite, postgres = (results[n]["summary"].get("lesson_rps") for n in ("sqlite", "postgres"))
    if not sqlite or postgres is None:
        return {}
    ratio = round(postgres / sqlite, 2)
    return {LESSON_ACROSS: {"value": ratio, "met": ratio >= 0.9}}


def _ratio(a, b) -> float | None:
    return None if a is None or not b else a / b


def _round_trips(results: dict[str, dict]) -> str:
    """What a round trip to PostgreSQL costs, measured: the signed-in hello (one SELECT) on each database."""
    if not {"sqlite", "postgres"} <= set(results):
        return ""
    sqlite, postgres = (results[n]["summary"].get("hello_signed_in_rps") for n in ("sqlite", "postgres"))
    ratio = _ratio(postgres, sqlite)
    if ratio is None:
        return ""
    return (
        f" On PostgreSQL every statement is a round trip to a server on the same cores: the signed-in hello "
        f"(e′), whose one SELECT is the session check, serves {postgres:,.0f} req/s against SQLite's {sqlite:,.0f} "
        f"({ratio:.2f})."
    )


def _session_check(s: dict) -> str:
    hello, signed_in, lesson = s.get("hello_rps"), s.get("hello_signed_in_rps"), s.get("lesson_rps")
    if not (hello and signed_in and lesson):
        return ""
    alone = (
        "so the session check alone, which every signed-in page must make, puts half the bare hello out of reach"
        if signed_in < hello / 2
        else "the rest of the lesson page takes the difference"
    )
    return (
        f"The signed-in hello (e′) checks the session and does nothing else, and serves {signed_in / hello:.2f} of "
        f"the bare hello, {alone}; the lesson page serves {lesson / signed_in:.2f} of (e′)."
    )


def _staff_page(s: dict, database: str, results: dict[str, dict]) -> str:
    rps, statements = s.get("cohort_200_rps"), s.get("statements_cohort_200")
    if not rps:
        return ""
    text = (
        f"A page costs {CORES * 1000 / rps:.1f} ms of the {CORES} cores (wrk and gunicorn included), where 180 "
        f"req/s allows {CORES * 1000 / 180:.1f} ms; it runs {statements} SQL statements."
    )
    return text + (_round_trips(results) if database == "postgres" else "")


def reason(target: str, database: str, results: dict[str, dict]) -> str:
    """The measured reason a target was missed on `database`, from the run's own figures ("" if none is known)."""
    s = results[database]["summary"]
    if target == "lesson ≥ ½ hello req/s":
        return _session_check(s)
    if target.startswith("cohort of 200"):
        return _staff_page(s, database, results)
    if target == LESSON_ACROSS:
        return _round_trips(results).strip()
    return ""


def verdict_lines(results: dict[str, dict]) -> list[str]:
    """One line per database (every target met, or the missed ones), then each missed target's measured reason."""
    lines, missed = [], []
    for name, record in results.items():
        names = [t for t, met in record["targets"].items() if met is False]
        lines.append(f"{DBS[name]}: " + ("every target met" if not names else "missed: " + ", ".join(names)))
        missed += [(name, t) for t in names]
    for target, found in across_databases(results).items():
        mark = "met" if found["met"] else "missed"
        lines.append(f"Across the databases: {target}: {mark} (PostgreSQL ÷ SQLite {found['value']})")
        if not found["met"]:
            missed.append(("postgres", target))
    for name, target in missed:
        lines.append(f"- {DBS[name]}, {target}: {reason(target, name, results) or 'no measured reason yet.'}")
    return lines
