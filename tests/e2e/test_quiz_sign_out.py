"""Signing out in another tab in the middle of a quiz: the quiz tab says so (not "no connection"),
Submit leads to the sign-in page, and after signing in every answer is back."""

from __future__ import annotations

from playwright.sync_api import expect

from course.content import get_course
from tests.factories import PASSWORD, make_cohort, make_user

from .steps import DESKTOP


def checked_answers(page) -> dict[str, set[str]]:
    pairs = page.eval_on_selector_all("fieldset.question input:checked", "els => els.map(e => [e.name, e.value])")
    found: dict[str, set[str]] = {}
    for name, value in pairs:
        found.setdefault(name, set()).add(value)
    return found


def test_signing_out_in_another_tab_keeps_every_answer_of_the_quiz(open_page, seed, seed_app):
    with seed_app.app_context():
        course = get_course()
    module = course.modules[0]

    def learner() -> str:
        person = make_user("learner", username="two-tabs-learner")
        make_cohort(members=(person,))
        return person.username

    username = seed(learner)
    quiz_tab = open_page(DESKTOP)
    quiz_tab.goto("/auth/login")
    quiz_tab.fill("#username", username)
    quiz_tab.fill("#password", PASSWORD)
    quiz_tab.click("button:has-text('Sign in')")
    quiz_tab.wait_for_url("**/learn/")
    quiz_tab.goto(f"/learn/modules/{module.id}/quiz")
    quiz_tab.click("text=Start the quiz")
    quiz_tab.wait_for_url("**/learn/attempts/*")
    attempt_url = quiz_tab.url
    status = quiz_tab.locator("#autosave-status")

    names = quiz_tab.eval_on_selector_all(
        "fieldset.question input[name^='q-']", "els => [...new Set(els.map(e => e.name))]"
    )
    chosen = {name: sorted(course.question(name[2:]).correct_ids) for name in names}
    first, rest = names[:2], names[2:]
    for name in first:
        for value in chosen[name]:
            quiz_tab.check(f'input[name="{name}"][value="{value}"]')
    expect(status).to_have_text("Answers saved.")

    other_tab = quiz_tab.context.new_page()
    other_tab.goto("/learn/")
    other_tab.click("button:has-text('Sign out')")
    other_tab.wait_for_url("**/auth/login")

    for name in rest:
        for value in chosen[name]:
            quiz_tab.check(f'input[name="{name}"][value="{value}"]')
    expect(status).to_contain_text("you are signed out")
    assert "connection" not in status.inner_text()

    quiz_tab.click("text=Submit my answers")
    quiz_tab.wait_for_url("**/auth/login**")
    assert "Please sign in" in quiz_tab.content()
    quiz_tab.fill("#username", username)
    quiz_tab.fill("#password", PASSWORD)
    quiz_tab.click("button:has-text('Sign in')")
    quiz_tab.wait_for_url(attempt_url)
    assert "the answers you sent then are saved below" in quiz_tab.content()
    assert checked_answers(quiz_tab) == {name: set(values) for name, values in chosen.items()}

    quiz_tab.click("text=Submit my answers")
    quiz_tab.wait_for_url("**/result")
    assert "You passed" in quiz_tab.content()
