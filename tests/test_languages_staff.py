"""An English and a Spanish learner in one cohort: each takes the quiz in their language, staff see both."""

from __future__ import annotations

import re

import pytest
from markupsafe import escape
from sqlalchemy import select

from course.extensions import db
from course.models import QuizAttempt

from . import quiz_helpers
from .factories import attach_counselor, make_cohort, make_user
from .quiz_helpers import start_quiz
from .support import sign_in

pytestmark = pytest.mark.real_course


def _take_quiz(browser, module, right: int) -> QuizAttempt:
    attempt = start_quiz(browser, module)
    url = f"/learn/attempts/{attempt.id}"
    data = quiz_helpers.form(quiz_helpers.answers(attempt, module, right=right), 0)
    assert browser.post(f"{url}/submit", data, form_page=url).status_code == 303
    return db.session.get(QuizAttempt, attempt.id)


@pytest.fixture
def two_languages(course, new_browser, facilitator, counselor):
    module = course.modules[0]
    ana, beto = make_user("learner", username="ana"), make_user("learner", username="beto")
    cohort = make_cohort(facilitator, members=(ana, beto))
    attach_counselor(counselor, cohort=cohort)
    english = sign_in(new_browser(), ana)
    spanish = sign_in(new_browser(), beto)
    spanish.post("/language", {"language": "es", "next": "/learn/"}, form_page="/learn/")
    page = spanish.get(f"/learn/modules/{module.id}").get_data(as_text=True)
    assert course.in_language("es").module(module.id).title in page  # the module in Spanish
    return {
        "module": module,
        "cohort": cohort,
        "ana": (ana, _take_quiz(english, module, right=len(module.quiz.questions))),
        "beto": (beto, _take_quiz(spanish, module, right=0)),
    }


def test_each_attempt_records_the_language_it_was_taken_in(two_languages):
    assert two_languages["ana"][1].language == "en"
    assert two_languages["beto"][1].language == "es"
    assert two_languages["beto"][0].language == "es"


def test_the_facilitator_sees_both_learners_languages_side_by_side(two_languages, new_browser, facilitator):
    browser = sign_in(new_browser(), facilitator)
    page = browser.get(f"/facilitate/cohorts/{two_languages['cohort'].id}").get_data(as_text=True)
    rows = {m.group(1): m.group(2) for m in re.finditer(r'<th scope="row">(\w+)(.*?)</th>', page, re.S)}
    assert "Language: English" in rows["ana"]
    assert "Language: Spanish" in rows["beto"]


def test_item_analysis_can_be_split_by_language(two_languages, new_browser, facilitator):
    browser = sign_in(new_browser(), facilitator)
    module, cohort = two_languages["module"], two_languages["cohort"]
    url = f"/facilitate/cohorts/{cohort.id}/modules/{module.id}"
    everyone = browser.get(url).get_data(as_text=True)
    assert "2 learners in this cohort took the quiz." in everyone
    assert "1 of 2" in everyone  # the first question: Ana right, Beto wrong
    spanish = browser.get(f"{url}?language=es").get_data(as_text=True)
    assert "1 learner in this cohort took the quiz first in Spanish." in spanish
    assert '<option value="es" selected>' in spanish
    assert "0 of 1" in spanish and "1 of 2" not in spanish
    english = browser.get(f"{url}?language=en").get_data(as_text=True)
    assert "1 of 1" in english and "0 of 1" not in english
    # An unknown language is no filter, not an error.
    assert browser.get(f"{url}?language=xx").get_data(as_text=True).count("1 of 2") >= 1


def test_the_counselor_sees_the_language_of_each_attempt(two_languages, new_browser, counselor):
    browser = sign_in(new_browser(), counselor)
    beto = two_languages["beto"][0]
    page = browser.get(f"/counsel/learners/{beto.id}").get_data(as_text=True)
    assert re.search(r"<dt>Language chosen</dt><dd>Spanish</dd>", page)
    attempt_row = re.search(r'<th scope="row" class="number-cell">1</th>(.*?)</tr>', page, re.S).group(1)
    assert "<td>Spanish</td>" in attempt_row


def test_a_spanish_facilitator_reads_the_same_table_in_spanish(two_languages, new_browser, facilitator):
    browser = sign_in(new_browser(), facilitator)
    browser.post("/language", {"language": "es", "next": "/facilitate/"}, form_page="/facilitate/")
    page = browser.get(f"/facilitate/cohorts/{two_languages['cohort'].id}").get_data(as_text=True)
    assert '<html lang="es">' in page
    assert "Idioma: Inglés" in page and "Idioma: Español" in page
    assert db.session.scalar(select(QuizAttempt.language).where(QuizAttempt.id == two_languages["ana"][1].id)) == "en"


def test_the_admin_sees_how_many_spanish_lessons_await_bilingual_review(course, new_browser, admin):
    page = sign_in(new_browser(), admin).get("/admin/courses").get_data(as_text=True)
    lessons = sum(len(m.lessons) for m in course.modules)
    assert f"Spanish: {lessons} of {lessons} lessons await review by a bilingual clinician" in page


def test_each_learner_reads_the_same_version_of_the_quiz_in_their_own_language(course, new_browser):
    """The English page loaded first must not leave its text in the shared memo for the Spanish one."""
    module = course.modules[0]
    ana, beto = make_user("learner", username="ana"), make_user("learner", username="beto")
    english, spanish = sign_in(new_browser(), ana), sign_in(new_browser(), beto)
    spanish.client.set_cookie("lang", "es")
    first, second = start_quiz(english, module), start_quiz(spanish, module)
    english_page = english.get(f"/learn/attempts/{first.id}").get_data(as_text=True)
    spanish_page = spanish.get(f"/learn/attempts/{second.id}").get_data(as_text=True)
    question = module.quiz.question(second.layout[0]["question"])
    twin = course.in_language("es").question(question.id)
    assert twin.prompt != question.prompt
    assert str(escape(twin.prompt)) in spanish_page
    assert str(escape(module.quiz.question(first.layout[0]["question"]).prompt)) in english_page


def test_a_version_is_recorded_in_english_even_when_a_spanish_learner_starts_it(course, new_browser):
    import json

    from course.models import QuizSnapshot

    module = course.modules[0]
    spanish = sign_in(new_browser(), make_user("learner", username="carla"))
    spanish.client.set_cookie("lang", "es")
    start_quiz(spanish, module)
    stored = json.dumps(db.session.scalar(select(QuizSnapshot.content).where(QuizSnapshot.module_id == module.id)))
    question = module.quiz.questions[0]
    assert json.dumps(question.prompt)[1:-1] in stored
    assert json.dumps(course.in_language("es").question(question.id).prompt)[1:-1] not in stored
