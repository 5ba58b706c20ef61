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
from functools import lru_cache

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

# Each LDML field the site formats, as a str.format field of (value, abbreviated month, wide month), padded as Babel
# pads it: "y" is the year as it is, "yyyy" at least four digits.
_FIELDS = {
    "d": "{0.day}",
    "dd": "{0.day:02d}",
    "M": "{0.month}",
    "MM": "{0.month:02d}",
    "MMM": "{1}",
    "MMMM": "{2}",
    "y": "{0.year}",
    "yyyy": "{0.year:04d}",
    "HH": "{0.hour:02d}",
    "mm": "{0.minute:02d}",
    "ss": "{0.second:02d}",
}
_TIME_FIELDS = ("HH", "mm", "ss")
# A quoted literal ('de'; '' inside it or alone is a quote), a run of one field letter, or other text.
_TOKENS = re.compile(r"'(?:[^']|'')*'|([A-Za-z])\1*|[^A-Za-z']+")


def format_date(value: date | datetime, pattern: str, language: str) -> str:
    """`value` by an LDML pattern (the fields DATE_PATTERNS use), in its own time zone as Babel shows it."""
    template, with_time = _compiled(pattern)
    if with_time and not isinstance(value, datetime):
        raise ValueError(f"{pattern!r} has a time of day, and a date has none")
    month = value.month - 1
    names = MONTHS[language]
    return template.format(value, names["MMM"][month], names["MMMM"][month])


@lru_cache(maxsize=64)
def _compiled(pattern: str) -> tuple[str, bool]:
    """The pattern as a str.format template, and whether it shows a time of day: read once, as a staff table
    formats hundreds of dates a page. A field the site does not format is refused (and not cached)."""
    tokens = [match.group(0) for match in _TOKENS.finditer(pattern)]
    return "".join(_template_part(token) for token in tokens), any(token in _TIME_FIELDS for token in tokens)


def _template_part(token: str) -> str:
    if token in _FIELDS:
        return _FIELDS[token]
    if token[0].isalpha():
        raise ValueError(f"date field {token!r} is not one the site formats (course/locale_formats.py)")
    if token.startswith("'"):
        token = "'" if token == "''" else token[1:-1].replace("''", "'")
    return token.replace("{", "{{").replace("}", "}}")


def format_number(value: float | int | Decimal, places: int, language: str) -> str:
    """`value` with `places` decimals, grouped by thousands, rounded half to even as Babel does."""
    return _decimal(Decimal(str(value)), places, language)


def format_percent(value: float | int, places: int, language: str) -> str:
    """A percentage given out of 100 (82.5 → "82%"), as Babel's percent pattern formats value / 100."""
    before, after = PERCENT_AFFIXES[language]
    if not places and isinstance(value, int) and 0 <= value < 1000:  # a table's whole percentages, quickly
        return f"{before}{value}{after}"
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
