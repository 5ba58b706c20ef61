"""Reading-level measures for lesson text.

Markdown is reduced to plain sentences first: every paragraph, list item and
table cell counts as its own sentence, so a bullet list without full stops is
not measured as one endless sentence. Headings are left out: they are labels,
not prose.
"""

from __future__ import annotations

from dataclasses import dataclass

from markdown_it import MarkdownIt

_parser = MarkdownIt("commonmark", {"html": False}).enable("table")
_SENTENCE_END = (".", "!", "?", ":", ";")


@dataclass(frozen=True)
class ReadingLevel:
    """Flesch-Kincaid grade, SMOG grade and word count of one text."""

    flesch_kincaid: float
    smog: float
    words: int


def plain_sentences(markdown: str) -> str:
    """Return the prose of a Markdown text as plain sentences, headings left out."""
    sentences: list[str] = []
    in_heading = False
    for token in _parser.parse(markdown):
        if token.type == "heading_open":
            in_heading = True
        elif token.type == "heading_close":
            in_heading = False
        elif token.type == "inline" and not in_heading:
            text = " ".join(
                child.content for child in token.children or () if child.type in ("text", "code_inline")
            ).strip()
            if text:
                sentences.append(text if text.endswith(_SENTENCE_END) else text + ".")
    return " ".join(sentences)


def reading_level(markdown: str) -> ReadingLevel:
    """Measure a Markdown text's reading grade (textstat 0.7.8, offline syllables)."""
    import textstat  # here, not at the top: a worker that never checks content never loads it (3.7 MiB)

    text = plain_sentences(markdown)
    return ReadingLevel(
        flesch_kincaid=round(textstat.flesch_kincaid_grade(text), 1),
        smog=round(textstat.smog_index(text), 1),
        words=textstat.lexicon_count(text),
    )
