"""The programme's own local resources: an admin edits them; the help page and finding-care lessons show them.

The national lines (911, 988, the SAMHSA helpline, FindTreatment.gov) stay on the help page and in
every page's footer whatever is edited.
"""

from __future__ import annotations

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError

from course.database import write_transaction
from course.extensions import db
from course.models import AuditEvent, LocalResource
from course.services import audit, local_resources, resource_links
from course.services.local_resources import ResourceFields, ResourceRefused

from .factories import make_user
from .support import sign_in

NATIONAL_LINES = (
    '<a href="tel:911">911</a>',
    '<a href="tel:988">988</a>',
    '<a href="tel:+18006624357">1-800-662-4357</a>',
    "FindTreatment.gov",
)
NALOXONE_LESSON = "/learn/modules/overdose-safety/lessons/os-naloxone"
FORM = {"kind": "naloxone", "name": "Free naloxone at the Main St clinic", "details": "", "phone": "", "url": ""}


def add(name="Harbor Clinic", by=None, **fields) -> LocalResource:
    values = {"kind": "clinic", "name": name, **fields}
    with write_transaction():
        return local_resources.add(ResourceFields(**values), by or make_user("admin"))


def names() -> list[str]:
    return [r.name for r in local_resources.listed()]


def count() -> int:
    return db.session.scalar(select(func.count(LocalResource.id)))


def actions() -> list[str]:
    query = select(AuditEvent.action).where(AuditEvent.action.like("resource_%")).order_by(AuditEvent.id)
    return list(db.session.scalars(query))


def assert_national_lines(page: str) -> None:
    help_section, footer = page.split('<footer class="help-footer"')
    for line in NATIONAL_LINES:
        assert line in help_section
    for line in NATIONAL_LINES[:3]:
        assert line in footer


@pytest.fixture
def admin_browser(browser, admin):
    return sign_in(browser, admin)


# --- the admin's pages ------------------------------------------------------------------------


def test_an_admin_adds_edits_moves_and_deletes_and_the_help_page_follows(app, admin_browser, client):
    assert "From your programme" not in client.get("/help").get_data(as_text=True)
    assert 'href="/admin/resources"' in admin_browser.get("/admin/").get_data(as_text=True)

    added = admin_browser.post(
        "/admin/resources/new",
        {**FORM, "details": "12 Main St\nMon–Fri 9–5", "phone": "(555) 010-0199", "url": "https://example.org/free"},
    )
    assert added.status_code == 303 and added.headers["Location"].endswith("/admin/resources")
    admin_browser.post("/admin/resources/new", {**FORM, "kind": "crisis", "name": "County crisis line", "phone": "211"})
    assert names() == ["Free naloxone at the Main St clinic", "County crisis line"]

    page = client.get("/help").get_data(as_text=True)
    assert_national_lines(page)
    section = page.split('id="local-resources-title"')[1].split("</section>")[0]
    assert "From your programme" in section and "the people who run this programme" in section
    assert "Free naloxone" in section and "Crisis line" in section  # the kinds, in plain words
    assert "12 Main St<br>Mon–Fri 9–5" in section
    assert '<a href="tel:5550100199">(555) 010-0199</a>' in section
    assert '<a href="tel:211">211</a>' in section
    assert '<a href="https://example.org/free" rel="noopener noreferrer">https://example.org/free</a>' in section
    # After the national lines.
    assert page.index("FindTreatment.gov") < page.index("From your programme")

    first, second = local_resources.listed()
    assert admin_browser.post(f"/admin/resources/{second.id}/up", form_page="/admin/resources").status_code == 303
    assert names() == ["County crisis line", "Free naloxone at the Main St clinic"]
    admin_browser.post(f"/admin/resources/{second.id}/up", form_page="/admin/resources")  # already at the top
    assert names() == ["County crisis line", "Free naloxone at the Main St clinic"]
    admin_browser.post(f"/admin/resources/{second.id}/down", form_page="/admin/resources")
    assert names() == ["Free naloxone at the Main St clinic", "County crisis line"]
    page = client.get("/help").get_data(as_text=True)
    assert page.index("Free naloxone at the Main St clinic") < page.index("County crisis line")

    edit_url = f"/admin/resources/{first.id}/edit"
    assert "(555) 010-0199" in admin_browser.get(edit_url).get_data(as_text=True)
    edited = admin_browser.post(edit_url, {**FORM, "name": "Naloxone at Harbor Clinic", "phone": "+1 555 010 0199"})
    assert edited.status_code == 303
    db.session.refresh(first)
    assert (first.name, first.phone, first.url, first.details) == (
        "Naloxone at Harbor Clinic",
        "+1 555 010 0199",
        None,
        "",
    )
    assert '<a href="tel:+15550100199">+1 555 010 0199</a>' in client.get("/help").get_data(as_text=True)

    delete_url = f"/admin/resources/{first.id}/delete"
    confirm = admin_browser.get(delete_url).get_data(as_text=True)
    assert "Delete “Naloxone at Harbor Clinic”?" in confirm and count() == 2  # asking deletes nothing
    assert admin_browser.post(delete_url).status_code == 303
    assert names() == ["County crisis line"]
    page = client.get("/help").get_data(as_text=True)
    assert "Naloxone at Harbor Clinic" not in page and "County crisis line" in page
    assert_national_lines(page)

    assert actions() == [
        "resource_added",
        "resource_added",
        "resource_moved",
        "resource_moved",
        "resource_edited",
        "resource_deleted",
    ]


