"""Programme outcomes: the before-and-after figures over every cohort, in a date range, by module and
by question, with a chart and a CSV download: no names, nothing under 5, every download audited."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from course.extensions import db
from course.models import PRETEST, QUIZ, AuditEvent, utcnow
from course.services import audit
from course.services.programme_outcomes import DateRange, programme_outcomes

from .factories import make_cohort, make_user
from .quiz_helpers import take
from .support import sign_in

signed_in_as = pytest.fixture(lambda: "admin")


def paired(module, right_before: int, when=None):
    """A learner in a cohort of their own: a pre-test with `right_before` right, then a perfect first quiz."""
    learner = make_user("learner", password_hash="x")
    make_cohort(members=(learner,))
    take(learner, module, PRETEST, right=right_before)
    if when is None:
        take(learner, module, QUIZ)
    else:
        with time_machine.travel(when, tick=False):
            take(learner, module, QUIZ)
    return learner


@pytest.fixture
def programme(module):
    """Five paired learners across five cohorts last month, one this week, and one learner in no cohort."""
    last_month = utcnow() - timedelta(days=30)
    for right in range(5):
        paired(module, right, last_month)
    recent = paired(module, 0)
    loner = make_user("learner", password_hash="x")
    take(loner, module, PRETEST, right=0)
    take(loner, module, QUIZ)
    return {"last_month": last_month.date(), "recent": recent}


def test_the_figures_cover_every_cohort_and_the_dates_select_pairs_by_their_first_quiz(programme, course, module):
    everything = programme_outcomes(course, DateRange())
    first = everything.modules[0]
    assert first.paired == 6  # the loner, in no cohort, is not counted
    assert first.outcome is not None and first.outcome.mean_post == 100.0
    day = programme["last_month"]
    that_day = programme_outcomes(course, DateRange(since=day, until=day)).modules[0]
    assert that_day.paired == 5 and that_day.outcome is not None
    this_week = programme_outcomes(course, DateRange(since=day + timedelta(days=1))).modules[0]
    assert (this_week.paired, this_week.outcome) == (1, None)
    items = [i for i in everything.items if i.module.id == module.id]
    assert [i.question.id for i in items] == [q.id for q in module.pretest.questions]
    assert all(i.paired == 6 and i.share_after == 100 for i in items)
    assert sum(i.right_before for i in items) == 0 + 1 + 2 + 3 + 4 + 0  # each learner's right answers before


def test_the_page_shows_a_chart_a_table_and_the_questions(signed_in, programme, course, module):
    page = signed_in.get("/admin/outcomes").get_data(as_text=True)
    assert "<title>Outcomes · Pathways</title>" in page
    assert '<svg class="chart-svg"' in page and "(n = 6)" in page
    assert page.count("Not shown: fewer than 5 learners") == len(course.modules) - 1
    for question in module.pretest.questions:
        assert question.prompt in page
    assert programme["recent"].username not in page


def test_a_range_with_too_few_pairs_shows_no_figures_and_a_bad_date_is_a_clear_message(signed_in, programme, course):
    day = programme["last_month"] + timedelta(days=1)
    page = signed_in.get(f"/admin/outcomes?since={day.isoformat()}").get_data(as_text=True)
    assert "(n = " not in page and page.count("Not shown: fewer than 5 learners") == len(course.modules)
    bad = signed_in.get("/admin/outcomes?since=2030-02-30&until=2020-01-01").get_data(as_text=True)
    assert "Enter the date as year-month-day" in bad
    backwards = signed_in.get("/admin/outcomes?since=2030-02-01&until=2020-01-01").get_data(as_text=True)
    assert "The end date must be on or after the start date." in backwards
    assert "(n = " not in backwards  # the faulty end is left out; the valid start (2030) leaves no pairs


def test_the_download_has_no_names_nothing_under_five_and_is_audited(signed_in, admin, programme, course, module):
    day = programme["last_month"].isoformat()
    response = signed_in.post(f"/admin/outcomes.csv?since={day}", form_page="/admin/outcomes")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:5] == ["Level", "Module", "Question id", "Question", "Learners with both"]
    modules = [r for r in rows[1:] if r[0] == "module"]
    assert modules[0][1] == module.title and modules[0][4] == "6" and modules[0][6] == "100.0"
    assert all(r[4] == "fewer than 5" and r[5:] == [""] * 7 for r in modules[1:])
    text = response.get_data(as_text=True)
    assert programme["recent"].username not in text
    event = db.session.execute(select(AuditEvent).where(AuditEvent.action == audit.OUTCOMES_EXPORTED)).scalar_one()
    assert (event.actor_id, event.detail) == (admin.id, f"programme outcomes {day} to any")


def test_only_admins_see_the_programme_outcomes(browser, facilitator, counselor, learner):
    for person in (facilitator, counselor, learner):
        sign_in(browser, person)
        assert browser.get("/admin/outcomes").status_code == 403
        browser.logout()
