"""Which language a page is in: the account's choice, else the switch's cookie, else Accept-Language, else English."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from course.extensions import db
from course.i18n import COOKIE, language_name, number, percent, when

from .support import sign_in

SPANISH_BROWSER = {"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"}


def lang_of(response) -> str:
    body = response.get_data(as_text=True)
    return body.split('<html lang="', 1)[1].split('"', 1)[0]


def test_english_by_default_and_spanish_for_a_browser_that_asks_for_it(browser):
    assert lang_of(browser.get("/help")) == "en"
    page = browser.get("/help", headers=SPANISH_BROWSER)
    assert lang_of(page) == "es"
    assert "¿Necesita ayuda ahora?" in page.get_data(as_text=True)


def test_the_switch_works_without_javascript_and_comes_back_to_the_same_page(browser):
    page = browser.get("/safety").get_data(as_text=True)
    assert 'name="language" value="es" lang="es"' in page  # the other language, named in itself
    response = browser.post("/language", {"language": "es", "next": "/safety"}, form_page="/safety")
    assert response.status_code == 302 and response.location == "/safety"
    cookie = browser.client.get_cookie(COOKIE)
    assert cookie.value == "es" and cookie.http_only
    after = browser.get("/safety")
    assert lang_of(after) == "es"
    assert 'name="language" value="en" lang="en"' in after.get_data(as_text=True)


def test_the_switch_beats_the_browser_setting(browser):
    browser.post("/language", {"language": "en", "next": "/help"}, form_page="/help")
    assert lang_of(browser.get("/help", headers=SPANISH_BROWSER)) == "en"


@pytest.mark.parametrize("language", ["fr", "", "es-MX", "ES"])
def test_an_unknown_language_is_refused_and_changes_nothing(browser, language):
    response = browser.post("/language", {"language": language, "next": "/help"}, form_page="/help")
    assert response.status_code == 400
    assert browser.client.get_cookie(COOKIE) is None


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil", ""])
def test_the_switch_never_sends_anyone_off_the_site(browser, target):
    response = browser.post("/language", {"language": "es", "next": target}, form_page="/help")
    assert response.status_code == 302 and response.location == "/"


def test_a_signed_in_choice_is_saved_on_the_account_and_follows_the_person(app, browser, new_browser, learner):
    sign_in(browser, learner)
    browser.post("/language", {"language": "es", "next": "/learn/"}, form_page="/learn/")
    db.session.refresh(learner)
    assert learner.language == "es"
    elsewhere = sign_in(new_browser(), learner)  # another device, no cookie, an English browser
    assert lang_of(elsewhere.get("/learn/")) == "es"


def test_the_account_beats_the_cookie_of_a_shared_device(browser, learner):
    learner.language = "en"
    db.session.commit()
    browser.client.set_cookie(COOKIE, "es")
    assert lang_of(browser.get("/help")) == "es"
    sign_in(browser, learner)
    assert lang_of(browser.get("/learn/")) == "en"


def test_dates_and_numbers_follow_the_language(app):
    moment = datetime(2026, 12, 4, 16, 5, tzinfo=UTC)
    # Each in an app context of its own, as each request is served (Flask-Babel keeps the locale there).
    with app.app_context(), app.test_request_context(headers=SPANISH_BROWSER):
        assert when(moment, "day") == "04 dic 2026"
        assert when(moment, "moment") == "04 dic 2026, 16:05"
        assert when(moment.date(), "day_long") == "4 de diciembre de 2026"
        assert number(1234.5, 1) == "1.234,5"
        assert percent(82) == "82\xa0%"
        assert (language_name("en"), language_name("es")) == ("Inglés", "Español")
    with app.app_context(), app.test_request_context():
        assert when(moment, "day") == "04 Dec 2026"
        assert when(moment.date(), "day_long") == "4 December 2026"
        assert number(1234.5, 1) == "1,234.5"
        assert percent(82) == "82%"
        assert (language_name("en"), language_name("es")) == ("English", "Spanish")
        assert when(None) == ""


def test_outside_a_request_strings_are_english(app):
    from flask_babel import gettext

    with app.app_context():
        assert gettext("Need help now?") == "Need help now?"


def test_a_learner_who_joins_in_spanish_keeps_spanish_on_the_account(app, browser, facilitator):
    from course.models import User
    from tests.factories import make_cohort

    code = make_cohort(facilitator).join_code
    browser.client.set_cookie(COOKIE, "es")
    form = {"code": code, "username": "lucia", "password": "mañana tranquila junto al lago"}
    response = browser.post("/auth/join", form | {"confirm": form["password"]})
    assert response.status_code == 302
    assert db.session.query(User).filter_by(username="lucia").one().language == "es"


def test_pages_tell_caches_they_vary_by_language(browser):
    vary = browser.get("/help").headers["Vary"]
    assert "Accept-Language" in vary and "Cookie" in vary