def test_the_admin_list_orders_and_labels_the_resources(app, admin_browser):
    add("First place")
    add("Second place", kind="peer_support")
    page = admin_browser.get("/admin/resources").get_data(as_text=True)
    assert page.index("First place") < page.index("Second place")
    assert "Peer support" in page
    assert 'Move down<span class="visually-hidden"> First place</span>' in page
    assert 'Move up<span class="visually-hidden"> Second place</span>' in page
    assert 'Move up<span class="visually-hidden"> First place' not in page  # the first cannot go up


def test_the_audit_rows_say_which_resource_and_who(app, admin_browser, admin):
    admin_browser.post("/admin/resources/new", {**FORM, "name": "Peer line", "kind": "peer_support"})
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == audit.RESOURCE_ADDED)).one()
    resource = local_resources.listed()[0]
    assert event.actor_id == admin.id and event.actor_role == "admin"
    assert event.subject_id is None  # subjects are accounts; the resource is named in the detail
    assert event.detail == f"resource {resource.id} peer_support"  # ids and short words, not the typed name
    admin_browser.post(
        f"/admin/resources/{resource.id}/edit", {**FORM, "name": "Peer line", "kind": "peer_support", "phone": "988"}
    )
    edited = db.session.scalars(select(AuditEvent).where(AuditEvent.action == audit.RESOURCE_EDITED)).one()
    assert edited.detail.endswith(": phone")
    # The audit log can filter by the new actions.
    log = admin_browser.get("/admin/audit?action=resource_edited").get_data(as_text=True)
    assert "Resource edited" in log


def test_saving_an_unchanged_resource_writes_nothing(app, admin_browser):
    resource = add("Same place")
    admin_browser.post(f"/admin/resources/{resource.id}/edit", {**FORM, "kind": "clinic", "name": "Same place"})
    assert actions() == ["resource_added"]


# --- refusals ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("url", "javascript:alert(1)", "starts with https://"),
        ("url", "http://x.org", "starts with https://"),
        ("url", "https://user:pw@x.org", "Leave the user name and password out"),
        ("url", "data:text/html,<script>alert(1)</script>", "starts with https://"),
        ("url", "mailto:help@x.org", "starts with https://"),
        ("url", "https://", "starts with https://"),
        ("url", "https:///path", "starts with https://"),
        ("url", "https://x.org/a b", "starts with https://"),
        ("url", "https://x.org:99999/", "starts with https://"),
        ("url", "https://x.org/" + "a" * 500, "Use at most 500 characters."),
        ("phone", "call me", "Enter a phone number"),
        ("phone", "1" * 20, "Enter a phone number"),
        ("phone", "12", "Enter a phone number"),
        ("phone", "555-0100 ext. 4", "Enter a phone number"),
        ("phone", "5+55", "Enter a phone number"),
        ("name", "", "Enter a name."),
        ("name", "n" * 121, "Use at most 120 characters."),
        ("details", "d" * 1001, "Use at most 1000 characters."),
        ("kind", "pharmacy", "Not a valid choice"),
    ],
)
def test_bad_input_gets_a_message_beside_the_field_and_changes_nothing(app, admin_browser, field, value, message):
    resource = add("Kept as it was", phone="988", url="https://example.org")
    for url in ("/admin/resources/new", f"/admin/resources/{resource.id}/edit"):
        response = admin_browser.post(url, {**FORM, field: value})
        page = response.get_data(as_text=True)
        assert response.status_code == 422
        beside = page.split(f'id="{field}-error"')[1].split("</p>")[0]
        assert message in beside
        assert f'aria-describedby="{field}-hint {field}-error"' in page or f'aria-describedby="{field}-error"' in page
        assert "Please fix" in page  # the summary at the top
    assert names() == ["Kept as it was"]
    db.session.refresh(resource)
    assert (resource.phone, resource.url) == ("988", "https://example.org")
    assert actions() == ["resource_added"]


