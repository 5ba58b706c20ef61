"""The facilitator's and the counselor's journeys in a real browser, with an admin attaching the counselor."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest

from course.content import get_course
from course.models import QUIZ
from tests import quiz_helpers
from tests.factories import make_user

from .. import actions
from .checks import check_page
from .steps import DESKTOP, PHONE, sign_in


def take_quiz(learner_id, right):
    """The learner takes the first module's quiz (through the service, as the pages do)."""
    from course.extensions import db
    from course.models import User

    learner = db.session.get(User, learner_id)
    module = get_course().modules[0]
    attempt = actions.start_attempt(learner, module, QUIZ)
    actions.submit(attempt, quiz_helpers.answers(attempt, module, right), attempt.sequence, module)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_facilitator_creates_a_cohort_assigns_a_module_and_watches_progress(open_page, seed, seed_app, viewport):
    with seed_app.app_context():
        module = get_course().modules[0]
    facilitator = seed(make_user, "facilitator")
    page = open_page(viewport)
    sign_in(page, facilitator.username, "/facilitate/")
    check_page(page)
    page.fill("#name", f"Monday group {viewport['width']}")
    page.click("button:has-text('Create cohort')")
    page.wait_for_url("**/facilitate/cohorts/*/settings")  # a new cohort opens on its join code
    cohort_url = page.url.removesuffix("/settings")
    check_page(page)
    code = page.locator(".join-code code").first.inner_text().strip()

    page.goto(f"{cohort_url}/assignments")
    check_page(page)
    page.check(f'input[name="modules"][value="{module.id}"]')
    due = date.today() + timedelta(days=7)
    page.fill("#due", due.isoformat())
    page.click("button:has-text('Assign')")
    assert module.title in page.content()

    learner_page = open_page(PHONE)
    learner_page.goto(f"/auth/join/{code}")
    learner_page.fill("#username", f"monday-learner-{viewport['width']}")
    learner_page.fill("#password", "quiet morning by the lake")
    learner_page.fill("#confirm", "quiet morning by the lake")
    learner_page.click("text=Create my account")
    learner_page.wait_for_url("**/learn/")
    assert "Due " + due.strftime("%d %b %Y") in learner_page.content()
    learner_page.goto(f"/learn/modules/{module.id}")
    learner_page.click("text=Skip it and start reading")
    learner_page.click("button:has-text('Mark complete')")

    page.goto(cohort_url)
    row = page.locator("tbody tr", has_text=f"monday-learner-{viewport['width']}")
    assert "In progress" in row.inner_text()
    check_page(page)

    from sqlalchemy import select

    from course.extensions import db
    from course.models import User

    learner_id = seed(
        lambda: db.session.scalar(select(User.id).where(User.username == f"monday-learner-{viewport['width']}"))
    )
    seed(take_quiz, learner_id, None)
    page.reload()
    row = page.locator("tbody tr", has_text=f"monday-learner-{viewport['width']}")
    assert "Passed" in row.inner_text() and "100" in row.inner_text()

    with page.expect_download() as download_info:
        page.click("button:has-text('Download progress (CSV)')")
    text = download_info.value.path().read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0].lower().startswith("username") or "username" in [c.lower() for c in rows[0]]
    assert any(f"monday-learner-{viewport['width']}" in r for r in rows[1:])


@pytest.mark.parametrize("site", ["gunicorn", "stack"], indirect=True)
def test_admin_attaches_a_counselor_who_reviews_a_record_and_the_learner_sees_the_look(open_page, seed):
    from course.extensions import db
    from tests.factories import make_cohort

    admin, counselor = seed(make_user, "admin"), seed(make_user, "counselor")
    learner = seed(make_user, "learner")
    cohort = seed(lambda: make_cohort(name="Wednesday group", members=(db.session.merge(learner),)))
    seed(take_quiz, learner.id, 3)  # fails, picking myths
    seed(take_quiz, learner.id, None)  # then passes

    page = open_page()
    sign_in(page, admin.username, "/admin/")
    page.goto(f"/admin/users/{counselor.id}")
    check_page(page)
    page.select_option("#cohort", str(cohort.id))
    page.click("button:has-text('Attach cohort')")
    assert "Wednesday group" in page.locator("table", has=page.locator("#caseload-caption")).inner_text()

    page = open_page(PHONE)
    sign_in(page, counselor.username, "/counsel/")
    check_page(page)
    page.click(f"text={learner.username}")
    page.wait_for_url(f"**/counsel/learners/{learner.id}")
    check_page(page)
    assert page.locator("#myths").count() == 1
    assert page.locator("#myths-caption").count() == 1  # the learner picked myths in the failed attempt
    page.locator("#attempts ~ * a").first.click()
    page.wait_for_url(f"**/counsel/learners/{learner.id}/attempts/*")
    check_page(page)

    page = open_page(PHONE)
    sign_in(page, learner.username, "/learn/")
    page.goto("/learn/data/access-log")
    check_page(page)
    looks = page.locator("tbody tr")
    assert looks.count() >= 2  # the record and the attempt were looked at
    assert counselor.username in looks.first.inner_text()
