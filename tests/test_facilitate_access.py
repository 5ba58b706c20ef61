"""Two facilitators, two cohorts: each sees only their own; every other cohort id is 404 and changes nothing."""

import pytest

from course.content import get_course
from course.extensions import db
from course.models import Assignment, AuditEvent, utcnow
from course.services import audit

from .facilitate_helpers import HOME, snapshot
from .factories import make_cohort, make_user


@pytest.fixture
def world(app):
    fac_a, fac_b = make_user("facilitator"), make_user("facilitator")
    in_a, in_b = make_user(), make_user()
    cohort_a = make_cohort(fac_a, members=(in_a,), name="Group A")
    cohort_b = make_cohort(fac_b, members=(in_b,), name="Group B")
    archived = make_cohort(fac_a, members=(make_user(),), name="Old A", archived_at=utcnow(), join_code=None)
    module = get_course().modules[0].id
    assignments = {}
    for cohort, facilitator in ((cohort_a, fac_a), (cohort_b, fac_b)):
        assignment = Assignment(module_id=module, cohort_id=cohort.id, assigned_by_id=facilitator.id)
        db.session.add(assignment)
        db.session.commit()
        assignments[cohort.id] = assignment.id
    return dict(
        fac_a=fac_a,
        fac_b=fac_b,
        in_a=in_a,
        in_b=in_b,
        a=cohort_a,
        b=cohort_b,
        archived=archived,
        assignments=assignments,
        module=module,
    )


def pages(cohort_id, learner_id, assignment_id, module_id):
    base = f"/facilitate/cohorts/{cohort_id}"
    return [
        base,
        f"{base}/settings",
        f"{base}/members",
        f"{base}/members/{learner_id}/remove",
        f"{base}/assignments",
        f"{base}/assignments/{assignment_id}",
        f"{base}/modules/{module_id}",
    ]


def actions(cohort_id, learner_id, assignment_id, module_id):
    base = f"/facilitate/cohorts/{cohort_id}"
    return [
        (f"{base}/rename", {"name": "Taken over"}),
        (f"{base}/join-code/rotate", {}),
        (f"{base}/join-code/off", {}),
        (f"{base}/join-code/on", {}),
        (f"{base}/archive", {}),
        (f"{base}/restore", {}),
        (f"{base}/members/{learner_id}/remove", {}),
        (f"{base}/assignments", {"modules": [module_id], "who": "cohort"}),
        (f"{base}/assignments/{assignment_id}", {"due": ""}),
        (f"{base}/assignments/{assignment_id}/withdraw", {}),
        (f"{base}/export/progress.csv", {}),
        (f"{base}/export/items.csv", {}),
    ]


@pytest.mark.parametrize("me, other", [("a", "b"), ("b", "a")])
def test_a_facilitator_gets_404_on_the_other_cohort_and_changes_nothing(browser, world, me, other):
    browser.login(world[f"fac_{me}"].username)
    cohort, learner = world[other], world[f"in_{other}"]
    args = (cohort.id, learner.id, world["assignments"][cohort.id], world["module"])
    home = browser.get(HOME).get_data(as_text=True)
    assert f"Group {me.upper()}" in home and f"Group {other.upper()}" not in home
    for url in pages(*args):
        assert browser.get(url).status_code == 404, url
    before = snapshot()
    for url, data in actions(*args):
        assert browser.post(url, data, form_page=HOME).status_code == 404, url
    assert snapshot() == before
    # Their own cohort works with the same requests.
    own = world[me]
    own_args = (own.id, world[f"in_{me}"].id, world["assignments"][own.id], world["module"])
    for url in pages(*own_args):
        assert browser.get(url).status_code == 200, url


def test_unknown_ids_are_404(browser, world):
    browser.login(world["fac_a"].username)
    args = (999999, world["in_a"].id, world["assignments"][world["a"].id], world["module"])
    for url in pages(*args):
        assert browser.get(url).status_code == 404, url
    before = snapshot()
    for url, data in actions(*args):
        assert browser.post(url, data, form_page=HOME).status_code == 404, url
    assert snapshot() == before
    # An assignment id of the other cohort under one's own cohort id is 404 too.
    foreign = world["assignments"][world["b"].id]
    assert browser.get(f"/facilitate/cohorts/{world['a'].id}/assignments/{foreign}").status_code == 404
    assert (
        browser.post(f"/facilitate/cohorts/{world['a'].id}/assignments/{foreign}/withdraw", form_page=HOME).status_code
        == 404
    )
    assert snapshot() == before


def test_ids_too_large_for_the_database_are_404_not_500(browser, world):
    browser.login(world["fac_a"].username)
    huge = 10**20
    a = world["a"].id
    for url in (
        f"/facilitate/cohorts/{huge}",
        f"/facilitate/cohorts/{huge}/settings",
        f"/facilitate/cohorts/{a}/members/{huge}/remove",
        f"/facilitate/cohorts/{a}/assignments/{huge}",
    ):
        assert browser.get(url).status_code == 404, url
    before = snapshot()
    response = browser.post(
        f"/facilitate/cohorts/{a}/assignments",
        {"modules": [world["module"]], "who": "members", "learners": [str(huge)]},
        form_page=HOME,
    )
    assert response.status_code == 422 and "Choose members of this cohort" in response.get_data(as_text=True)
    assert browser.get(f"/facilitate/cohorts/{a}?page={huge}").status_code == 200
    assert browser.get(f"/facilitate/cohorts/{a}/members?page={huge}").status_code == 200
    # The progress page (its last page) audits a look at each learner it shows: a look, no change.
    after = snapshot()
    action = [c.key for c in AuditEvent.__table__.columns].index("action")
    after["audit_event"] = [row for row in after["audit_event"] if row[action] != audit.RECORD_VIEWED]
    assert after == before


def test_an_archived_cohort_can_be_read_and_restored_but_not_changed(browser, world):
    browser.login(world["fac_a"].username)
    cohort = world["archived"]
    base = f"/facilitate/cohorts/{cohort.id}"
    assert browser.get(base).status_code == 200
    assert browser.get(f"{base}/modules/{world['module']}").status_code == 200
    for url in (f"{base}/settings", f"{base}/members", f"{base}/assignments"):
        assert browser.get(url).status_code == 404, url
    before = snapshot()
    for url, data in actions(cohort.id, world["in_a"].id, 1, world["module"]):
        if url.endswith(("restore", ".csv")):
            continue
        assert browser.post(url, data, form_page=HOME).status_code == 404, url
    assert snapshot() == before
    assert browser.post(f"{base}/export/progress.csv", form_page=HOME).status_code == 200
    assert browser.post(f"{base}/restore", form_page=HOME).status_code == 303


@pytest.mark.parametrize("role", ["learner", "counselor", "admin"])
def test_other_roles_are_refused_everywhere_in_the_area(browser, world, role):
    user = make_user(role)
    browser.login(user.username)
    args = (world["a"].id, world["in_a"].id, world["assignments"][world["a"].id], world["module"])
    assert browser.get(HOME).status_code == 403
    for url in pages(*args):
        assert browser.get(url).status_code == 403, url
    before = snapshot()
    for url, data in actions(*args):
        assert browser.post(url, data, form_page="/auth/password").status_code == 403, url
    assert snapshot() == before
