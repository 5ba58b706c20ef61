"""Admin: attach and detach counselors to cohorts or learners; access follows at the next request."""

from html import unescape

import pytest
from sqlalchemy import func, select

from course.extensions import db
from course.models import AuditEvent, Caseload, utcnow
from course.services import audit

from .factories import attach_counselor, make_cohort, make_user


@pytest.fixture
def setting(app):
    """A counselor, a cohort with a learner, a learner on their own, and an admin."""
    member, single = make_user("learner"), make_user("learner", username="single.learner")
    return dict(
        counselor=make_user("counselor"),
        cohort=make_cohort(members=(member,), name="Tuesday group"),
        member=member,
        single=single,
        admin=make_user("admin"),
    )


@pytest.fixture
def admin_browser(browser, setting):
    browser.login(setting["admin"].username)
    return browser


def page_of(setting) -> str:
    return f"/admin/users/{setting['counselor'].id}"


def links() -> list[tuple]:
    return [(c.counselor_id, c.cohort_id, c.learner_id, c.created_by_id) for c in db.session.scalars(select(Caseload))]


def caseload_events() -> list[tuple]:
    return [
        (e.action, e.actor_id, e.subject_id, e.detail)
        for e in db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action.in_((audit.CASELOAD_ADDED, audit.CASELOAD_REMOVED)))
            .order_by(AuditEvent.id)
        )
    ]


def test_attaching_a_cohort_lets_the_counselor_see_its_members(admin_browser, new_browser, setting):
    counselor, cohort, admin = setting["counselor"], setting["cohort"], setting["admin"]
    other = new_browser()
    other.login(counselor.username)
    assert other.get(f"/counsel/learners/{setting['member'].id}").status_code == 404

    response = admin_browser.post(
        f"{page_of(setting)}/caseload/cohorts", {"cohort": cohort.id}, form_page=page_of(setting), follow_redirects=True
    )

    page = unescape(response.get_data(as_text=True))
    assert "The cohort “Tuesday group” is now on" in page
    assert "Cohort “Tuesday group” (1 current member)" in page
    assert links() == [(counselor.id, cohort.id, None, admin.id)]
    assert caseload_events() == [(audit.CASELOAD_ADDED, admin.id, counselor.id, f"cohort {cohort.id}")]
    assert other.get(f"/counsel/learners/{setting['member'].id}").status_code == 200


def test_attaching_a_learner_by_username(admin_browser, new_browser, setting):
    counselor, single, admin = setting["counselor"], setting["single"], setting["admin"]

    response = admin_browser.post(
        f"{page_of(setting)}/caseload/learners",
        {"username": "  SINGLE.learner "},
        form_page=page_of(setting),
        follow_redirects=True,
    )

    assert "single.learner is now on" in unescape(response.get_data(as_text=True))
    assert links() == [(counselor.id, None, single.id, admin.id)]
    assert caseload_events() == [(audit.CASELOAD_ADDED, admin.id, single.id, f"learner; counselor {counselor.id}")]
    learner = new_browser()
    learner.login(single.username)
    my_data = learner.get("/learn/data").get_data(as_text=True)
    assert counselor.username in my_data and "Added you to a caseload" in my_data


@pytest.mark.parametrize(
    "form, message",
    [
        ({"username": ""}, "Enter the learner's username."),
        ({"username": "nobody-here"}, "There is no learner with that username."),
        ({"username": "STAFF"}, "There is no learner with that username."),
        ({"username": "x" * 41}, "Use at most 40 characters."),
    ],
)
def test_attaching_a_learner_refuses_bad_input_and_changes_nothing(admin_browser, setting, form, message):
    make_user("facilitator", username="staff")
    response = admin_browser.post(f"{page_of(setting)}/caseload/learners", form, form_page=page_of(setting))
    page = unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    assert 'class="error-summary"' in page and message in page
    assert links() == [] and caseload_events() == []


def test_attaching_twice_is_refused(admin_browser, setting):
    counselor, cohort, single = setting["counselor"], setting["cohort"], setting["single"]
    attach_counselor(counselor, cohort=cohort)
    attach_counselor(counselor, learner=single)
    before = links()
    response = admin_browser.post(
        f"{page_of(setting)}/caseload/cohorts", {"cohort": cohort.id}, form_page=page_of(setting)
    )
    assert response.status_code == 422 and "already on this caseload" in unescape(response.get_data(as_text=True))
    response = admin_browser.post(
        f"{page_of(setting)}/caseload/learners", {"username": single.username}, form_page=page_of(setting)
    )
    assert response.status_code == 422 and "already on this caseload" in unescape(response.get_data(as_text=True))
    assert links() == before and caseload_events() == []


@pytest.mark.parametrize("value", ["", "abc", "999999"])
def test_attaching_an_unknown_cohort_is_refused(admin_browser, setting, value):
    response = admin_browser.post(f"{page_of(setting)}/caseload/cohorts", {"cohort": value}, form_page=page_of(setting))
    assert response.status_code == 422 and 'class="error-summary"' in response.get_data(as_text=True)
    assert links() == []


