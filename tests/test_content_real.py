"""The real course in modules/ passes the whole content check."""

from __future__ import annotations

from pathlib import Path

import pytest

from course.content import check_course, load_course

MODULES = Path(__file__).resolve().parent.parent / "modules"
# The corrections docs/writing-content.md requires, as ids in modules/misconceptions.yaml.
CORRECTIONS = {
    "opioids-block-dopamine",
    "opium-from-seeds",
    "naltrexone-relieves-withdrawal",
    "detox-tapers-heroin",
    "detox-is-treatment",
    "tolerance-causes-withdrawal",
    "addicted-after-one-use",
    "prescriptions-drive-crisis",
    "medication-swaps-addiction",
}


@pytest.fixture(scope="module")
def report():
    return check_course(MODULES)


def test_the_real_content_has_no_errors(report):
    assert report.errors == [], "\n".join(map(str, report.errors))


def test_all_five_modules_load():
    course = load_course(MODULES)
    assert [m.id for m in course.modules] == [
        "reward-system",
        "tolerance-dependence",
        "treatment-pathways",
        "overdose-safety",
        "recovery",
    ]
    assert all(m.lessons and len(m.quiz) >= 10 and len(m.pretest) >= 5 for m in course.modules)


def test_every_lesson_reads_at_grade_8_or_below(report):
    assert report.lesson_levels
    too_hard = [(lv.lesson_id, lv.flesch_kincaid) for lv in report.lesson_levels if lv.flesch_kincaid > 8]
    assert too_hard == []


def test_exactly_the_required_corrections_are_marked():
    course = load_course(MODULES)
    assert {m.id for m in course.misconceptions.values() if m.correction} == CORRECTIONS


def test_every_correction_is_taught_and_tested():
    course = load_course(MODULES)
    taught = {m for module in course.modules for lesson in module.lessons for m in lesson.corrects}
    tagged = {
        c.misconception for module in course.modules for q in module.quiz.questions for c in q.choices if not c.correct
    }
    assert CORRECTIONS - taught == set()
    assert CORRECTIONS - tagged == set()
