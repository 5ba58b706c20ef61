"""Find the stigmatizing terms that docs/writing-content.md refuses, in text a learner reads.

Three exceptions keep the check honest rather than noisy:
- "clean"/"dirty" said of an object ("clean needles", "keep your works clean") is
  harm-reduction language, not a label for a person or a test;
- a lesson or question that teaches about a word lists it in `quoted_terms` and
  may then use it inside double quotes ("addict" or “addict”);
- the official names of agencies ("National Institute on Drug Abuse",
  "Substance Abuse and Mental Health Services Administration") are proper names.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

_I = re.IGNORECASE
# name used in messages and in `quoted_terms` -> the pattern that finds it (all its forms)
TERMS: dict[str, re.Pattern[str]] = {
    "addict": re.compile(r"\baddicts?\b", _I),
    "junkie": re.compile(r"\bjunk(?:ie|y|ies)\b", _I),
    "drug user": re.compile(r"\bdrug[\s-]+users?\b", _I),
    "heroin user": re.compile(r"\bheroin[\s-]+users?\b", _I),
    "opioid user": re.compile(r"\bopioid[\s-]+users?\b", _I),
    "substance abuse": re.compile(r"\bsubstance[\s-]+abuse\b", _I),
    "drug abuse": re.compile(r"\bdrug[\s-]+abuse\b", _I),
    "abuser": re.compile(r"\babusers?\b", _I),
    # Case-sensitive: "mat" is an ordinary word; the acronym is what stigmatizes MOUD.
    "MAT": re.compile(r"\bMAT\b"),
    "replacement therapy": re.compile(r"\breplacement[\s-]+therap(?:y|ies)\b", _I),
    "substitution therapy": re.compile(r"\bsubstitution[\s-]+therap(?:y|ies)\b", _I),
    "clean": re.compile(r"\bclean\b", _I),
    "dirty": re.compile(r"\bdirty\b", _I),
}
_ALIASES = {
    "addicts": "addict",
    "junky": "junkie",
    "junkies": "junkie",
    "drug users": "drug user",
    "heroin users": "heroin user",
    "opioid users": "opioid user",
    "abusers": "abuser",
}
PROPER_NAMES = re.compile(
    r"National Institute on Drug Abuse|Substance Abuse and Mental Health Services Administration", _I
)
# Things that may be called clean or dirty: supplies, surfaces and the body, never a person or a test.
OBJECTS = frozenset(
    "needle needles syringe syringes supply supplies equipment works water hand hands spoon spoons "
    "cooker cookers gear cotton cottons filter filters pipe pipes stem stems straw straws surface "
    "surfaces skin site sites wound wounds kit kits tourniquet tourniquets swab swabs container "
    "containers table space area".split()
)
_QUOTED = re.compile(r'"[^"]*"|“[^”]*”|«[^»]*»')
# Words that are harm-reduction language when said of supplies, and labels when said of a person.
CLEAN_OR_DIRTY = frozenset({"clean", "dirty", "limpio", "sucio"})
_SENTENCE_END = re.compile(r"[.!?;:\n]")
_WINDOW = 3  # "clean, new needles": the object may be a few words away


def canonical_term(name: str) -> str | None:
    """The term a `quoted_terms` entry names ("addicts" -> "addict"), or None if unknown."""
    key = name.strip().lower()
    key = _ALIASES.get(key, key)
    return "MAT" if key == "mat" else key if key in TERMS else None


def said_of_object(text: str, start: int, end: int, objects: frozenset[str], word: str = r"[a-z]+") -> bool:
    """Whether one of `objects` is within a few words of text[start:end], in the same sentence."""
    after = _SENTENCE_END.split(text[end:], maxsplit=1)[0]
    before = _SENTENCE_END.split(text[:start])[-1]
    nearby = re.findall(word, after.lower())[:_WINDOW] + re.findall(word, before.lower())[-_WINDOW:]
    return any(w in objects for w in nearby)


@dataclass(frozen=True)
class Found:
    """One use of a term in a text: which term, where, and whether it is quoted or listed in quoted_terms."""

    term: str
    start: int
    end: int
    quoted: bool
    listed: bool


def find_terms(
    text: str,
    terms: dict[str, re.Pattern[str]],
    proper_names: re.Pattern[str],
    said_of_objects: Callable[[str, int, int], bool],
    listed: set[str | None],
    quotes: re.Pattern[str] = _QUOTED,
) -> Iterator[Found]:
    """Every use of the terms that is not allowed: not a proper name, not clean/dirty said of an
    object, not a listed term inside quotes. One finder for every language (spanish.py uses it too)."""
    text = proper_names.sub(lambda m: " " * len(m.group()), text)
    spans = [m.span() for m in quotes.finditer(text)]
    for name, pattern in terms.items():
        for match in pattern.finditer(text):
            start, end = match.span()
            quoted = any(q_start < start and end < q_end for q_start, q_end in spans)
            if name in listed and quoted:
                continue
            if name in CLEAN_OR_DIRTY and said_of_objects(text, start, end):
                continue
            yield Found(name, start, end, quoted, name in listed)


_WORDS_BEFORE = re.compile(r"(?:\S+\s+){0,5}\Z")
_WORDS_AFTER = re.compile(r"\S*(?:\s+\S+){0,5}")


def context(text: str, start: int, end: int) -> str:
    """The text around text[start:end]: up to five whole words either side."""
    before, after = _WORDS_BEFORE.search(text[:start]), _WORDS_AFTER.match(text[end:])
    left = before.start() if before else start
    right = end + (after.end() if after else 0)
    snippet = " ".join(text[left:right].split())
    return ("…" if left else "") + snippet + ("…" if right < len(text) else "")


def stigmatizing_terms(text: str, quoted_terms: Iterable[str] = ()) -> list[str]:
    """One message per stigmatizing term in `text` that is not an allowed use."""
    listed = {canonical_term(t) for t in quoted_terms}
    messages = []
    for found in find_terms(text, TERMS, PROPER_NAMES, lambda t, s, e: said_of_object(t, s, e, OBJECTS), listed):
        if found.listed:
            hint = "it is in quoted_terms, so use it only inside double quotes"
        elif found.quoted:
            hint = "to quote it on purpose, add it to quoted_terms"
        else:
            hint = "use person-first words (docs/writing-content.md)"
        messages.append(f'stigmatizing term "{found.term}" in «{context(text, found.start, found.end)}»: {hint}')
    return messages
