"""Assignments: to a whole cohort or chosen members, due dates the learner sees, changes, withdrawal."""

from datetime import UTC, datetime, time

import pytest
from markupsafe import escape
from sqlalchemy import select

from course.extensions import db
from course.facilitate import assignments as assignment_views
from course.models import Assignment
from course.services import assignments, cohorts

from .facilitate_helpers import HOME, in_days, snapshot
from .factories import make_cohort, make_user


@pytest.fixture
def group(facilitator):
    one, two = make_user(), make_user()
    return make_cohort(facilitator, members=(one, two)), one, two


@pytest.fixture
def signed_in_as():
    return "facilitator"


def url(cohort):
    return f"/facilitate/cohorts/{cohort.id}/assignments"


def assign(browser, cohort, **data):
    return browser.post(url(cohort), data, form_page=url(cohort))


def live():
    db.session.expire_all()
    return db.session.scalars(select(Assignment).where(Assignment.withdrawn_at.is_(None)).order_by(Assignment.id)).all()


def learner_home(new_browser, learner):
    other = new_browser()
    other.login(learner.username)
    return other.get("/learn/").get_data(as_text=True)


def test_assigning_to_the_whole_cohort_shows_the_due_date_on_each_learners_home(
    signed_in, new_browser, group, course, facilitator
):
    cohort, one, two = group
    due = in_days(10)
    module = course.modules[0]
    response = assign(signed_in, cohort, modules=[module.id], who="cohort", due=due.isoformat())
    assert response.status_code == 303
    [row] = live()
    assert (row.cohort_id, row.learner_id, row.module_id, row.assigned_by_id) == (
        cohort.id,
        None,
        module.id,
        facilitator.id,
    )
    # A date means the end of that day, UTC.
    assert row.due_at == datetime.combine(due, time(23, 59, 59), tzinfo=UTC)
    for learner in (one, two):
        assert f"Due {due.strftime('%d %b %Y')}" in learner_home(new_browser, learner)
    page = signed_in.get(url(cohort)).get_data(as_text=True)
    assert str(escape(module.title)) in page and "Whole cohort" in page and due.strftime("%d %b %Y") in page


def test_assigning_to_chosen_members_reaches_only_them(signed_in, new_browser, group, course):
    cohort, one, two = group
    due = in_days(3)
    modules = [course.modules[0].id, course.modules[1].id]
    assert (
        assign(
            signed_in, cohort, modules=modules, who="members", learners=[str(one.id)], due=due.isoformat()
        ).status_code
        == 303
    )
    assert sorted((a.learner_id, a.module_id) for a in live()) == sorted((one.id, m) for m in modules)
    assert f"Due {due.strftime('%d %b %Y')}" in learner_home(new_browser, one)
    assert "Due " not in learner_home(new_browser, two)


def test_assigning_without_a_due_date(signed_in, group, course):
    cohort, _, _ = group
    assert assign(signed_in, cohort, modules=[course.modules[0].id], who="cohort", due="").status_code == 303
    assert live()[0].due_at is None


def test_assigning_the_same_module_again_changes_the_due_date_instead_of_adding_one(signed_in, group, course):
    cohort, _, _ = group
    module = course.modules[0].id
    assign(signed_in, cohort, modules=[module], who="cohort", due=in_days(5).isoformat())
    assign(signed_in, cohort, modules=[module], who="cohort", due=in_days(9).isoformat())
    [row] = live()
    assert row.due_at.date() == in_days(9)


BAD_INPUT = [
    ({"modules": ["no-such-module"], "who": "cohort"}, "Choose modules from the list."),
    ({"modules": ["MODULE", "x' OR 1=1"], "who": "cohort"}, "Choose modules from the list."),
    ({"who": "cohort"}, "Choose at least one module."),
    ({"modules": ["MODULE"], "who": "everyone-else"}, "Choose everyone or chosen members."),
    ({"modules": ["MODULE"], "who": "members"}, "Choose at least one member"),
    (
        {"modules": ["MODULE"], "who": "members", "learners": ["OUTSIDER"]},
        "Choose members of this cohort from the list.",
    ),
    (
        {"modules": ["MODULE"], "who": "members", "learners": ["ONE", "STAFF"]},
        "Choose members of this cohort from the list.",
    ),
    (
        {"modules": ["MODULE"], "who": "members", "learners": ["abc"]},
        "Choose members of this cohort from the list.",
    ),
    ({"modules": ["MODULE"], "who": "cohort", "due": "30/06/2030"}, "Enter the date as year-month-day"),
    ({"modules": ["MODULE"], "who": "cohort", "due": "2030-02-30"}, "Enter the date as year-month-day"),
    ({"modules": ["MODULE"], "who": "cohort", "due": "PAST"}, "That date has passed."),
    ({"modules": ["MODULE"], "who": "cohort", "due": "FAR"}, "Choose a date within the next five years."),
]


