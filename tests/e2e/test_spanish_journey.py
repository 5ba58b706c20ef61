"""The learner's journey in Spanish, in a real browser: the switch, joining, lessons, pre-test, quiz, progress.

The words clicked are the catalog's Spanish (gettext in this process), so the test follows the
translation rather than repeating it.
"""

from __future__ import annotations

import pytest
from babel.support import Translations
from sqlalchemy import select

from course.config import PROJECT_ROOT
from course.content import get_course
from course.extensions import db
from course.models import QuizAttempt, User
from tests.factories import make_cohort

from .checks import check_page
from .steps import DESKTOP, PHONE, answer_every_question

SPANISH = Translations.load(str(PROJECT_ROOT / "translations"), ["es"])


def es(english: str) -> str:
    """The site's Spanish for an English string of the catalog."""
    spanish = SPANISH.gettext(english)
    assert spanish != english, f"no Spanish for {english!r}"
    return spanish


@pytest.mark.parametrize(
    "viewport, javascript",
    [(DESKTOP, True), (PHONE, True), (PHONE, False)],
    ids=["desktop", "phone", "phone-no-javascript"],
)
def test_learner_journey_in_spanish(open_page, seed, seed_app, viewport, javascript):
    with seed_app.app_context():
        course = get_course().in_language("es")
    first = course.modules[0]
    assert first.lessons[0].language == "es"
    code = seed(lambda: make_cohort(name="Grupo de la tarde").join_code)
    username = f"aprendiz-{viewport['width']}-{int(javascript)}"
    page = open_page(viewport, javascript)

    def check():
        check_page(page, axe=javascript)
        assert page.locator("html").get_attribute("lang") == "es"

    page.goto(f"/auth/join/{code}")
    assert page.locator("html").get_attribute("lang") == "en"
    page.click("button[name='language'][value='es']")  # the switch: a plain form, with or without JavaScript
    page.wait_for_url(f"**/auth/join/{code}")
    check()
    page.fill("#username", username)
    page.fill("#password", "mañana tranquila junto al lago")
    page.fill("#confirm", "mañana tranquila junto al lago")
    page.click(f"button:has-text('{es('Create my account')}')")
    page.wait_for_url("**/learn/")
    check()
    assert first.title in page.content()  # My course, in Spanish

    page.goto(f"/learn/modules/{first.id}")
    assert page.locator("h1").inner_text() == first.title
    check()
    page.click(f"text={es('Take the pre-test')}")
    check()
    answer_every_question(page, course, right=False)
    page.click(f"text={es('Submit my answers')}")
    page.wait_for_url("**/result")
    check()

    page.click(f"text={es('Start the first lesson')}")
    for lesson in first.lessons:
        page.wait_for_url(f"**/lessons/{lesson.id}")
        assert page.locator("h1").inner_text() == lesson.title
        assert page.locator(".awaits-review").count() == 1  # awaiting a bilingual clinician's review
        check()
        last = lesson is first.lessons[-1]
        page.click(
            f"button:has-text('{es('Mark complete and go to the quiz' if last else 'Mark complete and continue')}')"
        )
    page.wait_for_url(f"**/modules/{first.id}/quiz")
    check()

    page.click(f"text={es('Start the quiz')}")
    check()
    assert first.quiz.questions[0].prompt.split()[0] in page.content()
    answer_every_question(page, course, right=True)
    page.click(f"text={es('Submit my answers')}")
    page.wait_for_url("**/result")
    check()

    page.goto("/learn/progress")
    check()
    assert first.title in page.locator("table").first.inner_text()

    with seed_app.app_context():
        learner = db.session.scalar(select(User).where(User.username == username))
        languages = db.session.scalars(select(QuizAttempt.language).where(QuizAttempt.learner_id == learner.id))
        assert learner.language == "es"
        assert set(languages) == {"es"}
