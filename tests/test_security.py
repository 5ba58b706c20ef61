"""Headers, CSRF, size limits, error pages, and no state change on GET."""

from pathlib import Path
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from course.extensions import db
from course.models import AuditEvent, User

from .factories import PASSWORD, make_user

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def test_every_response_carries_the_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ):
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "Strict-Transport-Security" not in response.headers


def test_hsts_over_https(client):
    assert "max-age=31536000" in client.get("/", base_url="https://localhost").headers["Strict-Transport-Security"]


def test_templates_have_no_inline_script_or_style():
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        assert "<script>" not in text and "<script >" not in text, template
        assert " style=" not in text and "<style" not in text, template
        assert " on" + "click=" not in text, template


def test_signed_in_pages_are_not_cached_but_public_ones_may_be(browser, learner):
    assert "no-store" not in browser.get("/help").headers.get("Cache-Control", "")
    browser.login(learner.username)
    assert browser.get("/learn/").headers["Cache-Control"] == "no-store"
    assert browser.get("/help").headers["Cache-Control"] == "no-store"


def test_a_post_without_a_csrf_token_is_refused_and_changes_nothing(browser, learner):
    browser.login(learner.username)
    response = browser.client.post(
        "/auth/password",
        data={"current": PASSWORD, "password": "a brand new passphrase", "confirm": "a brand new passphrase"},
    )
    assert response.status_code == 400
    assert "expired or was sent twice" in response.get_data(as_text=True)
    browser.logout()
    assert browser.login(learner.username).status_code == 302


def test_a_csrf_token_from_another_session_is_refused(browser, new_browser, learner):
    other = new_browser()
    foreign_token = other.token("/auth/login")
    response = browser.client.post(
        "/auth/login", data={"username": learner.username, "password": PASSWORD, "csrf_token": foreign_token}
    )
    assert response.status_code == 400


def test_a_body_over_the_limit_gets_413(browser):
    response = browser.client.post("/auth/login", data={"username": "x" * (70 * 1024), "password": "y"})
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)


@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded", "multipart/form-data"])
def test_a_form_with_more_parts_than_the_limit_gets_413_in_either_encoding(browser, learner, content_type):
    token = browser.token("/auth/login")
    fields = [("csrf_token", token), ("username", learner.username), ("password", PASSWORD)]
    padding = [(f"f{n}", "1") for n in range(500)]  # 503 parts; the limit is 500
    if content_type.startswith("multipart"):
        response = browser.client.post("/auth/login", data=dict(fields + padding), content_type=content_type)
    else:
        body = urlencode(fields + padding)
        response = browser.client.post("/auth/login", data=body, content_type=content_type)
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)


def test_a_form_body_that_is_not_utf8_is_a_bad_request_not_too_large(browser):
    response = browser.client.post(
        "/auth/login", data=b"username=\xff\xfe&password=x", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400


def test_a_form_within_the_parts_limit_is_read(browser, learner):
    token = browser.token("/auth/login")
    fields = [("csrf_token", token), ("username", learner.username), ("password", PASSWORD)]
    body = urlencode(fields + [(f"f{n}", "1") for n in range(497)])  # exactly 500 parts
    response = browser.client.post("/auth/login", data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302


def test_unknown_pages_get_a_styled_404_and_wrong_methods_a_405(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404 and "Page not found" in response.get_data(as_text=True)
    assert '<footer class="help-footer"' in response.get_data(as_text=True)
    assert client.put("/auth/login").status_code == 405


def test_an_unexpected_error_gets_a_500_page_without_a_traceback(app, client):
    app.view_functions["pages.help_now"] = lambda: 1 / 0
    app.view_functions["pages.help_now"].access_rule = "public"
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/help")
    assert response.status_code == 500
    text = response.get_data(as_text=True)
    assert "Something went wrong on our side" in text and "ZeroDivisionError" not in text and "Traceback" not in text


@pytest.mark.parametrize("role", ["learner", "facilitator", "counselor", "admin"])
def test_no_get_request_changes_the_database(app, browser, role):
    user = make_user(role)
    browser.login(user.username)

    def counts():
        return (
            db.session.scalar(select(func.count()).select_from(AuditEvent)),
            db.session.scalar(select(func.count()).select_from(User)),
        )

    before = counts()
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and not rule.arguments:
            assert browser.get(rule.rule).status_code < 500, rule.rule
    assert counts() == before


def test_every_page_has_the_help_footer_and_quick_exit(browser, learner):
    for url in ("/", "/help", "/auth/login", "/auth/join"):
        page = browser.get(url).get_data(as_text=True)
        assert "tel:911" in page and "tel:988" in page and "1-800-662-4357" in page, url
        assert 'id="quick-exit"' in page, url
        assert "<title>" in page and "Pathways</title>" in page and "heroin" not in page.split("</title>")[0].lower()
    browser.login(learner.username)
    page = browser.get("/learn/").get_data(as_text=True)
    assert "tel:911" in page and 'id="quick-exit"' in page


def test_every_table_sits_in_a_keyboard_scrollable_region():
    """A table wider than a phone scrolls sideways; its region must take keyboard focus (axe
    scrollable-region-focusable), so every template writes tables through the scroll_table macro."""
    macro = TEMPLATES / "_macros" / "table.html"
    raw_tables = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if path != macro and "<table" in path.read_text()
    ]
    assert raw_tables == []
