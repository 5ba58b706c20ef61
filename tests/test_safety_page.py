"""Safety is never gated: the public safety sheet, linked from the help footer on every page."""

from __future__ import annotations

import html
import re

import pytest

from course.content.readability import reading_level
from course.content.spanish import MIN_FERNANDEZ_HUERTA, spanish_level, stigmatizing_terms

# The steps the sheet must give (issue 13), as words a reader finds on it.
MUST_SAY = [
    'Call <a href="tel:911">911</a>',
    "Give naloxone",
    "nasal spray",
    "second dose",
    "2 to 3 minutes",
    "not breathing, or only gasping, start CPR",
    "hands-only CPR",
    "911 dispatcher will coach you",
    "recovery position",
    "Stay with them",
    "30 to 90 minutes",
    "methadone and buprenorphine",
    "alcohol, benzodiazepines",
    "sleeping pills",
    "Xylazine",
    "give naloxone anyway",
    "Focus on breathing",
    "Good Samaritan law",
    "Nearly every state",
]


def sheet_prose(page: str) -> str:
    """The sheet's paragraphs and list items, sources left out, one per line (as lessons are measured)."""
    article = page.split('<article class="safety-sheet"')[1].split('<h2 class="sources-title">')[0]
    items = re.findall(r"<(?:p|li)\b[^>]*>(.*?)</(?:p|li)>", article, flags=re.S)
    return "\n\n".join(html.unescape(re.sub(r"<[^>]+>", "", item)).strip() for item in items)


def test_the_safety_sheet_is_open_without_signing_in_and_says_what_to_do(client):
    response = client.get("/safety")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert [phrase for phrase in MUST_SAY if phrase not in page] == []
    # A discreet title, like the other pages: the tab never names the subject.
    assert "<title>Safety · Pathways</title>" in page
    assert all(source in page for source in ("(CDC)", "(AHA)", "(SAMHSA)"))


def test_the_safety_sheet_gives_only_the_three_verified_numbers(client):
    page = client.get("/safety").get_data(as_text=True)
    assert set(re.findall(r'href="tel:([^"]+)"', page)) == {"911", "988", "+18006624357"}
    numbers = set(re.findall(r"\b(?:\d-)?\d{3}(?:-\d{3,4})*\b", sheet_prose(page)))
    assert numbers == {"911", "988", "1-800-662-4357"}


def test_the_safety_sheet_reads_at_grade_8_or_below(client):
    level = reading_level(sheet_prose(client.get("/safety").get_data(as_text=True)))
    assert level.words > 150 and level.flesch_kincaid <= 8, level


@pytest.mark.parametrize("path", ["/", "/help", "/auth/login", "/auth/join", "/safety"])
def test_the_help_footer_links_the_sheet_on_every_public_page(client, path):
    page = client.get(path).get_data(as_text=True)
    footer = page.split('<footer class="help-footer"')[1]
    assert '<a href="/safety">What to do in an overdose</a>' in footer


def test_the_help_footer_links_the_sheet_for_a_signed_in_learner(browser, learner):
    browser.login(learner.username)
    page = browser.get("/learn/").get_data(as_text=True)
    assert '<a href="/safety">What to do in an overdose</a>' in page.split('<footer class="help-footer"')[1]
    assert browser.get("/safety").status_code == 200


@pytest.mark.parametrize("path", ["/", "/help", "/auth/login", "/safety"])
def test_every_footer_says_how_to_get_help_in_spanish(client, path):
    """988 answers in Spanish when you press 2 or text AYUDA (988lifeline.org); SAMHSA's line speaks Spanish."""
    footer = client.get(path).get_data(as_text=True).split('<footer class="help-footer"')[1]
    line = re.search(r'<li lang="es">(.*?)</li>', footer, re.S)
    assert line is not None
    assert "marque 2" in line.group(1) and "AYUDA" in line.group(1) and 'href="tel:+18006624357"' in line.group(1)


def test_the_help_page_has_a_section_in_spanish_marked_as_spanish(client):
    page = client.get("/help").get_data(as_text=True)
    section = page.split('<section lang="es"')[1].split("</section>")[0]
    assert "Ayuda en español" in section and "llame al 988 y marque 2" in re.sub(r"<[^>]+>", "", section)
    assert stigmatizing_terms(re.sub(r"<[^>]+>", "", section)) == []
    assert spanish_level(re.sub(r"<[^>]+>", "", section)).fernandez_huerta >= MIN_FERNANDEZ_HUERTA
