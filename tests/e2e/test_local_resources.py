"""The programme's own local resources in a real browser: an admin adds one without JavaScript, and the
help page and the naloxone lesson show it, axe clean at desktop and phone width."""

from __future__ import annotations

import pytest

from tests.factories import make_user

from .checks import check_page
from .steps import DESKTOP, PHONE, sign_in

NALOXONE_LESSON = "/learn/modules/overdose-safety/lessons/os-naloxone"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_an_admin_adds_a_resource_and_the_help_page_and_lesson_show_it(open_page, seed, viewport):
    admin = seed(make_user, "admin")
    learner = seed(make_user, "learner")
    name = f"Harbor Clinic free naloxone {viewport['width']}"

    page = open_page(viewport, javascript=False)
    sign_in(page, admin.username, "/admin/")
    page.click(".site-nav >> text=Resources")
    page.wait_for_url("**/admin/resources")
    page.click("text=Add a resource")
    page.select_option("#kind", "naloxone")
    page.fill("#name", name)
    page.fill("#details", "12 Main St\nMonday to Friday, 9 to 5")
    page.fill("#phone", "(555) 010-0199")
    page.fill("#url", "javascript:alert(1)")
    page.click("button:has-text('Add resource')")
    assert "starts with https://" in page.locator("#url-error").inner_text()
    page.fill("#url", "https://example.org/naloxone")
    page.click("button:has-text('Add resource')")
    page.wait_for_url("**/admin/resources")
    assert name in page.locator(".resource-admin-list").inner_text()

    checked = open_page(viewport)
    sign_in(checked, admin.username, "/admin/")
    for path in ("/admin/resources", "/admin/resources/new"):
        checked.goto(path)
        check_page(checked)
    checked.click("button:has-text('Add resource')")  # the form with its errors
    check_page(checked)

    visitor = open_page(viewport)
    visitor.goto("/help")
    section = visitor.locator("section.local-resources")
    assert name in section.inner_text() and "Monday to Friday" in section.inner_text()
    assert section.locator("a[href='tel:5550100199']").count() >= 1
    # The national line, on the page and in the footer, each in English and in Spanish.
    assert visitor.locator("a[href='tel:+18006624357']").count() == 4
    check_page(visitor)

    reader = open_page(viewport)
    sign_in(reader, learner.username)
    reader.goto(NALOXONE_LESSON)
    assert name in reader.locator("section.local-resources").inner_text()
    check_page(reader)

    # Delete it again through the confirmation page (the server's database is shared by the session).
    page.click(f"a:has-text('Delete'):has(span:text-is(' {name}'))")
    page.click("button:has-text('Delete it')")
    page.wait_for_url("**/admin/resources")
    assert page.locator(".resource-admin-list", has_text=name).count() == 0
    assert "Deleted" in page.locator(".flashes").inner_text()
