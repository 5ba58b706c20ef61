"""Every page in Spanish: each GET route, as each role that may open it, on the real course (offered in Spanish).

A page fails when its title names the subject; when it says, in English, something the catalog
translates (a string marked but its translation not used, or copied in unmarked); or when its
visible text has English words outside a part marked `lang="en"` (a string never marked at all).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from babel.messages.pofile import read_po

from course.config import PROJECT_ROOT
from course.i18n import COOKIE

from .fuzz_support import ANONYMOUS, EVERYONE, REFS_BY_ARGUMENT, Ref, routes
from .fuzz_world import World

pytestmark = pytest.mark.real_course

_ARGUMENT = re.compile(r"<(?:[^<>:]+:)?(\w+)>")
# Words common in English and absent from Spanish text (usernames and ids here are made of other words).
ENGLISH_WORDS = re.compile(r"\b(the|The|your|Your|you|You|and|with|this|This|that|have|are|of|is|It|it)\b")
# A tab or history entry never names the subject, in Spanish either (base.html).
SUBJECT = re.compile(r"hero[íi]na|opio|adicci|droga|sobredosis|consumo|tratamiento|metadona|naloxona", re.I)
_SKIPPED_TAGS = {"script", "style", "code", "pre", "textarea"}
_SHOWN_ATTRIBUTES = ("aria-label", "title", "alt", "placeholder", "aria-description")


class VisibleText(HTMLParser):
    """The text a person sees or hears, less the parts marked lang="en" (and scripts, code)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._stack: list[bool] = []  # per open element: is it (or an ancestor) left out?

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        skipped = (self._stack[-1] if self._stack else False) or tag in _SKIPPED_TAGS
        skipped = skipped or attributes.get("lang", "es").split("-")[0] == "en"
        if tag not in ("br", "img", "input", "meta", "link", "hr", "source", "wbr", "col", "area"):
            self._stack.append(skipped)
        if not skipped:
            self.parts += [v for k, v in attrs if k in _SHOWN_ATTRIBUTES and v]
            if tag == "input" and attributes.get("type") in ("submit", "button") and attributes.get("value"):
                self.parts.append(attributes["value"])

    def handle_endtag(self, tag):
        if self._stack and tag not in ("br", "img", "input", "meta", "link", "hr", "source", "wbr", "col", "area"):
            self._stack.pop()

    def handle_data(self, data):
        if not (self._stack and self._stack[-1]) and data.strip():
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " \n".join(parser.parts)


def english_fragments() -> set[str]:
    """The English of every catalog string whose Spanish differs: its literal pieces of two words or more."""
    with open(PROJECT_ROOT / "translations/es/LC_MESSAGES/messages.po", "rb") as f:
        catalog = read_po(f, locale="es")
    fragments = set()
    for message in catalog:
        if not message.id:
            continue
        english = message.id if isinstance(message.id, str) else message.id[0]
        spanish = message.string if isinstance(message.string, str) else message.string[0]
        if english == spanish:
            continue
        text = re.sub(r"<[^>]+>", "\n", english)
        for piece in re.split(r"%\(\w+\)[sdf]|%[sdf]|\{\{.*?\}\}|\n", text):
            piece = piece.strip(" .,:;·()")
            if len(piece.split()) >= 2:
                fragments.add(piece)
    return fragments


def _page_urls(app, world: World) -> list[tuple[str, str]]:
    """(role, URL) for every GET route, with its path values filled from the seeded world and the course."""
    course = app.extensions["course"]
    module = course.modules[0]
    known = {"module_id": module.id, "lesson_id": module.lessons[0].id, "course_id": course.default.id}
    urls = []
    for route in routes(app):
        if route.method != "GET" or route.endpoint == "static":
            continue
        values = {}
        for name in _ARGUMENT.findall(route.rule):
            refs = REFS_BY_ARGUMENT.get(name)
            values[name] = str(world.ids[Ref(refs[-1]).name]) if refs else known.get(name)
        if None in values.values():
            continue
        url = _ARGUMENT.sub(lambda m, values=values: values[m.group(1)], route.rule)
        for role in route.roles if route.roles and route.roles != (ANONYMOUS,) else EVERYONE:
            urls.append((role, url))
    return urls


def test_every_page_is_in_spanish(app):
    world = World(app)
    fragments = english_fragments()
    checked = []
    for role, url in _page_urls(app, world):
        client = world.clients[role]
        client.set_cookie(app.config["SESSION_COOKIE_NAME"], world.cookies[role])
        client.set_cookie(COOKIE, "es")
        response = client.get(url)
        kind = response.mimetype
        if response.status_code != 200 or kind not in ("text/html", "text/csv"):
            continue
        body = response.get_data(as_text=True)
        if kind == "text/html":
            assert '<html lang="es">' in body, f"{role} {url}"
            title = body.split("<title>", 1)[1].split("</title>", 1)[0]
            assert not SUBJECT.search(title), f"{role} {url}: the title names the subject: {title}"
            text = visible_text(body)
        else:
            text = body.splitlines()[0]  # the header row; the rest is data
        left = sorted(f for f in fragments if re.search(rf"(?<!\w){re.escape(f)}(?!\w)", text))
        assert not left, f"{role} {url}: English left in the Spanish page: {left[:5]}"
        words = sorted({m.group(0) for m in ENGLISH_WORDS.finditer(text)})
        context = [text[max(0, m.start() - 60) : m.end() + 60] for m in ENGLISH_WORDS.finditer(text)][:3]
        assert not words, f"{role} {url}: English words {words} in: {context}"
        checked.append((role, url))
    # Every role's pages were reached: the test cannot pass by checking nothing.
    assert {role for role, _ in checked} == set(EVERYONE)
    assert len(checked) >= 40, checked
