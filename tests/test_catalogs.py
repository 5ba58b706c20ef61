"""The catalogs: every string the code marks for translation is translated, checked and compiled.

The strings are extracted from the code as `make catalogs` does (babel.cfg), so a string added
without its translation fails here, in CI, not in front of a Spanish reader.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from course.config import PROJECT_ROOT
from course.i18n import LANGUAGES

KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}
TRANSLATED = [language for language in LANGUAGES if language != "en"]


def _not_hidden(path: str) -> bool:
    """Folders to read, as `pybabel extract` does: all but hidden ones (templates/_macros included)."""
    return not Path(path).name.startswith(".")


def _catalog_path(language: str) -> Path:
    return PROJECT_ROOT / "translations" / language / "LC_MESSAGES" / "messages.po"


def extracted_ids() -> set[str]:
    """Every msgid in the code (a plural's singular), as `pybabel extract -F babel.cfg` finds them."""
    with open(PROJECT_ROOT / "babel.cfg") as f:
        method_map, options_map = parse_mapping_cfg(f)
    ids = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(PROJECT_ROOT), method_map, options_map, keywords=KEYWORDS, directory_filter=_not_hidden
    ):
        ids.add(message[0] if isinstance(message, tuple) else message)
    return ids


@pytest.fixture(scope="module")
def code_ids() -> set[str]:
    return extracted_ids()


def _read(language: str):
    with open(_catalog_path(language), "rb") as f:
        return read_po(f, locale=language)


def test_the_code_marks_strings_for_translation(code_ids):
    # A sanity floor: the extraction found the templates and the Python files.
    assert "Skip to content" in code_ids
    assert "Need help now?" in code_ids
    assert "Error:" in code_ids  # templates/_macros/forms.html: folders starting with _ are read too


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_string_is_translated(code_ids, language):
    catalog = _read(language)
    missing = sorted(i for i in code_ids if i not in catalog or not _translated(catalog[i]))
    assert not missing, f"{len(missing)} string(s) without a {language} translation (make catalogs): {missing[:20]}"
    fuzzy = sorted(m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id and m.fuzzy)
    assert not fuzzy, f"fuzzy (unchecked) translations: {fuzzy[:20]}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_catalog_has_nothing_the_code_no_longer_says(code_ids, language):
    catalog = _read(language)
    stale = sorted(m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id)
    stale = [i for i in stale if i not in code_ids]
    assert not stale, f"strings no longer in the code (make catalogs): {stale[:20]}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_every_placeholder(language):
    catalog = _read(language)
    errors = [(message.id, [str(e) for e in errs]) for message, errs in catalog.check()]
    assert not errors


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_compiled_catalog_is_the_current_one(language):
    """`make run` and `make test` compile the catalogs; a stale .mo would serve old translations."""
    mo = _catalog_path(language).with_suffix(".mo")
    assert mo.exists(), "not compiled: run make test or make run"
    with open(mo, "rb") as f:
        compiled = {_key(m.id): _key(m.string) for m in read_mo(f) if m.id}
    source = {_key(m.id): _key(m.string) for m in _read(language) if m.id}
    assert compiled == source


def _translated(message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(s.strip() for s in strings)


def _key(value):
    """A message's id or string, hashable and comparable (a plural's forms as a tuple)."""
    return tuple(value) if isinstance(value, list | tuple) else value
