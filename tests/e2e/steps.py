"""Steps the browser journeys share: the viewports, signing in, and ticking a quiz's answers as a person would."""

from __future__ import annotations

from tests.factories import PASSWORD

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}


def sign_in(page, username, home="/learn/"):
    """Sign in through the form and wait for the role's home page (a learner's by default)."""
    page.goto("/auth/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url(f"**{home}")


def answer_every_question(page, course, right: bool) -> None:
    """Tick answers as a person would: the right ones, or one wrong choice per question."""
    names = page.eval_on_selector_all(
        "fieldset.question input[name^='q-']", "els => [...new Set(els.map(e => e.name))]"
    )
    for name in names:
        question = course.question(name[2:])
        wanted = sorted(question.correct_ids) if right else [next(c.id for c in question.choices if not c.correct)]
        for choice_id in wanted:
            page.check(f'input[name="{name}"][value="{choice_id}"]')
