"""The site's languages: which one a request is served in, and dates and numbers in its style.

Every string a person sees goes through gettext (Flask-Babel); the catalogs are in translations/
(docs/translations.md). The language is, in order: the one saved on a signed-in account; the one
chosen with the switch on every page (a cookie, so it holds before sign-in too); the browser's
Accept-Language; English.
"""

from __future__ import annotations

from datetime import date, datetime

from babel.support import Translations
from flask import Flask, has_request_context, request
from flask_babel import Babel, get_locale, get_translations
from flask_babel.speaklater import LazyString
from flask_login import current_user
from markupsafe import Markup

from . import locale_formats

LANGUAGES = ("en", "es")
DEFAULT_LANGUAGE = "en"
# Each language named in itself, as the switch shows it.
LANGUAGE_NAMES = {code: locale_formats.language_name(code, code) for code in LANGUAGES}
COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600

# Date patterns (Unicode LDML; course/locale_formats.py fills in the month's name). A language may write one
# its own way (below).
DATE_PATTERNS = {
    "day": "dd MMM y",  # 04 Dec 2026 · 04 dic 2026
    "day_long": "d MMMM y",  # 4 December 2026 (Spanish: 4 de diciembre de 2026)
    "day_month": "dd MMM",  # 04 Dec
    "moment": "dd MMM y, HH:mm",  # 04 Dec 2026, 16:13
    "iso_day": "yyyy-MM-dd",
    "iso_minute": "yyyy-MM-dd HH:mm",
    "iso_second": "yyyy-MM-dd HH:mm:ss",
}


def chosen_language(value: object) -> str | None:
    """`value` if it is one of LANGUAGES, else None (a cookie, a form or a column may hold anything)."""
    return value if isinstance(value, str) and value in LANGUAGES else None


def select_language() -> str:
    """The language of this request (see the module's docstring); English outside a request (CLI, jobs)."""
    if not has_request_context():
        return DEFAULT_LANGUAGE
    return (
        chosen_language(getattr(current_user, "language", None))
        or chosen_language(request.cookies.get(COOKIE))
        or request.accept_languages.best_match(LANGUAGES, DEFAULT_LANGUAGE)
    )


def current_language() -> str:
    """The language this request is served in ("en" outside a request)."""
    locale = get_locale()
    return locale.language if locale is not None else DEFAULT_LANGUAGE


# Where a language writes a date its own way: "3 de diciembre de 2026".
LANGUAGE_DATE_PATTERNS = {"es": {"day_long": "d 'de' MMMM 'de' y"}}


def when(value: date | datetime | None, style: str = "day") -> str:
    """A date or time in the request's language, by one of DATE_PATTERNS; "" for None."""
    if value is None:
        return ""
    language = current_language()
    pattern = LANGUAGE_DATE_PATTERNS.get(language, {}).get(style, DATE_PATTERNS[style])
    return locale_formats.format_date(value, pattern, language)


def number(value: float | int, places: int = 0) -> str:
    """A number in the request's language: 1,234.5 in English, 1.234,5 in Spanish."""
    return locale_formats.format_number(value, places, current_language())


def percent(value: float | int, places: int = 0) -> str:
    """A percentage given out of 100, in the request's language: 82% · 82 %."""
    return locale_formats.format_percent(value, places, current_language())


def language_name(code: str) -> str:
    """A language's name in the request's language, for staff pages: "Spanish" in English, "Español" in Spanish."""
    return locale_formats.language_name(code, current_language())


def request_translations() -> Translations:
    """The catalog of this request's language, looked up once per request: a staff table asks for hundreds
    of strings, and Flask-Babel's own lookup walks the context each time (tens of microseconds)."""
    if not has_request_context():
        return get_translations()
    found = getattr(request, "_course_translations", None)
    if found is None:
        found = get_translations()
        request._course_translations = found  # type: ignore[attr-defined]
    return found


def _template_gettext(string: str, **variables: object) -> Markup:
    return Markup(request_translations().ugettext(string)) % variables


def _template_ngettext(singular: str, plural: str, num: int, **variables: object) -> Markup:
    variables.setdefault("num", num)
    return Markup(request_translations().ungettext(singular, plural, num)) % variables


def gettext(string: str, **variables: object) -> str:
    """`string` in the request's language (English outside a request), `%(name)s` filled from `variables`.

    Flask-Babel's gettext, with the catalog looked up once per request (request_translations).
    """
    text = request_translations().ugettext(string)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, num: int, **variables: object) -> str:
    """The form for `num` (`%(num)d` in it) in the request's language."""
    variables.setdefault("num", num)
    return request_translations().ungettext(singular, plural, num) % variables


def lazy_gettext(string: str, **variables: object) -> LazyString:
    """A string translated when shown, in that request's language (labels defined at import time)."""
    return LazyString(gettext, string, **variables)


def init_app(app: Flask) -> None:
    Babel(app, locale_selector=select_language)
    # Templates' _(), ngettext and {% trans %} read the request's catalog directly: Jinja's "newstyle" gettext
    # (always %-formatted, values escaped), without its per-call context lookups. Every template is HTML,
    # autoescaped (Flask escapes strings rendered from strings too).
    app.jinja_env.globals.update(_=_template_gettext, gettext=_template_gettext, ngettext=_template_ngettext)
    app.add_template_filter(when)
    app.add_template_filter(number)
    app.add_template_filter(percent)
    app.add_template_filter(language_name)
    app.add_template_global(current_language)
    app.jinja_env.globals["LANGUAGE_NAMES"] = LANGUAGE_NAMES
