"""The before-and-after measure in a real browser: a learner's pre-test with "I don't know" and how sure
they are, the facilitator's cohort figures and the admin's programme outcomes, on a laptop and a phone,
each page checked by axe."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import update

from course.content import get_course
from course.extensions import db
from course.models import PRETEST, QUIZ, ReviewItem, utcnow
from tests import quiz_helpers
from tests.factories import make_cohort, make_user

from .. import actions
from .checks import check_page
from .steps import DESKTOP, PHONE, sign_in

PAIRED = 6


def _paired_cohort():
    """A cohort of six learners: each took the first module's pre-test (0 to 5 right), then its quiz, all right."""
    module = get_course().modules[0]
    facilitator = make_user("facilitator")
    learners = tuple(make_user("learner") for _ in range(PAIRED))
    cohort = make_cohort(facilitator, members=learners, name="Outcomes group")
    for right, learner in enumerate(learners):
        for kind, count in ((PRETEST, right), (QUIZ, None)):
            attempt = actions.start_attempt(learner, module, kind)
            actions.submit(attempt, quiz_helpers.answers(attempt, module, count), attempt.sequence, module)
    return facilitator.username, cohort.id, module.title


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_learner_answers_the_pretest_with_i_dont_know_and_how_sure_and_sees_no_answers(open_page, seed, viewport):
    learner = seed(make_user, "learner")
    page = open_page(viewport)
    sign_in(page, learner.username)
    module_id = seed(lambda: get_course().modules[0].id)
    page.goto(f"/learn/modules/{module_id}")
    page.click("text=Take the pre-test")
    page.wait_for_url("**/learn/attempts/*")
    check_page(page)
    questions = page.locator("fieldset.question")
    count = questions.count()
    for n in range(count):
        question = questions.nth(n)
        question.get_by_label("I don't know").check()
        question.locator("fieldset.confidence").get_by_label("Guessing").check()
    page.click("text=Submit my answers")
    page.wait_for_url("**/result")
    assert "You scored 0%" in page.locator(".score").inner_text()
    assert page.locator(".verdict-unknown").count() == count
    assert page.locator("text=Right answer:").count() == 0
    check_page(page)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_facilitator_and_the_admin_see_the_before_and_after_figures(open_page, seed, viewport):
    facilitator, cohort_id, title = seed(_paired_cohort)
    admin = seed(make_user, "admin")

    page = open_page(viewport)
    sign_in(page, facilitator, "/facilitate/")
    page.goto(f"/facilitate/cohorts/{cohort_id}")
    table = page.locator("table", has=page.locator("#outcomes-caption"))
    row = table.locator("tbody tr").filter(has=page.locator("th", has_text=title))
    cells = row.locator("td").all_inner_texts()
    assert cells[0] == str(PAIRED) and cells[2] == "100.0%"
    assert re.fullmatch(r"\+\d+\.\d \(\+\d+\.\d to \+\d+\.\d\)", " ".join(cells[3].split()))
    page.locator("summary:has-text('How these figures are worked out')").click()
    assert page.locator("details.method[open]").count() == 1
    check_page(page)

    page = open_page(viewport)
    sign_in(page, admin.username, "/admin/")
    page.click("text=Outcomes")
    page.wait_for_url("**/admin/outcomes")
    assert page.locator("svg.chart-svg circle").count() >= 1
    assert re.search(r"\(n = \d+\)", page.locator("svg.chart-svg").inner_html())
    assert page.locator("#questions-caption").count() == 1
    check_page(page)
    with page.expect_download() as download:
        page.click("text=Download outcomes (CSV)")
    assert download.value.suggested_filename == "programme-outcomes.csv"


def _due_review():
    """A learner who missed two questions, then passed the first module; the first review round is due."""
    module = get_course().modules[0]
    learner = make_user("learner")
    for right in (len(module.quiz.questions) - 2, None):
        attempt = actions.start_attempt(learner, module, QUIZ)
        actions.submit(attempt, quiz_helpers.answers(attempt, module, right), attempt.sequence, module)
    db.session.execute(
        update(ReviewItem).where(ReviewItem.learner_id == learner.id, ReviewItem.round == 1).values(due_at=utcnow())
    )
    db.session.commit()
    return learner.username


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_due_review_shows_as_a_card_and_is_answered_with_explanations(open_page, seed, seed_app, viewport):
    username = seed(_due_review)
    page = open_page(viewport)
    sign_in(page, username)
    card = page.locator(".review-card")
    assert card.locator("h2").inner_text() == "3 questions to review"
    check_page(page)
    card.locator("text=Review now").click()
    page.wait_for_url("**/learn/review")
    check_page(page)
    with seed_app.app_context():
        course = get_course()
        for name in page.eval_on_selector_all("fieldset.question input", "els => [...new Set(els.map(e => e.name))]"):
            item = db.session.get(ReviewItem, int(name[2:]))
            for choice_id in course.question(item.question_id).correct_ids:
                page.check(f'input[name="{name}"][value="{choice_id}"]')
        db.session.remove()
    page.click("text=Check my answers")
    assert "You answered 3 of 3 right" in page.locator(".score").inner_text()
    assert page.locator("text=Why:").count() == 3
    check_page(page)
    page.goto("/learn/")
    assert page.locator(".review-card").count() == 0
