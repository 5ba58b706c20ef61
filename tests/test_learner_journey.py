"""The whole learner journey through the pages: join, read, pre-test, fail, review, pass, next module."""

import re

from markupsafe import escape

from course.content import get_course

from . import quiz_helpers
from .factories import make_cohort


def _attempt_from(response):
    assert response.status_code == 303, response.status_code
    return response.headers["Location"]


def _answers_on_page(page: str, module, right: bool) -> dict:
    """Pick answers from the form as a person would: the right ones, or a wrong one each."""
    data = {}
    for qid in dict.fromkeys(re.findall(r'name="q-([^"]+)"', page)):
        question = module.question(qid)
        chosen = quiz_helpers.right_answer(question) if right else quiz_helpers.wrong_answer(question)
        data[f"q-{qid}"] = sorted(chosen)
    data["sequence"] = re.search(r'name="sequence" value="(\d+)"', page).group(1)
    return data


def test_join_read_pretest_fail_review_retake_pass_and_open_module_two(browser):
    course = get_course()
    first, second = course.modules[0], course.modules[1]
    cohort = make_cohort(name="Thursday group")
    joined = browser.post(
        "/auth/join",
        {
            "code": cohort.join_code,
            "username": "river-stone",
            "password": "quiet morning by the lake",
            "confirm": "quiet morning by the lake",
        },
        form_page=f"/auth/join/{cohort.join_code}",
    )
    assert joined.headers["Location"] == "/learn/"
    home = browser.get("/learn/").get_data(as_text=True)
    assert "Thursday group" in home and f'href="/learn/modules/{first.id}"' in home

    module_page = f"/learn/modules/{first.id}"
    pretest = _attempt_from(browser.post(f"{module_page}/pretest/start", form_page=module_page))
    page = browser.get(pretest).get_data(as_text=True)
    assert "Pre-test" in page
    result = browser.post(f"{pretest}/submit", _answers_on_page(page, first, right=False), form_page=pretest)
    assert "before the lessons" in browser.get(result.headers["Location"]).get_data(as_text=True)

    for lesson in first.lessons:
        url = f"{module_page}/lessons/{lesson.id}"
        assert str(escape(lesson.main_message)) in browser.get(url).get_data(as_text=True)
        browser.post(f"{url}/complete", form_page=url)

    quiz_page = f"{module_page}/quiz"
    attempt = _attempt_from(browser.post(f"{module_page}/quiz/start", form_page=quiz_page))
    page = browser.get(attempt).get_data(as_text=True)
    failed = browser.post(f"{attempt}/submit", _answers_on_page(page, first, right=False), form_page=attempt)
    review = browser.get(failed.headers["Location"]).get_data(as_text=True)
    assert "You need 80% to pass" in review and "Right answer:" in review and "Why:" in review
    assert browser.get(f"/learn/modules/{second.id}").status_code == 403

    retake = _attempt_from(browser.post(f"{module_page}/quiz/start", form_page=quiz_page))
    assert retake != attempt
    page = browser.get(retake).get_data(as_text=True)
    passed = browser.post(f"{retake}/submit", _answers_on_page(page, first, right=True), form_page=retake)
    outcome = browser.get(passed.headers["Location"]).get_data(as_text=True)
    assert "You passed" in outcome and f'href="/learn/modules/{second.id}"' in outcome

    assert browser.get(f"/learn/modules/{second.id}").status_code == 200
    home = browser.get("/learn/").get_data(as_text=True)
    assert f"1 of {len(course.modules)} modules passed" in home and "Passed" in home


def test_a_lesson_prints_cleanly(browser, learner):
    module = get_course().modules[0]
    browser.login(learner.username)
    page = browser.get(f"/learn/modules/{module.id}/lessons/{module.lessons[0].id}").get_data(as_text=True)
    assert 'href="/static/css/print.css" media="print"' in page
    css = browser.get("/static/css/print.css").get_data(as_text=True)
    for hidden in (".quick-exit", ".site-nav", "form"):
        assert hidden in css.split("display: none")[0]
