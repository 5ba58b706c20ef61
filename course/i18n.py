"""The site's languages: which one a request is served in, and dates and numbers in its style.

Every string a person sees goes through gettext (Flask-Babel); the catalogs are in translations/
(docs/translations.md). The language is, in order: the one saved on a signed-in account; the one
chosen with the switch on every page (a cookie, so it holds before sign-in too); the browser's
Accept-Language; English.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, format_percent
from flask import Flask, has_request_context, request
from flask_babel import Babel, get_locale
from flask_login import current_user

LANGUAGES = ("en", "es")
DEFAULT_LANGUAGE = "en"
# Each language named in itself, as the switch shows it.
LANGUAGE_NAMES = {"en": "English", "es": "Español"}
COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600

# Date patterns (Unicode LDML); Babel fills in the month's name. A language may write one its own way (below).
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
    locale = get_locale() or DEFAULT_LANGUAGE
    pattern = LANGUAGE_DATE_PATTERNS.get(str(locale), {}).get(style, DATE_PATTERNS[style])
    if isinstance(value, datetime):
        return format_datetime(value, pattern, locale=locale)
    return format_date(value, pattern, locale=locale)


def number(value: float | int, places: int = 0) -> str:
    """A number in the request's language: 1,234.5 in English, 1.234,5 in Spanish."""
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return format_decimal(value, pattern, locale=get_locale() or DEFAULT_LANGUAGE)


def percent(value: float | int, places: int = 0) -> str:
    """A percentage given out of 100, in the request's language: 82% · 82 %."""
    locale = Locale.parse(get_locale() or DEFAULT_LANGUAGE)
    pattern = locale.percent_formats[None].pattern  # "#,##0%" in English, "#,##0 %" in Spanish
    if places:
        pattern = re.sub(r"0(?=[^0#]*%)", "0." + "0" * places, pattern, count=1)
    return format_percent(value / 100, pattern, locale=locale)


def language_name(code: str) -> str:
    """A language's name in the request's language, for staff pages: "Spanish" in English, "Español" in Spanish."""
    name = Locale.parse(code).get_display_name(get_locale() or DEFAULT_LANGUAGE) or code
    return name[:1].upper() + name[1:]


def init_app(app: Flask) -> None:
    Babel(app, locale_selector=select_language)
    app.add_template_filter(when)
    app.add_template_filter(number)
    app.add_template_filter(percent)
    app.add_template_filter(language_name)
    app.add_template_global(current_language)
    app.jinja_env.globals["LANGUAGE_NAMES"] = LANGUAGE_NAMES
