"""Near-duplicate questions across the course: the same fact tested the same way twice.

Texts become sets of content words (lowercased, a possessive "'s" and a plural
"s" dropped, stop words removed). Two sets are compared by their overlap
coefficient, |A ∩ B| / min(|A|, |B|), which a longer scenario around the same
fact does not dilute. Two questions are near-duplicates when their stems are at
least STEM_SIMILARITY alike and their keyed answers at least KEY_SIMILARITY. A
true/false item's choices are only "True" and "False", so a pair that includes
one is judged on its statement against the other stem, at STATEMENT_SIMILARITY.
A later question that says `revisits: <earlier id>` is a revisit on purpose.

The thresholds are calibrated on the course's first edition
(tests/fixtures/first-edition): they flag the five near-duplicate pairs the
content review named (finding Q2) and leave ordinary pairs alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import combinations

from .model import Course, Question
from .question_types import QUESTION_TYPES

STEM_SIMILARITY, KEY_SIMILARITY, STATEMENT_SIMILARITY = 0.35, 0.50, 0.50
STOP_WORDS = frozenset(
    """
a about after also an and are as at be been before being but by can could did do does each for from
had has have he her here him his how i if in into is it it's its just may me might more most my no
not of on or other our she should so some such than that the their them then there these they this
those to very was we were what when where which who whom whose why will with would you your
true false
""".split()
)
_WORD = re.compile(r"[a-z0-9]+(?:['’-][a-z0-9]+)*")
_TRUE_OR_FALSE = re.compile(r"^\s*true or false\s*[:?]\s*", re.IGNORECASE)


def content_words(text: str) -> frozenset[str]:
    """The text's content words: lowercased, simple plural and possessive endings dropped, no stop words."""
    words = set()
    for word in _WORD.findall(text.lower().replace("’", "'")):
        if word.endswith("'s"):
            word = word[:-2]
        elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        if word not in STOP_WORDS:
            words.add(word)
    return frozenset(words)


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Overlap coefficient of two word sets (0 when either is empty)."""
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def stem_words(question: Question) -> frozenset[str]:
    """The stem's content words (a true/false statement without its "True or false:")."""
    return content_words(_TRUE_OR_FALSE.sub("", question.prompt))


def key_words(question: Question) -> frozenset[str]:
    """The content words of the keyed answer (all correct choices together)."""
    return content_words(" ".join(c.text for c in question.choices if c.correct))


@dataclass(frozen=True, slots=True)
class NearDuplicate:
    """A later question that repeats an earlier one, with the measured similarities."""

    earlier: Question
    later: Question
    stems: float
    keys: float | None  # None when a true/false item made the keys incomparable

    def describe(self) -> str:
        """The measures in words, for the check's message."""
        if self.keys is None:
            return f"statement and stem {self.stems:.2f} alike (limit {STATEMENT_SIMILARITY:.2f})"
        return (
            f"stems {self.stems:.2f} alike (limit {STEM_SIMILARITY:.2f}), keyed answers "
            f"{self.keys:.2f} (limit {KEY_SIMILARITY:.2f})"
        )


def _statement(question: Question) -> bool:
    # The check runs on content with problems too: a question of an unknown type is not a statement.
    kind = QUESTION_TYPES.get(question.type)
    return kind is not None and kind.statement


def compare(earlier: Question, later: Question) -> NearDuplicate | None:
    """The pair as a NearDuplicate when it crosses the thresholds, else None."""
    stems = similarity(stem_words(earlier), stem_words(later))
    if _statement(earlier) or _statement(later):
        return NearDuplicate(earlier, later, stems, None) if stems >= STATEMENT_SIMILARITY else None
    keys = similarity(key_words(earlier), key_words(later))
    return NearDuplicate(earlier, later, stems, keys) if stems >= STEM_SIMILARITY and keys >= KEY_SIMILARITY else None


def near_duplicates(course: Course) -> list[NearDuplicate]:
    """Every near-duplicate pair in course order, except declared revisits."""
    questions = [q for module in course.modules for q in module.quiz.questions]
    found = []
    for earlier, later in combinations(questions, 2):
        if later.revisits == earlier.id:
            continue
        pair = compare(earlier, later)
        if pair is not None:
            found.append(pair)
    return found
