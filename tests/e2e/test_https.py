"""Over HTTPS in production mode, with TLS at gunicorn and behind the proxy of the stack: forms, the quiz
autosave and the quick exit's sign-out pass the strict CSRF Referer check, and the quick-exit site still
gets no Referer."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from course.content import get_course
from course.extensions import db
from course.models import UserSession
from tests.factories import make_user

from .steps import answer_every_question, sign_in


def _open_sessions(user_id):
    return db.session.scalar(
        select(func.count())
        .select_from(UserSession)
        .where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
    )


def wait_until_signed_out(seed, user_id) -> int:
    """The number of the user's open sessions once the quick exit's beacon has arrived.

    Gives up after 15 s: a loaded CI machine is slow.
    """
    for _ in range(150):
        if seed(_open_sessions, user_id) == 0:
            break
        time.sleep(0.1)
    return seed(_open_sessions, user_id)


@pytest.mark.parametrize("site", ["https", "stack"], indirect=True)
def test_over_https_a_learner_signs_in_autosaves_submits_and_quick_exits_unseen(
    open_page, seed, site, neutral_https_site
):
    with site.app.app_context():
        course = get_course()
    module = course.modules[0]
    learner = seed(make_user, "learner")
    page = open_page()
    assert page.goto("/").url.startswith("https://")

    sign_in(page, learner.username, "/learn/")  # a form POST
    assert seed(_open_sessions, learner.id) == 1
    page.goto(f"/learn/modules/{module.id}")
    page.click("text=Take the pre-test")  # a form POST
    page.wait_for_url("**/learn/attempts/*")

    first = page.locator("fieldset.question input").first
    with page.expect_response(lambda response: response.url.endswith("/draft")) as draft:
        first.check()  # the autosave script sends the draft with fetch
    assert draft.value.status == 200 and draft.value.json()["saved"] is True
    assert page.locator("#autosave-status").inner_text() == "Answers saved."
    page.reload()
    assert page.locator("fieldset.question input").first.is_checked()  # kept on the server

    answer_every_question(page, course, right=True)
    page.click("text=Submit my answers")  # a form POST
    page.wait_for_url("**/result")
    assert "Pre-test result" in page.content()

    referers_before = len(neutral_https_site.referers)
    page.click("#quick-exit")  # signs out with sendBeacon, then leaves for the neutral site
    page.wait_for_url(neutral_https_site.url)
    assert wait_until_signed_out(seed, learner.id) == 0, "the quick exit's sign-out was refused"
    assert neutral_https_site.referers[referers_before:] == [None]  # the neutral site learns nothing
