"""The learner's journey in a real browser: join, read, pre-test, fail, review, retake, pass, next module."""

from __future__ import annotations

import pytest

from course.content import get_course
from tests.factories import make_cohort

from .checks import check_page
from .steps import DESKTOP, PHONE, answer_every_question


@pytest.mark.parametrize(
    "viewport, javascript, site",
    [
        (DESKTOP, True, "gunicorn"),
        (PHONE, True, "gunicorn"),
        (PHONE, False, "gunicorn"),
        (DESKTOP, True, "stack"),  # over HTTPS through nginx, on both nodes, PostgreSQL and Redis
    ],
    ids=["desktop", "phone", "phone-no-javascript", "desktop-stack"],
    indirect=["site"],
)
def test_learner_journey(open_page, seed, seed_app, viewport, javascript):
    with seed_app.app_context():
        course = get_course()
    first, second = course.modules[0], course.modules[1]
    code = seed(lambda: make_cohort(name="Evening group").join_code)
    username = f"learner-{viewport['width']}-{int(javascript)}"
    page = open_page(viewport, javascript)

    def check():
        return check_page(page, axe=javascript)

    page.goto(f"/auth/join/{code}")
    check()
    page.fill("#username", username)
    page.fill("#password", "quiet morning by the lake")
    page.fill("#confirm", "quiet morning by the lake")
    page.click("text=Create my account")
    page.wait_for_url("**/learn/")
    check()

    page.click("text=Continue:")
    page.wait_for_url(f"**/learn/modules/{first.id}")
    check()
    page.click("text=Take the pre-test")
    check()
    answer_every_question(page, course, right=False)
    page.click("text=Submit my answers")
    page.wait_for_url("**/result")
    check()

    page.click("text=Start the first lesson")
    for lesson in first.lessons:
        page.wait_for_url(f"**/lessons/{lesson.id}")
        check()
        page.click("button:has-text('Mark complete')")
    page.wait_for_url(f"**/modules/{first.id}/quiz")
    check()

    page.click("text=Start the quiz")
    check()
    answer_every_question(page, course, right=False)
    page.click("text=Submit my answers")
    page.wait_for_url("**/result")
    assert "You need 80% to pass" in page.content()
    assert page.locator("text=Right answer:").count() == len(first.quiz.questions)
    check()

    page.click("text=Back to the quiz page")
    page.click("text=Try again")
    answer_every_question(page, course, right=True)
    page.click("text=Submit my answers")
    page.wait_for_url("**/result")
    assert "You passed" in page.content()
    check()

    page.click(f"a[href='/learn/modules/{second.id}']")
    page.wait_for_url(f"**/learn/modules/{second.id}")
    assert page.locator("h1").inner_text() == second.title
    check()

    page.goto("/learn/progress")
    check()
    chart = page.locator("svg[role='img']")
    assert chart.count() == 1 and chart.locator("title").count() == 1
    table = page.locator("table", has=page.locator("caption"))
    assert first.title in table.first.inner_text() and "100" in table.first.inner_text()

    page.goto("/learn/data")  # who can see the record: a table that scrolls sideways on a phone
    assert "Evening group" in page.content()
    check()