def test_archived_cohorts_are_not_offered(admin_browser, setting):
    archived = make_cohort(name="Old group", archived_at=utcnow())
    page = admin_browser.get(page_of(setting)).get_data(as_text=True)
    assert "Tuesday group" in page and "Old group" not in page
    response = admin_browser.post(
        f"{page_of(setting)}/caseload/cohorts", {"cohort": archived.id}, form_page=page_of(setting)
    )
    assert response.status_code == 422 and links() == []


def test_only_counselors_have_a_caseload(admin_browser, setting):
    facilitator = make_user("facilitator")
    page = admin_browser.get(f"/admin/users/{facilitator.id}").get_data(as_text=True)
    assert "Attach a cohort" not in page
    token_page = page_of(setting)
    for url, data in (
        (f"/admin/users/{facilitator.id}/caseload/cohorts", {"cohort": setting["cohort"].id}),
        (f"/admin/users/{setting['single'].id}/caseload/learners", {"username": setting["member"].username}),
        ("/admin/users/999999/caseload/learners", {"username": setting["member"].username}),
    ):
        assert admin_browser.post(url, data, form_page=token_page).status_code == 404
    assert links() == []


@pytest.mark.parametrize("kind", ["cohort", "learner"])
def test_detaching_takes_access_away_at_the_counselors_next_request(admin_browser, new_browser, setting, kind):
    counselor, admin = setting["counselor"], setting["admin"]
    learner = setting["member"] if kind == "cohort" else setting["single"]
    link = attach_counselor(counselor, **({"cohort": setting["cohort"]} if kind == "cohort" else {"learner": learner}))
    device = new_browser()
    device.login(counselor.username)
    assert device.get(f"/counsel/learners/{learner.id}").status_code == 200

    response = admin_browser.post(
        f"{page_of(setting)}/caseload/{link.id}/detach", form_page=page_of(setting), follow_redirects=True
    )

    assert "Detached." in response.get_data(as_text=True)
    assert links() == []
    subject, detail = (
        (counselor.id, f"cohort {setting['cohort'].id}")
        if kind == "cohort"
        else (learner.id, f"learner; counselor {counselor.id}")
    )
    assert caseload_events() == [(audit.CASELOAD_REMOVED, admin.id, subject, detail)]
    assert device.get(f"/counsel/learners/{learner.id}").status_code == 404
    assert learner.username not in device.get("/counsel/").get_data(as_text=True)


def test_detaching_another_counselors_link_is_404(admin_browser, setting):
    other = make_user("counselor")
    link = attach_counselor(other, learner=setting["single"])
    response = admin_browser.post(f"{page_of(setting)}/caseload/{link.id}/detach", form_page=page_of(setting))
    assert response.status_code == 404
    assert db.session.scalar(select(func.count()).select_from(Caseload)) == 1 and caseload_events() == []


def test_the_counselor_page_lists_links_with_detach_buttons(admin_browser, setting):
    counselor = setting["counselor"]
    cohort_link = attach_counselor(counselor, cohort=setting["cohort"])
    learner_link = attach_counselor(counselor, learner=setting["single"])
    page = unescape(admin_browser.get(page_of(setting)).get_data(as_text=True))
    assert "Cohort “Tuesday group” (1 current member)" in page and f"Learner {setting['single'].username}" in page
    for link in (cohort_link, learner_link):
        assert f'action="/admin/users/{counselor.id}/caseload/{link.id}/detach"' in page


@pytest.mark.parametrize("action, form", [("deactivate", {}), ("role", {"role": "facilitator"})])
def test_deactivation_and_role_change_end_a_counselors_sessions_at_once(
    admin_browser, new_browser, setting, action, form
):
    counselor, member = setting["counselor"], setting["member"]
    attach_counselor(counselor, cohort=setting["cohort"])
    device = new_browser()
    device.login(counselor.username)
    assert device.get(f"/counsel/learners/{member.id}").status_code == 200

    admin_browser.post(f"{page_of(setting)}/{action}", form, form_page=page_of(setting))

    response = device.get(f"/counsel/learners/{member.id}")
    assert response.status_code == 302 and response.headers["Location"].startswith("/auth/login")
    action_name = audit.USER_DEACTIVATED if action == "deactivate" else audit.ROLE_CHANGED
    assert db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == action_name, AuditEvent.subject_id == counselor.id)
    )


def test_the_admin_never_sees_a_learning_record(admin_browser, setting):
    learner = setting["member"]
    page = admin_browser.get(f"/admin/users/{learner.id}").get_data(as_text=True)
    for word in ("Modules passed", "Quiz", "Misconception", "Lessons done"):
        assert word not in page
    assert admin_browser.get(f"/counsel/learners/{learner.id}").status_code == 403
