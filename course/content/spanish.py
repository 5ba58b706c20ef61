"""The writing rules for Spanish text: stigmatizing terms and a reading level measured for Spanish.

Terms: from NIDA's "Las palabras importan: términos preferidos al hablar de la adicción"
(https://nida.nih.gov/es/node/38234) and the CDC's "Estigma: más allá de las cifras"
(https://www.cdc.gov/stop-overdose/es/stigma-reduction/estigma-mas-alla-de-las-cifras.html):
person-first words ("persona con un trastorno por consumo de opioides"), not labels ("adicto",
"drogadicto", "toxicómano", "yonqui"); "consumo" rather than "abuso"; "positivo"/"negativo" for a
test and "en recuperación" for a person, never "limpio" or "sucio". As in English (language.py),
"limpio"/"sucio" said of supplies (agujas limpias, material limpio) is harm-reduction language and
allowed, agencies' names are proper names, and a word taught on purpose may be quoted when the
item lists it in `quoted_terms`.

Reading level: the Fernández-Huerta index (Flesch's formula refit for Spanish; 100 is easiest),
through textstat 0.7.8, which counts Spanish syllables with Pyphen's bundled dictionary (offline).
Grade 6–8 text scores about 70 or more ("bastante fácil"); Szigriszt-Pazos's INFLESZ is reported
beside it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from .language import context, find_terms, said_of_object
from .readability import plain_sentences

MIN_FERNANDEZ_HUERTA = 70.0
_I = re.IGNORECASE
TERMS: dict[str, re.Pattern[str]] = {
    "adicto": re.compile(r"\badict[oa]s?\b", _I),
    "drogadicto": re.compile(r"\bdrogadict[oa]s?\b", _I),
    "toxicómano": re.compile(r"\btoxic[óo]man[oa]s?\b", _I),
    "yonqui": re.compile(r"\byonquis?\b|\bjunkies?\b", _I),
    "drogata": re.compile(r"\bdrogatas?\b", _I),
    "abuso de sustancias": re.compile(r"\babuso\s+de\s+(?:sustancias|drogas|opioides|opi[áa]ceos)\b", _I),
    "abusador": re.compile(r"\babusador(?:a|es|as)?\b", _I),
    "terapia de sustitución": re.compile(r"\bterapias?\s+de\s+(?:sustituci[óo]n|reemplazo)\b", _I),
    "limpio": re.compile(r"\blimpi[oa]s?\b", _I),
    "sucio": re.compile(r"\bsuci[oa]s?\b", _I),
}
PROPER_NAMES = re.compile(
    r"Instituto Nacional sobre el Abuso de Drogas|National Institute on Drug Abuse|"
    r"Administración de Servicios de Salud Mental y Abuso de Sustancias|"
    r"Substance Abuse and Mental Health Services Administration",
    _I,
)
# Supplies, surfaces and the body may be clean or dirty; a person or a test may not.
OBJECTS = frozenset(
    "aguja agujas jeringa jeringas jeringuilla jeringuillas material materiales equipo equipos agua mano manos "
    "cuchara cucharas algodón algodones filtro filtros pipa pipas superficie superficies piel herida heridas "
    "kit kits torniquete torniquetes toallita toallitas recipiente recipientes mesa espacio zona sitio".split()
)
_SPANISH_WORD = r"[a-záéíóúñü]+"


def canonical_term(name: str) -> str | None:
    """The term a `quoted_terms` entry names ("adictos" -> "adicto"), or None if unknown."""
    key = name.strip().lower()
    return next((term for term, pattern in TERMS.items() if pattern.fullmatch(key)), None)


def stigmatizing_terms(text: str, quoted_terms: Iterable[str] = ()) -> list[str]:
    """One message per stigmatizing Spanish term in `text` that is not an allowed use."""
    listed = {canonical_term(t) for t in quoted_terms}

    def of_object(t: str, start: int, end: int) -> bool:
        return said_of_object(t, start, end, OBJECTS, _SPANISH_WORD)

    return [
        f'término estigmatizante "{found.term}" en «{context(text, found.start, found.end)}»: '
        + ("úselo solo entre comillas" if found.listed else "use palabras centradas en la persona")
        for found in find_terms(text, TERMS, PROPER_NAMES, of_object, listed)
    ]


@dataclass(frozen=True)
class SpanishLevel:
    """Fernández-Huerta and Szigriszt-Pazos (INFLESZ) scores of one Spanish text, and its words."""

    fernandez_huerta: float
    szigriszt_pazos: float
    words: int


@contextmanager
def _spanish() -> Iterator[None]:
    import textstat  # here, not at the top: a worker that never checks content never loads it (3.7 MiB)

    # textstat keeps its language in module state: set it for this measure only.
    textstat.set_lang("es")
    try:
        yield
    finally:
        textstat.set_lang("en_US")


def spanish_level(markdown: str) -> SpanishLevel:
    """Measure a Spanish Markdown text (headings left out, each paragraph and list item a sentence)."""
    import textstat

    text = plain_sentences(markdown)
    with _spanish():
        return SpanishLevel(
            fernandez_huerta=round(textstat.fernandez_huerta(text), 1),
            szigriszt_pazos=round(textstat.szigriszt_pazos(text), 1),
            words=textstat.lexicon_count(text),
        )
