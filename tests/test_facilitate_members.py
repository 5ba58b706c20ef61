"""The member list and removing a member (progress kept, confirmation first)."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from course.access import can_view_learner
from course.content import get_course
from course.extensions import db
from course.models import Assignment, AuditEvent, CohortMember, LessonProgress, QuizAttempt, utcnow
from course.services import progress
from course.services.audit import MEMBER_REMOVED

from .facilitate_helpers import HOME, bulk_learners, complete_lessons, pass_module, snapshot
from .factories import make_cohort, make_user


@pytest.fixture
def signed_in_as():
    return "facilitator"


def test_the_member_list_shows_username_name_and_joined_date(signed_in, facilitator):
    named, plain, gone = make_user(display_name="Sam R."), make_user(), make_user()
    cohort = make_cohort(facilitator, members=(named, plain, gone))
    db.session.execute(
        CohortMember.__table__.update()
        .where(CohortMember.learner_id == gone.id)
        .values(removed_at=db.func.current_timestamp())
    )
    db.session.commit()
    text = signed_in.get(f"/facilitate/cohorts/{cohort.id}/members").get_data(as_text=True)
    joined = db.session.scalar(select(CohortMember.joined_at).where(CohortMember.learner_id == named.id))
    assert named.username in text and "Sam R." in text and plain.username in text
    assert joined.strftime("%d %b %Y") in text
    assert gone.username not in text
    assert "Members (2)" in text


def test_the_member_list_is_paged(signed_in, facilitator):
    cohort = make_cohort(facilitator)
    bulk_learners(cohort, 120)
    url = f"/facilitate/cohorts/{cohort.id}/members"
    first = signed_in.get(url).get_data(as_text=True)
    assert len(re.findall(r'<th scope="row">bulk', first)) == 50 and "Page 1 of 3" in first
    last = signed_in.get(f"{url}?page=99").get_data(as_text=True)
    assert len(re.findall(r'<th scope="row">bulk', last)) == 20 and "Page 3 of 3" in last
    assert signed_in.get(f"{url}?page=nonsense").status_code == 200


def test_removing_asks_first_then_keeps_the_learners_progress(signed_in, facilitator, learner):
    module = get_course().modules[0]
    cohort = make_cohort(facilitator, members=(learner,))
    complete_lessons(learner, module, 2)
    pass_module(learner, module)
    url = f"/facilitate/cohorts/{cohort.id}/members/{learner.id}/remove"
    before = snapshot()
    confirm = signed_in.get(url)
    assert confirm.status_code == 200 and f"Remove {learner.username}" in confirm.get_data(as_text=True)
    assert snapshot() == before  # the confirmation page changes nothing
    response = signed_in.post(url)
    assert response.status_code == 303
    membership = db.session.scalar(select(CohortMember).where(CohortMember.learner_id == learner.id))
    assert membership.removed_at is not None
    assert db.session.scalar(select(func.count()).select_from(LessonProgress)) == 2
    assert db.session.scalar(select(func.count()).select_from(QuizAttempt)) == 1
    assert progress.course_progress(learner, get_course()).of(module.id).passed
    assert not can_view_learner(facilitator, learner)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == MEMBER_REMOVED))
    assert (event.actor_id, event.subject_id, event.detail) == (facilitator.id, learner.id, f"cohort {cohort.id}")
    members = f"/facilitate/cohorts/{cohort.id}/members"
    assert "is no longer in this cohort. Their progress is kept." in signed_in.get(members).get_data(as_text=True)
    assert learner.username not in signed_in.get(members).get_data(as_text=True)
    # A second removal, or the confirmation page, now finds nobody.
    assert signed_in.get(url).status_code == 404
    assert signed_in.post(url, form_page=HOME).status_code == 404


def test_removing_someone_who_is_not_a_member_is_404_and_changes_nothing(signed_in, facilitator, learner):
    cohort = make_cohort(facilitator, members=(learner,))
    elsewhere = make_user()
    make_cohort(make_user("facilitator"), members=(elsewhere,))
    before = snapshot()
    for learner_id in (elsewhere.id, facilitator.id, 999999):
        url = f"/facilitate/cohorts/{cohort.id}/members/{learner_id}/remove"
        assert signed_in.get(url).status_code == 404
        assert signed_in.post(url, form_page=HOME).status_code == 404
    assert snapshot() == before


def test_removing_withdraws_the_facilitators_own_assignments_to_that_learner(
    signed_in, new_browser, facilitator, learner
):
    module = get_course().modules[0]
    cohort = make_cohort(facilitator, members=(learner,))
    other_facilitator = make_user("facilitator")
    make_cohort(other_facilitator, members=(learner,))
    due = utcnow() + timedelta(days=5)
    mine = Assignment(module_id=module.id, learner_id=learner.id, due_at=due, assigned_by_id=facilitator.id)
    theirs = Assignment(
        module_id=module.id, learner_id=learner.id, due_at=due + timedelta(days=1), assigned_by_id=other_facilitator.id
    )
    db.session.add_all([mine, theirs])
    db.session.commit()
    signed_in.post(f"/facilitate/cohorts/{cohort.id}/members/{learner.id}/remove", form_page=HOME)
    db.session.expire_all()
    assert db.session.get(Assignment, mine.id).withdrawn_at is not None
    assert db.session.get(Assignment, theirs.id).withdrawn_at is None
    assert progress.due_dates(learner) == {module.id: theirs.due_at}


def test_removing_keeps_assignments_when_the_learner_is_in_another_of_the_facilitators_cohorts(
    signed_in, facilitator, learner
):
    module = get_course().modules[0]
    cohort = make_cohort(facilitator, members=(learner,))
    make_cohort(facilitator, members=(learner,))
    mine = Assignment(module_id=module.id, learner_id=learner.id, assigned_by_id=facilitator.id)
    db.session.add(mine)
    db.session.commit()
    signed_in.post(f"/facilitate/cohorts/{cohort.id}/members/{learner.id}/remove", form_page=HOME)
    db.session.expire_all()
    assert db.session.get(Assignment, mine.id).withdrawn_at is None
