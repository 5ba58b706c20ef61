"""The loader: a small good tree becomes the expected immutable Course."""

from __future__ import annotations

import dataclasses
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from flask import Flask

from course.content import ContentError, Course, get_course, init_app, load_course
from course.content.loader import read_course, render_markdown

GOOD = Path(__file__).parent / "fixtures" / "modules" / "good"


@pytest.fixture(scope="module")
def course() -> Course:
    return load_course(GOOD)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A private copy of the good tree that a test may change."""
    return Path(shutil.copytree(GOOD, tmp_path / "modules"))


def test_modules_load_in_folder_order(course):
    assert [m.id for m in course.modules] == ["first-module", "second-module"]
    assert [m.folder for m in course.modules] == ["01-first", "02-second"]


def test_module_metadata(course):
    first, second = course.modules
    assert first.title == "Sleep and rest"
    assert first.objectives == ("Explain why sleep matters.", "Name two ways to sleep better.")
    assert first.prerequisites == ()
    assert second.prerequisites == ("first-module",)
    assert first.pass_mark == 80 and second.pass_mark == 80  # the second relies on the default
    assert (first.minutes, second.minutes) == (20, 15)
    assert not first.always_open and not second.always_open  # optional, false by default


def test_always_open_and_revisits_are_read(tree):
    (tree / "02-second" / "module.yaml").write_text(
        (tree / "02-second" / "module.yaml").read_text() + "always_open: true\n"
    )
    quiz = tree / "02-second" / "quiz.yaml"
    quiz.write_text(quiz.read_text().replace("  - id: sm-urine\n", "  - id: sm-urine\n    revisits: fm-hours\n", 1))
    course = load_course(tree)
    assert course.module("second-module").always_open and not course.module("first-module").always_open
    assert course.question("sm-urine").revisits == "fm-hours" and course.question("sm-thirst").revisits is None


def test_lessons_in_file_order_with_positions(course):
    first = course.module("first-module")
    assert [(lesson.id, lesson.position) for lesson in first.lessons] == [("fm-why-sleep", 1), ("fm-better-sleep", 2)]
    one, two = first.lessons
    assert first.previous_lesson(one) is None and first.next_lesson(one) is two
    assert first.previous_lesson(two) is one and first.next_lesson(two) is None


def test_lesson_fields(course):
    lesson = course.lesson("fm-why-sleep")
    assert lesson.module_id == "first-module"
    assert lesson.title == "Why we sleep"
    assert lesson.minutes == 5
    assert lesson.main_message == "Sleep is how the body and the brain rest and repair."
    assert lesson.last_reviewed == date(2026, 1, 15)
    assert lesson.sources == ("Fixture Sleep Society. Sleep Basics: A Guide. 2024.",)
    assert lesson.corrects == ("naps-replace-sleep",)
    assert lesson.quoted_terms == ()
    assert lesson.origin.file == "01-first/lessons/01-why-sleep.md"
    assert lesson.markdown.lstrip().startswith("## What sleep does")


def test_lesson_html_is_rendered_once(course):
    html = course.lesson("fm-why-sleep").html
    assert html.startswith("<h2>What sleep does</h2>")
    assert "<ul>\n<li>Sleep lets the body rest" in html
    assert "---" not in html and "main_message" not in html  # the header is not part of the page


def test_markdown_escapes_raw_html_and_renders_tables():
    html = render_markdown("<script>alert(1)</script>\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<table>" in html and "<td>1</td>" in html


def test_external_links_get_rel_noopener():
    html = render_markdown("[help](https://findtreatment.gov) and [next](/learn/x)")
    assert '<a href="https://findtreatment.gov" rel="noopener noreferrer">help</a>' in html
    assert '<a href="/learn/x">next</a>' in html


def test_quiz_questions_and_choices(course):
    module = course.module("first-module")
    assert len(module.quiz) == 10
    nap = module.question("fm-nap")
    assert nap is course.question("fm-nap")
    assert (nap.type, nap.module_id) == ("single", "first-module")
    assert [c.id for c in nap.choices] == ["a", "b", "c"]
    assert nap.correct_ids == frozenset({"a"})
    assert nap.choice("b").misconception == "naps-replace-sleep"
    assert nap.choice("a").misconception is None
    assert nap.choice("z") is None
    assert nap.explanation.startswith("A short nap")
    assert course.question("fm-room").correct_ids == frozenset({"a", "b"})
    assert course.question("fm-clock").correct_ids == frozenset({"true"})


def test_pretest_resolves_to_the_quiz_questions(course):
    module = course.module("first-module")
    assert [q.id for q in module.pretest.questions] == ["fm-nap", "fm-hours", "fm-room", "fm-clock", "fm-help"]
    assert all(q is module.question(q.id) for q in module.pretest.questions)


def test_misconceptions(course):
    assert set(course.misconceptions) == {"naps-replace-sleep", "water-only-when-thirsty"}
    entry = course.misconception("naps-replace-sleep")
    assert entry.correction is True and entry.myth.startswith("A short nap")
    assert course.misconception("water-only-when-thirsty").correction is False
    with pytest.raises(TypeError):
        course.misconceptions["new"] = entry  # read-only mapping


def test_lookups_miss_with_none(course):
    assert course.module("nope") is None
    assert course.lesson("nope") is None
    assert course.question("nope") is None
    assert course.module("first-module").lesson("sm-why-water") is None
    assert course.module("first-module").question("sm-thirst") is None


def test_objects_are_frozen(course):
    with pytest.raises(dataclasses.FrozenInstanceError):
        course.modules[0].title = "changed"
    with pytest.raises(dataclasses.FrozenInstanceError):
        course.question("fm-nap").choices[0].correct = False
    assert isinstance(course.modules, tuple) and isinstance(course.modules[0].lessons, tuple)


def test_version_is_a_short_hash_that_follows_the_files(tree):
    before = read_course(tree)[0].modules
    assert all(re.fullmatch(r"[0-9a-f]{16}", m.version) for m in before)
    assert before[0].version != before[1].version
    assert [m.version for m in read_course(tree)[0].modules] == [m.version for m in before]  # stable
    quiz = tree / "01-first" / "quiz.yaml"
    quiz.write_text(quiz.read_text().replace("Seven to nine hours.", "Seven to nine hours each night."))
    after = read_course(tree)[0].modules
    assert after[0].version != before[0].version
    assert after[1].version == before[1].version


def test_unquoted_true_false_ids_are_read_as_text(tree):
    quiz = tree / "01-first" / "quiz.yaml"
    quiz.write_text(quiz.read_text().replace('- id: "true"', "- id: true").replace('- id: "false"', "- id: false"))
    course, problems = read_course(tree)
    assert problems == []
    assert course.question("fm-clock").correct_ids == frozenset({"true"})


def test_missing_content_folder(tmp_path):
    course, problems = read_course(tmp_path / "absent")
    assert course.modules == ()
    assert [p.message for p in problems] == ["content folder not found"]


def test_init_app_stores_the_course_and_get_course_returns_it():
    app = Flask(__name__)
    app.config["CONTENT_DIR"] = str(GOOD)
    init_app(app)
    with app.app_context():
        assert get_course() is app.extensions["course"]
        assert get_course().module("second-module").title == "Water and health"


def test_init_app_refuses_broken_content_naming_file_and_field(tree):
    quiz = tree / "02-second" / "quiz.yaml"
    quiz.write_text(quiz.read_text().replace("id: sm-loss", "id: fm-nap"))
    app = Flask(__name__)
    app.config["CONTENT_DIR"] = str(tree)
    with pytest.raises(ContentError) as caught:
        init_app(app)
    assert '02-second/quiz.yaml: questions[1].id: duplicate question id "fm-nap"' in str(caught.value)
    assert "course" not in app.extensions
