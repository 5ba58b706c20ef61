"""Safety is never gated, in a real browser: the public safety sheet and the always-open safety module,
at desktop and phone width, used without JavaScript, and axe clean (axe itself needs JavaScript,
so each page is checked again in a context that has it)."""

from __future__ import annotations

import re

import pytest

from course.content import get_course
from tests.factories import make_user

from .checks import check_page
from .steps import DESKTOP, PHONE, sign_in

SIZES = [pytest.param(DESKTOP, id="desktop"), pytest.param(PHONE, id="phone-360")]


def axe_clean(open_page, viewport, path, username=None):
    """Open `path` in a JavaScript context of the same size (signed in as `username`) and run the checks."""
    page = open_page(viewport)
    if username:
        sign_in(page, username)
    page.goto(path)
    check_page(page)


@pytest.mark.parametrize("viewport", SIZES)
def test_anyone_reaches_the_safety_sheet_from_the_footer_without_javascript(open_page, viewport):
    page = open_page(viewport, javascript=False)
    page.goto("/")
    page.click("footer >> text=What to do in an overdose")
    page.wait_for_url("**/safety")
    assert page.title() == "Safety · Pathways"
    assert page.locator("h1").inner_text() == "If someone may be overdosing"
    steps = page.locator("ol.safety-steps > li").all_inner_texts()
    assert len(steps) == 5 and steps[0].startswith("Call 911") and "start CPR" in steps[2]
    axe_clean(open_page, viewport, "/safety")


def test_the_safety_sheet_prints_on_one_sheet(open_page):
    page = open_page(DESKTOP, javascript=False)
    page.goto("/safety")
    for paper in ("Letter", "A4"):
        pdf = page.pdf(format=paper, print_background=False)
        pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))
        assert pages == 1, f"{paper}: {pages} pages"


@pytest.mark.parametrize("viewport", SIZES)
def test_a_new_learner_opens_the_safety_module_first_thing_without_javascript(open_page, seed, seed_app, viewport):
    user = seed(make_user, "learner")
    with seed_app.app_context():
        safety = get_course().module("overdose-safety")
        lesson = safety.lessons[0]
    page = open_page(viewport, javascript=False)
    sign_in(page, user.username)
    card = page.locator(".module-card", has=page.locator("h2", has_text=safety.title))
    assert card.locator(".status-badge").inner_text() == "Ready to start"
    card.locator(f"a[href='/learn/modules/{safety.id}']").click()
    page.wait_for_url(f"**/learn/modules/{safety.id}")
    page.goto(f"/learn/modules/{safety.id}/lessons/{lesson.id}")
    assert page.locator("h1").inner_text() == lesson.title
    for path in ("/learn/", f"/learn/modules/{safety.id}", f"/learn/modules/{safety.id}/lessons/{lesson.id}"):
        axe_clean(open_page, viewport, path, user.username)
