"""A counselor sees nothing outside their caseload, on every counselor route; refusals are audited."""

import re

import pytest
from sqlalchemy import select, update

from course.content import get_course
from course.extensions import db
from course.models import QUIZ, AuditEvent, CohortMember, utcnow
from course.services import audit

from .factories import attach_counselor, make_cohort, make_user
from .quiz_helpers import take

LEARNERS = ("in_a", "in_b", "direct_b", "outside", "removed")
# Who each counselor may see: A through cohort A; B through cohort B and one learner attached directly.
VISIBLE = {"counselor_a": {"in_a"}, "counselor_b": {"in_b", "direct_b"}}

# Every counselor route that takes a learner, as a URL built from the learner's id and one of their attempts.
LEARNER_ROUTES = {
    "counsel.learner": lambda learner_id, attempt_id: f"/counsel/learners/{learner_id}",
    "counsel.attempt": lambda learner_id, attempt_id: f"/counsel/learners/{learner_id}/attempts/{attempt_id}",
}
LIST_ROUTES = {"counsel.home": "/counsel/"}


@pytest.fixture
def world(app):
    """Two counselors, two cohorts, a learner attached directly, one outside both, one removed from cohort A."""
    people = {name: make_user("learner") for name in LEARNERS}
    cohort_a = make_cohort(members=(people["in_a"], people["removed"]))
    cohort_b = make_cohort(members=(people["in_b"],))
    make_cohort(members=(people["outside"],))
    db.session.execute(
        update(CohortMember).where(CohortMember.learner_id == people["removed"].id).values(removed_at=utcnow())
    )
    db.session.commit()
    people["counselor_a"], people["counselor_b"] = make_user("counselor"), make_user("counselor")
    attach_counselor(people["counselor_a"], cohort=cohort_a)
    attach_counselor(people["counselor_b"], cohort=cohort_b)
    attach_counselor(people["counselor_b"], learner=people["direct_b"])
    module = get_course().modules[0]
    people["attempts"] = {name: take(people[name], module, QUIZ, right=1).id for name in LEARNERS}
    return people


def test_the_matrix_covers_every_counselor_route(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint.startswith("counsel.")}
    assert endpoints == set(LEARNER_ROUTES) | set(LIST_ROUTES)
    for endpoint in LEARNER_ROUTES:
        rule = next(app.url_map.iter_rules(endpoint))
        assert "learner_id" in rule.arguments, endpoint


def _strip_tokens(page: str) -> str:
    return re.sub(r'value="[^"]*"', "", page)


@pytest.mark.parametrize("route", sorted(LEARNER_ROUTES))
@pytest.mark.parametrize("counselor", sorted(VISIBLE))
def test_a_counselor_sees_their_caseload_and_gets_404_for_anyone_else(browser, world, route, counselor):
    browser.login(world[counselor].username)
    for name in LEARNERS:
        learner = world[name]
        url = LEARNER_ROUTES[route](learner.id, world["attempts"][name])
        response = browser.get(url)
        expected = 200 if name in VISIBLE[counselor] else 404
        assert response.status_code == expected, (counselor, name, url)
        if expected == 200:
            assert learner.username in response.get_data(as_text=True)

    seen = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.actor_id == world[counselor].id,
            AuditEvent.action.in_((audit.RECORD_VIEWED, audit.ACCESS_DENIED)),
        )
    ).all()
    viewed = {e.subject_id for e in seen if e.action == audit.RECORD_VIEWED}
    denied = {e.subject_id for e in seen if e.action == audit.ACCESS_DENIED}
    assert viewed == {world[n].id for n in VISIBLE[counselor]}
    assert denied == {world[n].id for n in LEARNERS if n not in VISIBLE[counselor]}
    assert {e.outcome for e in seen if e.action == audit.ACCESS_DENIED} == {"denied"}


@pytest.mark.parametrize("route", sorted(LEARNER_ROUTES))
def test_unknown_ids_and_staff_ids_are_404_like_a_learner_off_the_caseload(browser, world, route):
    counselor = world["counselor_a"]
    browser.login(counselor.username)
    staff = [counselor, world["counselor_b"], make_user("admin"), make_user("facilitator")]
    outside = browser.get(LEARNER_ROUTES[route](world["outside"].id, world["attempts"]["outside"]))
    for account_id in [999999, 2**31 - 1] + [s.id for s in staff]:
        response = browser.get(LEARNER_ROUTES[route](account_id, world["attempts"]["in_a"]))
        assert response.status_code == 404, account_id
        assert _strip_tokens(response.get_data(as_text=True)) == _strip_tokens(outside.get_data(as_text=True))
    denied = db.session.execute(
        select(AuditEvent.subject_id, AuditEvent.detail).where(AuditEvent.action == audit.ACCESS_DENIED)
    ).all()
    assert {subject for subject, _ in denied} == {None, world["outside"].id, *(s.id for s in staff)}
    # An id nobody has is named in the detail only, never as the subject (see test_record_ids.py).
    unknown = {detail.rsplit(" ", 1)[1] for subject, detail in denied if subject is None}
    assert unknown == {"999999", str(2**31 - 1)}
    # Too large for an id column: refused by the URL rule itself, never reaching the database.
    assert browser.get(LEARNER_ROUTES[route](2**31, 1)).status_code == 404


@pytest.mark.parametrize("counselor", sorted(VISIBLE))
def test_the_caseload_list_shows_exactly_the_counselors_learners(browser, world, counselor):
    browser.login(world[counselor].username)
    page = browser.get(LIST_ROUTES["counsel.home"]).get_data(as_text=True)
    listed = set(re.findall(r'href="/counsel/learners/(\d+)"', page))
    assert listed == {str(world[name].id) for name in VISIBLE[counselor]}


@pytest.mark.parametrize("role", ["learner", "facilitator", "admin"])
def test_other_roles_get_403_on_every_counselor_route(browser, world, role):
    user = world["in_a"] if role == "learner" else make_user(role)
    browser.login(user.username)
    urls = [LIST_ROUTES["counsel.home"]] + [
        make(world["in_a"].id, world["attempts"]["in_a"]) for make in LEARNER_ROUTES.values()
    ]
    for url in urls:
        assert browser.get(url).status_code == 403, (role, url)
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == audit.RECORD_VIEWED)) is None


def test_a_learner_removed_from_the_cohort_disappears_at_the_next_request(browser, world):
    counselor, learner = world["counselor_a"], world["in_a"]
    browser.login(counselor.username)
    assert browser.get(f"/counsel/learners/{learner.id}").status_code == 200
    db.session.execute(update(CohortMember).where(CohortMember.learner_id == learner.id).values(removed_at=utcnow()))
    db.session.commit()
    assert browser.get(f"/counsel/learners/{learner.id}").status_code == 404
    assert str(learner.id) not in re.findall(
        r'href="/counsel/learners/(\d+)"', browser.get("/counsel/").get_data(as_text=True)
    )