@pytest.mark.parametrize(
    "fields",
    [
        {"url": "javascript:alert(1)"},
        {"url": "http://x.org"},
        {"url": "https://user:pw@x.org"},
        {"phone": "call me"},
        {"phone": "1" * 20},
        {"kind": "pharmacy"},
        {"name": "   "},
    ],
)
def test_the_service_refuses_what_the_form_refuses(app, fields):
    with pytest.raises(ResourceRefused) as refused, write_transaction():
        local_resources.add(ResourceFields(**{"kind": "clinic", "name": "A place", **fields}), make_user("admin"))
    assert set(refused.value.errors) == set(fields)
    assert count() == 0 and actions() == []


@pytest.mark.parametrize(
    ("phone", "href"),
    [
        ("988", "tel:988"),
        ("211", "tel:211"),
        ("+44 20 7946 0958", "tel:+442079460958"),
        ("1-800-662-4357", "tel:18006624357"),
        ("(555) 010.0199", "tel:5550100199"),
    ],
)
def test_a_plausible_phone_is_kept_as_typed_and_dialled_with_digits_only(phone, href):
    assert resource_links.phone_problem(phone) is None
    assert resource_links.tel_href(phone) == href


@pytest.mark.parametrize(
    "url", ["https://example.org", "https://findtreatment.gov/locator?x=1#a", "https://x-y.example.org:8443/p"]
)
def test_a_https_address_with_a_host_is_accepted(url):
    assert resource_links.url_problem(url) is None


def test_a_name_with_markup_is_shown_escaped(app, client, admin_browser):
    admin_browser.post(
        "/admin/resources/new", {**FORM, "name": "<script>alert(1)</script>", "details": "<b>bold</b>\nline two"}
    )
    for page in (client.get("/help"), admin_browser.get("/admin/resources")):
        text = page.get_data(as_text=True)
        assert "<script>alert(1)</script>" not in text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    help_page = client.get("/help").get_data(as_text=True)
    assert "&lt;b&gt;bold&lt;/b&gt;<br>line two" in help_page
    resource = local_resources.listed()[0]
    delete_page = admin_browser.get(f"/admin/resources/{resource.id}/delete").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in delete_page


# --- access -----------------------------------------------------------------------------------


