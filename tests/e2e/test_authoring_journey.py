"""A second course written in the browser: an author writes it, the check finds a problem and it is fixed,
a clinical reviewer approves it, a facilitator assigns it, and a learner takes it; the first course and
its attempts are untouched.

The text typed is the second test course's (tests/fixtures/packs/rest-course): one module, two
lessons, ten quiz items (the check's minimum for a quiz, CONTENT.md), a pre-test of five.
"""

from __future__ import annotations

import time
from pathlib import Path

import yaml

from course.content import get_course
from course.content.writer import read_lesson
from course.extensions import db
from course.models import QUIZ, QuizAttempt
from course.services import course_library
from tests import quiz_helpers
from tests.factories import make_cohort, make_user

from .. import actions
from .checks import check_page
from .steps import DESKTOP, answer_every_question, sign_in

REST = Path(__file__).resolve().parents[1] / "fixtures" / "packs" / "rest-course"
COURSE_ID = "carers-course"
TITLE = "Rest and recovery for carers"
REFRESH_SECONDS = 5  # the servers' CONTENT_REFRESH_SECONDS (the default)


def _people():
    author = make_user("facilitator", can_author=True)
    reviewer = make_user("counselor", can_review=True)
    facilitator, learner = make_user("facilitator"), make_user()
    cohort = make_cohort(facilitator, members=(learner,))
    module = get_course().modules[0]  # the first course: an attempt that must stay as it is
    attempt = actions.start_attempt(learner, module, QUIZ)
    actions.submit(attempt, quiz_helpers.answers(attempt, module, None), attempt.sequence, module)
    return author.username, reviewer.username, facilitator.username, learner.username, cohort.id, attempt.id


def _attempt_state(attempt_id):
    a = db.session.get(QuizAttempt, attempt_id)
    return a.module_id, a.content_version, a.score, a.passed


def open_when_served(page, url: str, text: str) -> None:
    """Open the page until it shows `text`: with two gunicorn workers, the one that did not publish
    serves a new version within its refresh interval (CONTENT_REFRESH_SECONDS, 5 s)."""
    for _ in range(30):
        page.goto(url)
        if text in page.content():
            return
        time.sleep(0.5)
    raise AssertionError(f"{url} never showed {text!r}")


def _save(page, button="Save"):
    page.click(f"button:has-text('{button}')")
    page.wait_for_load_state()


def write_file(page, path: str) -> None:
    page.goto(f"/author/courses/{COURSE_ID}/draft/file?path={path}")
    page.fill("#text", (REST / path).read_text(encoding="utf-8"))
    _save(page)


def write_lesson(page, folder: str, name: str, with_sources: bool = True) -> None:
    header, body = read_lesson((REST / "01-rest" / "lessons" / name).read_text(encoding="utf-8"))
    page.goto(f"/author/courses/{COURSE_ID}/draft")
    page.fill(f"#lesson-id-{folder}", header["id"])
    page.fill(f"#lesson-title-{folder}", header["title"])
    page.click(f"form[action$='/{folder}/lessons'] button")
    page.wait_for_url(f"**/lessons/*-{header['id']}.md")
    page.fill("#minutes", str(header["minutes"]))
    page.fill("#main_message", header["main_message"])
    page.fill("#last_reviewed", str(header["last_reviewed"]))
    page.fill("#corrects", ", ".join(header.get("corrects", [])))
    page.fill("#sources", "\n".join(header["sources"]) if with_sources else "")
    page.fill("#body", body.strip())
    _save(page)


def write_question(page, folder: str, question: dict) -> None:
    page.goto(f"/author/courses/{COURSE_ID}/draft")
    page.fill(f"#question-id-{folder}", question["id"])
    page.select_option(f"#question-type-{folder}", question["type"])
    page.click(f"form[action$='/{folder}/questions'] button")
    page.wait_for_url(f"**/questions/{question['id']}")
    page.fill("#prompt", question["prompt"])
    for i, choice in enumerate(question["choices"]):
        page.fill(f"#choices-{i}-text", choice["text"])
        if choice["correct"]:
            page.check(f"#choices-{i}-correct")
        page.fill(f"#choices-{i}-feedback", choice["feedback"])
        page.fill(f"#choices-{i}-misconception", choice.get("misconception") or "")
    page.fill("#explanation", question["explanation"])
    page.fill("#source", question["source"])
    _save(page)


