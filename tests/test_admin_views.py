"""Admin: staff accounts, deactivation, roles, password resets; bad input changes nothing."""

import re

import pytest
from sqlalchemy import func, select

from course.extensions import db
from course.models import AuditEvent, User

from .factories import make_user


@pytest.fixture
def signed_in_as():
    return "admin"


def _one_time_password(page: str) -> str:
    return re.search(r'<p class="one-time"><code>([^<]+)</code>', page).group(1)


def test_admin_creates_a_staff_account_with_a_one_time_password(signed_in, new_browser):
    response = signed_in.post(
        "/admin/users",
        {"username": "New-Counselor", "display_name": "Dana", "email": "", "role": "counselor"},
        form_page="/admin/",
    )
    assert response.status_code == 200
    password = _one_time_password(response.get_data(as_text=True))
    user = db.session.scalar(select(User).where(User.username == "new-counselor"))
    assert user.role == "counselor" and user.display_name == "Dana" and user.email is None and user.must_change_password
    staff = new_browser()
    staff.login("new-counselor", password)
    assert staff.get("/counsel/").headers["Location"] == "/auth/password"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user_created"))
    assert event.subject_id == user.id and password not in event.detail


@pytest.mark.parametrize(
    "data, message",
    [
        ({"username": ""}, "Enter a username."),
        ({"username": "z" * 41}, "at most 40"),
        ({"role": "learner"}, "Not a valid choice"),
        ({"role": "superuser"}, "Not a valid choice"),
        ({"email": "not-an-email"}, "valid email"),
        ({"username": "taken"}, "taken"),
    ],
)
def test_bad_staff_account_input_is_refused_and_creates_nothing(signed_in, data, message):
    make_user("facilitator", username="taken")
    before = db.session.scalar(select(func.count()).select_from(User))
    form = {"username": "fine-name", "display_name": "", "email": "", "role": "facilitator", **data}
    response = signed_in.post("/admin/users", form, form_page="/admin/", follow_redirects=True)
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(User)) == before


def test_deactivate_and_reactivate(signed_in, new_browser, learner):
    device = new_browser()
    device.login(learner.username)
    page = f"/admin/users/{learner.id}"
    response = signed_in.post(f"{page}/deactivate", form_page=page, follow_redirects=True)
    assert "deactivated and signed out everywhere" in response.get_data(as_text=True)
    assert device.get("/learn/").status_code == 302
    signed_in.post(f"{page}/reactivate", form_page=page)
    assert device.login(learner.username).status_code == 302


def test_change_role_and_its_refusals(signed_in, admin, learner):
    staff = make_user("facilitator")
    page = f"/admin/users/{staff.id}"
    signed_in.post(f"{page}/role", {"role": "counselor"}, form_page=page)
    assert db.session.get(User, staff.id).role == "counselor"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "role_changed"))
    assert event.detail == "facilitator -> counselor" and event.actor_id == admin.id
    response = signed_in.post(
        f"/admin/users/{learner.id}/role",
        {"role": "admin"},
        form_page=f"/admin/users/{learner.id}",
        follow_redirects=True,
    )
    assert "cannot be turned into a staff account" in response.get_data(as_text=True)
    assert db.session.get(User, learner.id).role == "learner"
    response = signed_in.post(
        f"/admin/users/{admin.id}/role",
        {"role": "counselor"},
        form_page=f"/admin/users/{admin.id}",
        follow_redirects=True,
    )
    assert "cannot change your own role" in response.get_data(as_text=True)
    response = signed_in.post(
        f"/admin/users/{admin.id}/deactivate", form_page=f"/admin/users/{admin.id}", follow_redirects=True
    )
    assert "cannot deactivate your own account" in response.get_data(as_text=True)
    assert db.session.get(User, admin.id).active


def test_reset_password_gives_a_one_time_password_and_ends_sessions(signed_in, new_browser, learner):
    device = new_browser()
    device.login(learner.username)
    page = f"/admin/users/{learner.id}"
    password = _one_time_password(signed_in.post(f"{page}/reset-password", form_page=page).get_data(as_text=True))
    assert device.get("/learn/").status_code == 302
    device.login(learner.username, password)
    assert device.get("/learn/").headers["Location"] == "/auth/password"


@pytest.mark.parametrize(
    "url",
    [
        "/admin/users/999999/deactivate",
        "/admin/users/abc/deactivate",
        "/admin/users/-1/role",
        "/admin/users/999999/reset-password",
    ],
)
def test_forged_ids_get_404_and_change_nothing(signed_in, url):
    before = db.session.scalar(select(func.count()).select_from(AuditEvent))
    response = signed_in.post(url, {"role": "admin"}, form_page="/admin/")
    assert response.status_code == 404
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == before


def test_the_account_list_filters_by_role_and_ignores_unknown_filters(signed_in, learner):
    staff = make_user("counselor")
    page = signed_in.get("/admin/?role=counselor").get_data(as_text=True)
    assert staff.username in page and learner.username not in page
    page = signed_in.get("/admin/?role=<script>&page=abc").get_data(as_text=True)
    assert staff.username in page and learner.username in page
