"""Reports are aggregate queries: the statements behind a cohort page do not grow with its learners."""

import pytest

from course.content import get_course
from course.extensions import db
from course.models import CohortMember

from .facilitate_helpers import StatementCounter, add_attempt, bulk_learners, bulk_progress
from .factories import make_cohort, make_user


@pytest.fixture
def cohorts_of_10_and_500(facilitator):
    course = get_course()
    made = []
    for size in (10, 500):
        cohort = make_cohort(facilitator)
        ids = bulk_learners(cohort, size)
        bulk_progress(ids, course.modules[0])
        made.append(cohort)
    # Graded answers for the item analysis, in both cohorts.
    module = course.modules[0]
    for cohort in made:
        learner = make_user()
        db.session.add(CohortMember(cohort_id=cohort.id, learner_id=learner.id))
        db.session.commit()
        add_attempt(learner, module, answers={q.id: q.correct_ids for q in module.quiz.questions})
    return made


def statements(browser, url) -> int:
    return len(counted(browser, url))


def counted(browser, url) -> StatementCounter:
    with StatementCounter() as counter:
        response = browser.get(url)
    assert response.status_code == 200, url
    return counter


def inserts(counter: StatementCounter) -> list[str]:
    return [s for s in counter.statements if s.lstrip().upper().startswith("INSERT")]


@pytest.mark.parametrize("query", ["", "?sort=-progress", "?sort=-module:reward-system", "?sort=name&page=2"])
def test_the_cohort_page_costs_the_same_statements_for_10_and_500_learners(
    browser, facilitator, cohorts_of_10_and_500, query
):
    browser.login(facilitator.username)
    small, large = cohorts_of_10_and_500
    browser.get(f"/facilitate/cohorts/{small.id}{query}")  # warm up: the session row is read and touched alike
    counters = [counted(browser, f"/facilitate/cohorts/{cohort.id}{query}") for cohort in (small, large)]
    counts = [len(counter) for counter in counters]
    assert counts[0] == counts[1]
    assert counts[0] <= 12, counts
    # Each learner shown is audited (their results are on the page), in one statement for the page.
    for counter in counters:
        assert len(inserts(counter)) == 1 and "audit_event" in inserts(counter)[0]


def test_the_item_analysis_costs_the_same_statements_for_10_and_500_learners(
    browser, facilitator, cohorts_of_10_and_500
):
    browser.login(facilitator.username)
    small, large = cohorts_of_10_and_500
    module = get_course().modules[0].id
    counts = [statements(browser, f"/facilitate/cohorts/{cohort.id}/modules/{module}") for cohort in (small, large)]
    assert counts[0] == counts[1]


def test_the_member_list_does_not_grow_either(browser, facilitator, cohorts_of_10_and_500):
    browser.login(facilitator.username)
    counts = [statements(browser, f"/facilitate/cohorts/{c.id}/members") for c in cohorts_of_10_and_500]
    assert counts[0] == counts[1]