def test_an_author_writes_a_course_a_reviewer_publishes_it_and_a_learner_takes_it(open_page, seed):
    author, reviewer, facilitator, learner, cohort_id, first_attempt = seed(_people)
    before = seed(_attempt_state, first_attempt)

    page = open_page(DESKTOP)
    sign_in(page, author, "/facilitate/")
    page.goto("/author/")
    check_page(page)
    page.fill("#course_id", COURSE_ID)
    page.fill("#title", TITLE)
    page.fill("#summary", "A short course for family members on sleep and rest.")
    page.click("button:has-text('Start the course')")
    page.wait_for_url(f"**/author/courses/{COURSE_ID}/draft")
    assert "Problem:" in page.content()  # no module yet: the check says so
    check_page(page)

    write_file(page, "misconceptions.yaml")
    page.goto(f"/author/courses/{COURSE_ID}/draft")
    page.fill("#module-id", "rest-module")
    page.fill("#module-title", "Rest for carers")
    page.click("button:has-text('Add module')")
    page.wait_for_url("**/draft/file?path=01-rest-module/module.yaml")
    page.fill("#text", (REST / "01-rest/module.yaml").read_text(encoding="utf-8"))
    _save(page)

    # A lesson saved without its sources: the finding shows beside the Sources field, then goes.
    write_lesson(page, "01-rest-module", "01-why-sleep.md", with_sources=False)
    assert "Check: missing" in page.locator("#sources-error").inner_text()
    assert "sources-error" in (page.get_attribute("#sources", "aria-describedby") or "")
    check_page(page)
    page.fill("#sources", "Fixture Sleep Society. Sleep Basics: A Guide. 2024.")
    _save(page)
    assert page.locator("#sources-error").count() == 0
    assert page.locator(".preview article.lesson h1").inner_text() == "Why we sleep"

    write_lesson(page, "01-rest-module", "02-better-sleep.md")
    questions = yaml.safe_load((REST / "01-rest/quiz.yaml").read_text(encoding="utf-8"))["questions"]
    for question in questions:
        write_question(page, "01-rest-module", question)
    check_page(page)
    page.goto(f"/author/courses/{COURSE_ID}/draft/file?path=01-rest-module/pretest.yaml")
    page.fill("#text", (REST / "01-rest/pretest.yaml").read_text(encoding="utf-8"))
    _save(page)

    page.goto(f"/author/courses/{COURSE_ID}/draft")
    assert "No problems: this draft can be sent for review." in page.content(), page.locator(".findings").inner_text()
    page.click("button:has-text('Send for review')")
    assert "Sent for review" in page.content()

    review = open_page(DESKTOP)
    sign_in(review, reviewer, "/counsel/")
    review.goto(f"/author/courses/{COURSE_ID}/review")
    check_page(review)
    review.click("button:has-text('Approve and publish')")
    review.wait_for_url(f"**/author/courses/{COURSE_ID}/versions")
    assert "Published as version 1." in review.content()
    published = time.monotonic()
    check_page(review)

    staff = open_page(DESKTOP)
    sign_in(staff, facilitator, "/facilitate/")
    open_when_served(staff, f"/facilitate/cohorts/{cohort_id}/assignments", TITLE)
    time.sleep(max(0.0, published + REFRESH_SECONDS + 0.5 - time.monotonic()))  # both workers serve it now
    staff.check('input[name="modules"][value="rest-module"]')
    staff.click("button:has-text('Assign')")
    check_page(staff)

    person = open_page(DESKTOP)
    sign_in(person, learner)
    open_when_served(person, "/learn/", f'<h2 id="course-{COURSE_ID}">{TITLE}</h2>')
    check_page(person)
    person.goto("/learn/modules/rest-module")
    person.click("text=Skip it and start reading")
    for lesson_id in ("rc-why-sleep", "rc-better-sleep"):
        person.wait_for_url(f"**/lessons/{lesson_id}")
        person.click("button:has-text('Mark complete')")
    person.wait_for_url("**/modules/rest-module/quiz")
    person.click("text=Start the quiz")
    course = seed(lambda: (course_library.reload(), get_course())[1])
    answer_every_question(person, course, right=True)
    person.click("text=Submit my answers")
    person.wait_for_url("**/result")
    assert "You passed" in person.content()
    person.goto("/learn/progress")
    assert f"<td>{TITLE}</td>" in person.content()
    check_page(person)

    assert seed(_attempt_state, first_attempt) == before  # the first course's attempt, as it was
