"""Dates, numbers and language names (course/locale_formats.py) are Babel's, without a server loading CLDR data.

The module writes out the few CLDR facts the site needs so that a worker never unpickles Babel's
locale data (6–7 MiB a worker). These tests hold every fact and every format the site uses to what
Babel itself gives, so the table cannot drift from it when Babel or the CLDR changes.
"""

import re
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import flask_babel
import pytest
from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import parse_pattern

from course import i18n, locale_formats

LANGUAGES = i18n.LANGUAGES
NUMBERS = (0, 1, -1, 0.5, 1.5, 2.5, -0.4, 0.05, 0.15, 9.995, 99.5, 999, 1000, 1234, 12345, 1234567.891, -1234.5)
NUMBERS += (Decimal("2.675"), 1e-7, 82.35, 100, 33.333333, 66.666667)


def babel_patterns(language: str) -> dict[str, str]:
    return {**i18n.DATE_PATTERNS, **i18n.LANGUAGE_DATE_PATTERNS.get(language, {})}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_cldr_facts_are_babels(language):
    locale = Locale.parse(language)
    for width, name in (("MMM", "abbreviated"), ("MMMM", "wide")):
        assert locale_formats.MONTHS[language][width] == tuple(locale.months["format"][name][m] for m in range(1, 13))
    symbols = locale.number_symbols["latn"]
    assert locale_formats.NUMBER_SYMBOLS[language] == (symbols["decimal"], symbols["group"], symbols["minusSign"])
    percent = parse_pattern(locale.percent_formats[None].pattern)
    assert locale_formats.PERCENT_AFFIXES[language] == (percent.prefix[0], percent.suffix[0])
    for code in LANGUAGES:
        name = Locale.parse(code).get_display_name(language)
        assert locale_formats.language_name(code, language) == name[:1].upper() + name[1:]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_date_pattern_formats_every_month_as_babel_does(language):
    locale = Locale.parse(language)
    moments = [
        datetime(2026, month, day, hour, 5, 3, tzinfo=UTC) for month in range(1, 13) for day, hour in ((4, 7), (28, 0))
    ]
    # An aware time is shown in its own time zone, as Babel shows it: 31 Dec, not 1 Jan in UTC.
    moments += [
        datetime(2026, 1, 31, 12, tzinfo=UTC),
        datetime(2026, 12, 31, 23, 30, tzinfo=timezone(timedelta(hours=-5))),
    ]
    moments += [datetime(999, 2, 3, 4, 5, 6)]  # naive: taken as UTC; a short year is padded only by yyyy
    for style, pattern in babel_patterns(language).items():
        for moment in moments:
            expected = format_datetime(moment, pattern, locale=locale)
            assert locale_formats.format_date(moment, pattern, language) == expected, (style, moment)
            if "H" not in pattern:
                day = moment.date()
                assert locale_formats.format_date(day, pattern, language) == format_date(day, pattern, locale=locale)


@pytest.mark.parametrize("language", LANGUAGES)
def test_numbers_and_percentages_round_and_group_as_babel_does(language):
    locale = Locale.parse(language)
    percent_pattern = locale.percent_formats[None].pattern
    for places in (0, 1, 2):
        number_pattern = parse_pattern("#,##0" + ("." + "0" * places if places else ""))
        with_places = (
            re.sub(r"0(?=[^0#]*%)", "0." + "0" * places, percent_pattern, count=1) if places else percent_pattern
        )
        for value in NUMBERS:
            assert locale_formats.format_number(value, places, language) == number_pattern.apply(value, locale), value
            if isinstance(value, Decimal):
                continue
            expected = parse_pattern(with_places).apply(value / 100, locale)
            assert locale_formats.format_percent(value, places, language) == expected, (value, places)


def test_the_filters_format_in_the_requests_language(app):
    moment = datetime(2026, 12, 4, 16, 13, tzinfo=UTC)
    with app.test_request_context(headers={"Accept-Language": "es"}):
        flask_babel.refresh()  # the test's application context outlives one request's choice
        assert i18n.when(moment, "day_long") == "4 de diciembre de 2026"
        assert i18n.when(moment, "moment") == "04 dic 2026, 16:13"
        assert (i18n.number(1234.5, 1), i18n.percent(82), i18n.percent(82.25, 1)) == (
            "1.234,5",
            "82\u00a0%",
            "82,2\u00a0%",
        )
        assert i18n.language_name("en") == "Inglés"
    with app.test_request_context(headers={"Accept-Language": "en"}):
        flask_babel.refresh()
        assert i18n.when(moment, "day") == "04 Dec 2026" and i18n.when(None) == ""
        assert (i18n.number(-1234.5), i18n.percent(82), i18n.percent(82.35, 1)) == ("-1,234", "82%", "82.3%")
        assert i18n.language_name("es") == "Spanish"


def test_a_field_the_site_does_not_format_is_refused():
    with pytest.raises(ValueError, match="EEEE"):
        locale_formats.format_date(date(2026, 12, 4), "EEEE d MMMM", "en")
    with pytest.raises(ValueError, match="time of day"):  # Babel fails too: a date has no hour
        locale_formats.format_date(date(2026, 12, 4), i18n.DATE_PATTERNS["moment"], "en")


@pytest.mark.parametrize("language", LANGUAGES)
def test_quotes_and_braces_in_a_pattern_are_text_as_babel_reads_them(language):
    moment = datetime(2026, 3, 7, 9, 5, tzinfo=UTC)
    for pattern in ("HH 'o''clock' '' d", "HH'h'mm ''d''", "y {MM} }{ d", "'{0}' MMMM"):
        expected = format_datetime(moment, pattern, locale=Locale.parse(language))
        assert locale_formats.format_date(moment, pattern, language) == expected, pattern


SERVING = """
import sys
from datetime import UTC, datetime
import babel.core, babel.localedata
from course import create_app, i18n
from course.extensions import db
app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "TESTING": True})
# Values, not literals: Jinja would format a literal once, when it compiles the template.
template = app.jinja_env.from_string(
    "{{ moment | when('moment') }} {{ moment | when('day_long') }} {{ n | number(1) }} "
    "{{ share | percent(1) }} {{ whole | percent }} {{ code | language_name }}"
)
with app.app_context():
    db.create_all()
    client = app.test_client()
    for language in ("en", "es"):
        client.set_cookie("lang", language)
        for path in ("/", "/help", "/auth/login", "/auth/join"):
            assert client.get(path).status_code == 200, path
for language in ("en", "es"):
    with app.test_request_context(headers={"Accept-Language": language}):
        moment = datetime(2026, 12, 4, 16, 13, tzinfo=UTC)
        print(template.render(moment=moment, n=1234.5, share=82.5, whole=82, code="es"))
print(sorted(babel.localedata._cache), babel.core._global_data is not None)
"""


def test_serving_pages_in_both_languages_loads_no_cldr_data():
    """A worker formats dates and numbers without Babel's locale data (6–7 MiB a worker, over its 80 MiB)."""
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run([sys.executable, "-c", SERVING], capture_output=True, text=True, cwd=root, check=False)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0] == "04 Dec 2026, 16:13 4 December 2026 1,234.5 82.5% 82% Spanish"
    assert lines[1] == "04 dic 2026, 16:13 4 de diciembre de 2026 1.234,5 82,5\u00a0% 82\u00a0% Español"
    assert lines[-1] == "[] False"
