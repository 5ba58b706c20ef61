"""Quick exit, a quiz done with the keyboard alone, visible focus, and form errors tied to their fields."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from course.content import get_course
from course.extensions import db
from course.models import UserSession
from tests.factories import make_user

from .checks import check_page
from .steps import PHONE, sign_in


def _open_sessions(user_id):
    return db.session.scalar(
        select(func.count())
        .select_from(UserSession)
        .where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
    )


@pytest.mark.parametrize("how", ["button", "escape-twice"])
def test_quick_exit_leaves_signs_out_and_back_does_not_return(open_page, seed, neutral_site, how):
    user = seed(make_user, "learner")
    page = open_page()
    page.goto("/help")
    sign_in(page, user.username)
    if how == "button":
        page.click("#quick-exit")
    else:
        page.keyboard.press("Escape")
        page.keyboard.press("Escape")
    page.wait_for_url(neutral_site)
    for _ in range(50):  # the sign-out is sent as a beacon while the browser leaves
        if seed(_open_sessions, user.id) == 0:
            break
        time.sleep(0.1)
    assert seed(_open_sessions, user.id) == 0
    page.go_back()
    assert "/learn/" not in page.url  # the course page was replaced in the history, not stacked
    assert "/auth/login" in page.url and "Sign in" in page.locator("h1").inner_text()


def test_quick_exit_without_javascript_is_a_plain_link(open_page, neutral_site):
    page = open_page(PHONE, javascript=False)
    page.goto("/")
    page.click("#quick-exit")
    page.wait_for_url(neutral_site)


def test_a_quiz_can_be_done_with_the_keyboard_alone_and_focus_is_always_visible(open_page, seed, seed_app):
    user = seed(make_user, "learner")
    with seed_app.app_context():
        module = get_course().modules[0]
    page = open_page()
    sign_in(page, user.username)
    page.goto(f"/learn/modules/{module.id}")
    page.focus("text=Take the pre-test")
    page.keyboard.press("Enter")
    page.wait_for_url("**/learn/attempts/*")
    answered = set()
    for _ in range(200):
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => { const e = document.activeElement; const s = getComputedStyle(e);
            return {tag: e.tagName, type: e.type || '', name: e.name || '', text: e.textContent.trim(),
                    outline: s.outlineStyle, width: parseFloat(s.outlineWidth)}; }""")
        assert focused["outline"] != "none" and focused["width"] >= 2, f"focus not visible on {focused}"
        if focused["type"] in ("radio", "checkbox") and focused["name"] not in answered:
            page.keyboard.press("Space")
            answered.add(focused["name"])
        if focused["tag"] == "BUTTON" and focused["text"] == "Submit my answers":
            page.keyboard.press("Enter")
            break
    page.wait_for_url("**/result")
    # Every answer, and every optional "How sure are you?" group, reached and chosen by keyboard.
    questions = {q.id for q in module.pretest.questions}
    assert answered == {f"q-{q}" for q in questions} | {f"c-{q}" for q in questions}
    assert "Pre-test result" in page.content()


def test_form_errors_are_announced_and_tied_to_their_fields(open_page, seed, seed_app):
    user = seed(make_user, "learner")
    with seed_app.app_context():
        module = get_course().modules[0]
    page = open_page(PHONE)
    page.goto("/auth/join")
    page.click("text=Create my account")
    summary = page.locator(".error-summary")
    assert summary.get_attribute("role") == "alert"
    username = page.locator("#username")
    assert username.get_attribute("aria-invalid") == "true"
    assert "username-error" in username.get_attribute("aria-describedby")
    assert "Choose a username" in page.locator("#username-error").inner_text()
    check_page(page)

    sign_in(page, user.username)
    page.goto(f"/learn/modules/{module.id}")
    page.click("text=Take the pre-test")
    page.click("text=Submit my answers")  # nothing answered
    assert page.locator(".flash-error").count() == 1
    first = page.locator("fieldset.question").first
    assert first.get_attribute("aria-describedby") == "unanswered-1"
    assert page.locator("#unanswered-1").inner_text().endswith("Choose an answer.")
    check_page(page)
