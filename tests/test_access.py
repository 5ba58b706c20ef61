"""Deny by default; roles per area; the object check and the scoped list agree."""

import pytest
from flask import Flask

from course.access import PUBLIC, ROLES, can_view_learner, visible_learners
from course.extensions import db
from course.models import CohortMember, utcnow

from .factories import attach_counselor, make_cohort, make_user

PUBLIC_ENDPOINTS = {
    "static",
    "pages.index",
    "pages.help_now",
    "pages.safety",
    "pages.health",
    "pages.set_language",  # the language switch: for anyone, before sign-in too
    "auth.login",
    "auth.join",
}


def _rule(app: Flask, endpoint: str):
    return getattr(app.view_functions[endpoint], "access_rule", None)


def test_every_endpoint_declares_who_may_use_it(app):
    missing = [e for e in app.view_functions if _rule(app, e) is None]
    assert missing == []
    public = {e for e in app.view_functions if _rule(app, e) == PUBLIC}
    assert public == PUBLIC_ENDPOINTS


def test_an_endpoint_without_a_rule_is_refused(app, browser, learner):
    app.add_url_rule("/forgotten", "forgotten", lambda: "secret")
    browser.login(learner.username)
    assert browser.get("/forgotten").status_code == 403


def _simple_rules(app):
    """Rules without URL variables, each with the methods it accepts."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint not in PUBLIC_ENDPOINTS and not rule.arguments:
            yield rule


def test_anonymous_visitors_are_sent_to_sign_in_from_every_private_page(app, client):
    for rule in _simple_rules(app):
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(rule.rule, method=method, headers={"Accept": "text/html"})
        if method == "POST":  # CSRF comes first for POSTs: refused either way
            assert response.status_code in (302, 400), rule.rule
        else:
            assert response.status_code == 302, rule.rule
            assert response.headers["Location"].startswith("/auth/login"), rule.rule


def test_a_non_browser_caller_gets_401_not_a_redirect(client):
    assert client.get("/learn/", headers={"Accept": "application/json"}).status_code == 401


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix_for_area_home_pages(browser, role):
    user = make_user(role)
    browser.login(user.username)
    allowed = {"learner": "/learn/", "facilitator": "/facilitate/", "counselor": "/counsel/", "admin": "/admin/"}
    for owner, url in allowed.items():
        expected = 200 if owner == role else 403
        assert browser.get(url).status_code == expected, (role, url)


def test_wrong_role_on_a_record_page_is_403_and_an_unknown_record_is_404(browser, admin, learner):
    browser.login(learner.username)
    assert browser.get(f"/admin/users/{admin.id}").status_code == 403
    browser.logout()
    browser.login(admin.username)
    assert browser.get("/admin/users/999999").status_code == 404


@pytest.fixture
def world(app):
    """Two counselors, two cohorts with two facilitators, and a learner outside both."""
    in_a, in_b, outside, removed = (make_user("learner") for _ in range(4))
    fac_a, fac_b = make_user("facilitator"), make_user("facilitator")
    cohort_a = make_cohort(fac_a, members=(in_a, removed))
    make_cohort(fac_b, members=(in_b,))
    db.session.execute(
        CohortMember.__table__.update().where(CohortMember.learner_id == removed.id).values(removed_at=utcnow())
    )
    db.session.commit()
    counselor_a, counselor_b = make_user("counselor"), make_user("counselor")
    attach_counselor(counselor_a, cohort=cohort_a)
    attach_counselor(counselor_b, learner=in_b)
    return dict(
        in_a=in_a,
        in_b=in_b,
        outside=outside,
        removed=removed,
        fac_a=fac_a,
        fac_b=fac_b,
        counselor_a=counselor_a,
        counselor_b=counselor_b,
        admin=make_user("admin"),
    )


EXPECTED_VISIBLE = {
    "counselor_a": {"in_a"},
    "counselor_b": {"in_b"},
    "fac_a": {"in_a"},
    "fac_b": {"in_b"},
    "admin": set(),
    "in_a": {"in_a"},
    "outside": {"outside"},
}


@pytest.mark.parametrize("viewer", sorted(EXPECTED_VISIBLE))
def test_object_check_and_scoped_list_agree_for_every_viewer(world, viewer):
    learners = ("in_a", "in_b", "outside", "removed")
    listed = set(db.session.scalars(visible_learners(world[viewer])).all())
    assert {name for name in learners if world[name] in listed} == EXPECTED_VISIBLE[viewer]
    for name in learners:
        assert can_view_learner(world[viewer], world[name]) == (name in EXPECTED_VISIBLE[viewer]), (viewer, name)


def test_staff_accounts_are_never_learner_records(world):
    assert not can_view_learner(world["admin"], world["counselor_a"])
    assert world["counselor_a"] not in db.session.scalars(visible_learners(world["counselor_a"])).all()


def test_the_caseload_list_shows_only_the_counselors_learners(browser, world):
    browser.login(world["counselor_a"].username)
    page = browser.get("/counsel/").get_data(as_text=True)
    assert world["in_a"].username in page
    for name in ("in_b", "outside", "removed"):
        assert world[name].username not in page


def test_an_id_too_large_for_the_database_is_a_404_on_every_route(browser, admin):
    browser.login(admin.username)
    assert browser.get(f"/admin/users/{2**31}").status_code == 404
    assert browser.get(f"/admin/users/{2**31 - 1}").status_code == 404
    assert browser.post(f"/admin/users/{10**12}/deactivate", form_page="/admin/").status_code == 404
