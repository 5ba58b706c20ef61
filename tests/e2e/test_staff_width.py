"""Staff pages use the screen: their wide tables fit a laptop's width, and still scroll in their own region on a phone.

Learner pages keep the narrow reading column; the facilitator's cohort table, the question-by-question
analysis and the audit log are laid out wide, so at 1280 px nothing scrolls sideways.
"""

from __future__ import annotations

import pytest

from course.content import get_course
from tests.factories import make_cohort, make_user

from .checks import check_page
from .steps import DESKTOP, PHONE, sign_in
from .test_staff_journeys import take_quiz

LEARNERS = 6

# Each table's scrolling region: its own width against the width it shows, and whether it takes keyboard focus.
REGION = """region => ({scroll: region.scrollWidth, client: region.clientWidth,
                        tabindex: region.getAttribute('tabindex'), role: region.getAttribute('role')})"""


def _busy_cohort():
    """A facilitator's cohort of several learners, some of whom took the first quiz (some picking myths)."""
    facilitator = make_user("facilitator")
    learners = tuple(make_user("learner", display_name=f"Learner number {n}") for n in range(LEARNERS))
    cohort = make_cohort(facilitator, members=learners, name="Thursday evening group")
    for n, learner in enumerate(learners[:4]):
        take_quiz(learner.id, None if n % 2 else 2)  # half pass, half fail with wrong answers
    return facilitator.username, cohort.id


@pytest.fixture
def staff_pages(seed, seed_app):
    """The three wide staff tables: who opens each (and their home page), its path, and its table's caption."""
    facilitator, cohort_id = seed(_busy_cohort)
    admin = seed(make_user, "admin")
    with seed_app.app_context():
        module_id = get_course().modules[0].id
    return [
        (facilitator, "/facilitate/", f"/facilitate/cohorts/{cohort_id}", "#progress-caption"),
        (facilitator, "/facilitate/", f"/facilitate/cohorts/{cohort_id}/modules/{module_id}", "#items-caption"),
        (admin.username, "/admin/", "/admin/audit", "#audit-caption"),
    ]


def _region(page, caption):
    """The scrolling region around the table with this caption."""
    return page.locator(".table-scroll", has=page.locator(caption))


def _overlap(page, one, other):
    """Whether two elements' boxes on the screen overlap."""
    a, b = page.locator(one).bounding_box(), page.locator(other).bounding_box()
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def _document_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


def test_staff_tables_do_not_scroll_sideways_on_a_laptop(open_page, staff_pages):
    for username, home, path, caption in staff_pages:
        page = open_page(DESKTOP)
        sign_in(page, username, home)
        page.goto(path)
        region = _region(page, caption)
        assert region.locator("tbody tr").count() >= 1, path
        size = region.evaluate(REGION)
        assert size["scroll"] <= size["client"], f"{path}: the table is {size['scroll']}px in {size['client']}px"
        assert _document_width(page) <= DESKTOP["width"], path
        assert not _overlap(page, ".site-nav", "#quick-exit"), f"{path}: the quick exit covers the menu"
        check_page(page)


def test_staff_tables_scroll_in_a_focusable_region_on_a_phone(open_page, staff_pages):
    for username, home, path, caption in staff_pages:
        page = open_page(PHONE)
        sign_in(page, username, home)
        page.goto(path)
        region = _region(page, caption)
        size = region.evaluate(REGION)
        assert size["tabindex"] == "0" and size["role"] == "region", path
        assert size["scroll"] > size["client"], f"{path}: expected the table to scroll inside its region"
        region.focus()
        page.keyboard.press("ArrowRight")  # the keyboard scrolls the table within its region, not the page
        page.wait_for_function("region => region.scrollLeft > 0", arg=region.element_handle())
        assert _document_width(page) <= PHONE["width"], path
        check_page(page)


def test_learner_pages_keep_the_reading_column(open_page, seed):
    learner = seed(make_user, "learner")
    page = open_page(DESKTOP)
    sign_in(page, learner.username)
    width = page.locator("main").evaluate("main => main.getBoundingClientRect().width")
    assert width <= 46 * 16, f"the learner's home is {width}px wide"


@pytest.mark.parametrize("width", [640, 700, 800, 930, 1100])
def test_the_quick_exit_never_covers_the_menu_on_learner_pages(open_page, seed, width):
    learner = seed(make_user, "learner")
    page = open_page({"width": width, "height": 800})
    sign_in(page, learner.username)
    assert not _overlap(page, ".site-nav", "#quick-exit"), f"the quick exit covers the menu at {width}px"