def resource_queries(browser, url: str) -> int:
    """How many statements reading local_resource one page asks."""
    seen: list[str] = []

    def note(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        assert browser.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    return sum("local_resource" in statement for statement in seen)


def admin_urls(resource_id: int) -> tuple[list[str], list[str]]:
    pages = [
        "/admin/resources",
        "/admin/resources/new",
        f"/admin/resources/{resource_id}/edit",
        f"/admin/resources/{resource_id}/delete",
    ]
    posts = [
        "/admin/resources/new",
        f"/admin/resources/{resource_id}/edit",
        f"/admin/resources/{resource_id}/delete",
        f"/admin/resources/{resource_id}/up",
        f"/admin/resources/{resource_id}/down",
    ]
    return pages, posts


@pytest.mark.parametrize("role", ["learner", "facilitator", "counselor"])
def test_other_roles_get_403_on_every_resources_url_and_change_nothing(app, browser, role):
    resource = add("Only admins edit this")
    add("Second")
    sign_in(browser, make_user(role))
    pages, posts = admin_urls(resource.id)
    for url in pages:
        assert browser.get(url).status_code == 403, url
    for url in posts:
        response = browser.post(url, {**FORM, "name": "Changed"}, form_page="/auth/password")
        assert response.status_code == 403, url
    assert names() == ["Only admins edit this", "Second"]
    assert actions() == ["resource_added", "resource_added"]


def test_anonymous_visitors_are_sent_to_sign_in(app, client):
    resource = add()
    pages, _ = admin_urls(resource.id)
    for url in pages:
        response = client.get(url)
        assert response.status_code in (302, 303) and "/auth/login" in response.headers["Location"], url


def test_a_forged_id_is_a_404(app, admin_browser):
    add()
    pages, posts = admin_urls(999_999)
    for url in pages[2:]:
        assert admin_browser.get(url).status_code == 404, url
    for url in posts[1:]:
        assert admin_browser.post(url, FORM, form_page="/admin/resources").status_code == 404, url
    assert admin_browser.get(f"/admin/resources/{2**31}/edit").status_code == 404
    assert admin_browser.post(f"/admin/resources/{10**12}/up", form_page="/admin/resources").status_code == 404
    assert admin_browser.post("/admin/resources/1/sideways", form_page="/admin/resources").status_code == 404
    assert names() == ["Harbor Clinic"]


def test_a_state_change_without_the_csrf_token_is_refused(app, admin_browser):
    resource = add()
    response = admin_browser.client.post(f"/admin/resources/{resource.id}/delete")
    assert response.status_code == 400
    assert count() == 1


# --- the national lines and the lessons ---------------------------------------------------------


def test_the_national_lines_stay_with_no_resources_and_no_empty_section(app, client):
    page = client.get("/help").get_data(as_text=True)
    assert_national_lines(page)
    assert "From your programme" not in page and "local-resources" not in page


@pytest.mark.real_course
def test_a_finding_care_lesson_ends_with_the_programmes_resources(app, course, browser, learner, admin):
    flagged = {
        (lesson.module_id, lesson.id) for module in course.modules for lesson in module.lessons if lesson.finding_care
    }
    assert flagged == {
        ("treatment-pathways", "tp-support-finding-care"),
        ("overdose-safety", "os-naloxone"),
        ("recovery", "rc-safety-support"),
    }
    sign_in(browser, learner)
    page = browser.get(NALOXONE_LESSON).get_data(as_text=True)
    assert "From your programme" not in page  # none yet: no box

    add("Free naloxone at Harbor Clinic", by=admin, kind="naloxone", phone="555-0100", url="https://example.org")
    page = browser.get(NALOXONE_LESSON).get_data(as_text=True)
    box = page.split('id="local-resources-title"')[1].split("</section>")[0]
    assert "Free naloxone at Harbor Clinic" in box and '<a href="tel:5550100">555-0100</a>' in box
    assert '<a href="https://example.org" rel="noopener noreferrer">' in box
    assert page.index('class="lesson-body"') < page.index("From your programme") < page.index('id="sources-title"')
    for line in NATIONAL_LINES[:3]:
        assert line in page.split('<footer class="help-footer"')[1]

    other = course.module("overdose-safety").lessons[0]
    assert not other.finding_care
    other_page = browser.get(f"/learn/modules/overdose-safety/lessons/{other.id}").get_data(as_text=True)
    assert "Free naloxone at Harbor Clinic" not in other_page
    # One query on a finding-care lesson, none on the others.
    assert resource_queries(browser, NALOXONE_LESSON) == 1
    assert resource_queries(browser, f"/learn/modules/overdose-safety/lessons/{other.id}") == 0


def test_the_help_page_shows_the_national_lines_when_the_database_cannot_answer(app, client, monkeypatch):
    add()

    def broken():
        raise OperationalError("SELECT", {}, Exception("database is down"))

    monkeypatch.setattr(local_resources, "shown", broken)
    response = client.get("/help")
    assert response.status_code == 200
    assert_national_lines(response.get_data(as_text=True))
    assert "From your programme" not in response.get_data(as_text=True)


def test_the_help_page_keeps_a_strict_content_security_policy(app, client):
    add(url="https://example.org")
    response = client.get("/help")
    policy = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    page = response.get_data(as_text=True)
    assert "<script>" not in page and " style=" not in page