@pytest.mark.parametrize("data, message", BAD_INPUT)
def test_bad_assignment_input_gets_a_clear_message_and_changes_nothing(
    signed_in, group, facilitator, course, data, message
):
    cohort, one, _ = group
    outsider = make_user()
    make_cohort(make_user("facilitator"), members=(outsider,))
    swap = {
        "MODULE": course.modules[0].id,
        "OUTSIDER": str(outsider.id),
        "ONE": str(one.id),
        "STAFF": str(facilitator.id),
        "PAST": in_days(-1).isoformat(),
        "FAR": in_days(6 * 366).isoformat(),
    }
    data = {
        key: [swap.get(v, v) for v in value] if isinstance(value, list) else swap.get(value, value)
        for key, value in data.items()
    }
    before = snapshot()
    response = assign(signed_in, cohort, **data)
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert message in text and 'class="error-summary"' in text
    assert snapshot() == before


def test_a_due_date_of_today_is_accepted(signed_in, group, course):
    cohort, _, _ = group
    assert (
        assign(signed_in, cohort, modules=[course.modules[0].id], who="cohort", due=in_days(0).isoformat()).status_code
        == 303
    )


def test_changing_and_clearing_the_due_date(signed_in, new_browser, group, course):
    cohort, one, _ = group
    assign(signed_in, cohort, modules=[course.modules[0].id], who="cohort", due=in_days(5).isoformat())
    [row] = live()
    page = f"{url(cohort)}/{row.id}"
    later = in_days(20)
    assert signed_in.post(page, {"due": later.isoformat()}).status_code == 303
    assert live()[0].due_at.date() == later
    assert f"Due {later.strftime('%d %b %Y')}" in learner_home(new_browser, one)
    before = snapshot()
    response = signed_in.post(page, {"due": in_days(-3).isoformat()})
    assert response.status_code == 422 and "That date has passed." in response.get_data(as_text=True)
    response = signed_in.post(page, {"due": "soon"})
    assert response.status_code == 422 and "Enter the date as year-month-day" in response.get_data(as_text=True)
    assert snapshot() == before
    assert signed_in.post(page, {"due": ""}).status_code == 303
    assert live()[0].due_at is None


def test_withdrawing_removes_the_due_date_from_the_learners_home(signed_in, new_browser, group, course):
    cohort, one, _ = group
    due = in_days(4)
    assign(signed_in, cohort, modules=[course.modules[0].id], who="cohort", due=due.isoformat())
    [row] = live()
    response = signed_in.post(f"{url(cohort)}/{row.id}/withdraw", form_page=url(cohort))
    assert response.status_code == 303
    assert db.session.get(Assignment, row.id).withdrawn_at is not None
    assert live() == []
    assert "Due " not in learner_home(new_browser, one)
    # A withdrawn assignment is gone from the cohort's pages.
    assert signed_in.get(f"{url(cohort)}/{row.id}").status_code == 404
    assert signed_in.post(f"{url(cohort)}/{row.id}/withdraw", form_page=url(cohort)).status_code == 404


def test_individual_assignments_are_listed_and_managed_with_the_cohort(signed_in, group, course):
    cohort, one, _ = group
    assign(
        signed_in,
        cohort,
        modules=[course.modules[1].id],
        who="members",
        learners=[str(one.id)],
        due=in_days(2).isoformat(),
    )
    [row] = live()
    page = signed_in.get(url(cohort)).get_data(as_text=True)
    assert one.username in page and str(escape(course.modules[1].title)) in page
    assert signed_in.post(f"{url(cohort)}/{row.id}/withdraw", form_page=url(cohort)).status_code == 303
    assert live() == []


def test_a_large_cohort_chooses_members_by_username(signed_in, group, course, monkeypatch):
    monkeypatch.setattr(assignment_views, "CHECKBOX_LIMIT", 1)
    cohort, one, two = group
    page = signed_in.get(url(cohort)).get_data(as_text=True)
    assert 'name="usernames"' in page and 'name="learners"' not in page
    before = snapshot()
    response = assign(
        signed_in, cohort, modules=[course.modules[0].id], who="members", usernames=f"{one.username}, nobody-here"
    )
    assert response.status_code == 422 and "Not members of this cohort: nobody-here." in response.get_data(as_text=True)
    assert snapshot() == before
    response = assign(
        signed_in,
        cohort,
        modules=[course.modules[0].id],
        who="members",
        usernames=f"{one.username.upper()}\n{two.username}",
    )
    assert response.status_code == 303
    assert sorted(a.learner_id for a in live()) == sorted([one.id, two.id])


def test_due_date_rules():
    today = datetime(2030, 6, 1).date()
    assert assignments.due_at_from_date(None) is None
    assert assignments.due_at_from_date(today, today) == datetime(2030, 6, 1, 23, 59, 59, tzinfo=UTC)
    with pytest.raises(cohorts.CohortError, match="passed"):
        assignments.due_at_from_date(datetime(2030, 5, 31).date(), today)


def test_the_assignment_page_of_another_cohort_is_404(signed_in, group, facilitator, course):
    cohort, one, _ = group
    other = make_cohort(facilitator, members=(make_user(),))
    assign(signed_in, other, modules=[course.modules[0].id], who="cohort")
    [row] = live()
    assert signed_in.get(f"{url(cohort)}/{row.id}").status_code == 404
    before = snapshot()
    assert signed_in.post(f"{url(cohort)}/{row.id}/withdraw", form_page=HOME).status_code == 404
    assert signed_in.post(f"{url(cohort)}/{row.id}", {"due": ""}, form_page=HOME).status_code == 404
    assert snapshot() == before
