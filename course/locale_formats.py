"""Dates, numbers and language names in the site's languages, from the few CLDR facts they need.

Babel formats these from the Unicode CLDR, but it loads a language's whole CLDR data on its first
use: 6.2 MiB a worker for English (with the root and global data), 0.9 MiB more for Spanish, which
put a worker over its 80 MiB (docs/performance.md). The site needs only month names, two number
symbols, a percent sign and the languages' names. They are written out below as Babel 2.19 gives
them, and tests/test_locale_formats.py checks every one of them, and every pattern and number the
site formats, against Babel itself, so this table cannot drift from it (as services/t_quantiles.py
does for scipy). Every language goes through the same code; a new language adds its line to each table.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal

# CLDR month names, "format" context: abbreviated (MMM) and wide (MMMM).
MONTHS = {
    "en": {
        "MMM": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
        "MMMM": (
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ),
    },
    "es": {
        "MMM": ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"),
        "MMMM": (
            "enero",
            "febrero",
            "marzo",
            "abril",
            "mayo",
            "junio",
            "julio",
            "agosto",
            "septiembre",
            "octubre",
            "noviembre",
            "diciembre",
        ),
    },
}
# (decimal sign, group separator, minus sign)
NUMBER_SYMBOLS = {"en": (".", ",", "-"), "es": (",", ".", "-")}
# What comes before and after a percentage: 82% · 82 % (a no-break space).
PERCENT_AFFIXES = {"en": ("", "%"), "es": ("", "\u00a0%")}
# Each language's name in each language, as Babel's Locale.get_display_name gives it, first letter capitalised.
LANGUAGE_NAMES = {
    "en": {"en": "English", "es": "Spanish"},
    "es": {"en": "Inglés", "es": "Español"},
}

_TOKENS = re.compile(r"'[^']*'|([A-Za-z])\1*|[^A-Za-z']+")


def format_date(value: date | datetime, pattern: str, language: str) -> str:
    """`value` by an LDML pattern (the fields DATE_PATTERNS use), in its own time zone as Babel shows it."""
    return "".join(_field(token, value, language) for token in _tokens(pattern))


def _tokens(pattern: str) -> list[str]:
    return [match.group(0) for match in _TOKENS.finditer(pattern)]


def _field(token: str, value: date | datetime, language: str) -> str:
    if token.startswith("'"):
        return token[1:-1] or "'"  # a quoted literal; '' is a quote
    if not token[0].isalpha():
        return token
    if token in ("d", "dd"):
        return f"{value.day:0{len(token)}d}"
    if token in ("M", "MM"):
        return f"{value.month:0{len(token)}d}"
    if token in ("MMM", "MMMM"):
        return MONTHS[language][token][value.month - 1]
    if token in ("y", "yyyy"):
        return f"{value.year:0{len(token)}d}"
    if token in ("HH", "mm", "ss") and isinstance(value, datetime):
        return f"{(value.hour, value.minute, value.second)['Hms'.index(token[0])]:02d}"
    raise ValueError(f"date field {token!r} is not one the site formats (course/locale_formats.py)")


def format_number(value: float | int | Decimal, places: int, language: str) -> str:
    """`value` with `places` decimals, grouped by thousands, rounded half to even as Babel does."""
    return _decimal(Decimal(str(value)), places, language)


def format_percent(value: float | int, places: int, language: str) -> str:
    """A percentage given out of 100 (82.5 → "82%"), as Babel's percent pattern formats value / 100."""
    before, after = PERCENT_AFFIXES[language]
    return before + _decimal(Decimal(str(value / 100)).scaleb(2), places, language) + after


def _decimal(value: Decimal, places: int, language: str) -> str:
    decimal_sign, group, minus = NUMBER_SYMBOLS[language]
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)
    whole, _, fraction = f"{abs(rounded):f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", group)
    sign = minus if rounded.is_signed() else ""
    return sign + grouped + (decimal_sign + fraction if places else "")


def language_name(code: str, language: str) -> str:
    """The language `code` named in `language` ("Spanish" in English, "Español" in Spanish); the code if unknown."""
    return LANGUAGE_NAMES.get(language, LANGUAGE_NAMES["en"]).get(code, code)
