"""How well a reader who knows nothing can do on a quiz, by form alone.

Three strategies that need no knowledge of the topic, each scored as the mean,
over a quiz's single-answer and true/false items, of the probability that the
strategy picks the keyed answer (ties are split evenly). Multiple-select items
are skipped: a pick-one strategy does not apply to them. A quiz is fair when no
strategy beats chance (the mean of 1/k) by more than MARGIN.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import fmean

from .model import Choice, Question, Quiz
from .question_types import QUESTION_TYPES

MARGIN = 0.10
ABSOLUTE_WORDS = (
    "always",
    "never",
    "nothing",
    "none",
    "all",
    "every",
    "only",
    "cannot",
    "can't",
    "completely",
    "totally",
    "guaranteed",
    "no one",
    "everyone",
    "anything",
    "any",
)
# Whole words (or phrases), any case; "can't" also matches with a typographic apostrophe.
_ABSOLUTE = re.compile(
    r"(?<![\w'’])(?:"
    + "|".join(re.escape(w).replace("'", "['’]").replace(r"\ ", r"\s+") for w in ABSOLUTE_WORDS)
    + r")(?![\w'’])",
    re.IGNORECASE,
)
STRATEGIES = ("longest", "no absolutes", "odd one out")


def has_absolute(text: str) -> bool:
    """True when the text contains one of ABSOLUTE_WORDS as a whole word."""
    return _ABSOLUTE.search(text) is not None


def _share(picked: list[Choice]) -> float:
    """The probability of the key when the pick is uniform among `picked`."""
    return sum(c.correct for c in picked) / len(picked)


def _length(choice: Choice) -> int:
    return len(choice.text.strip())


def longest(question: Question) -> float:
    """Pick the longest choice (in characters)."""
    top = max(_length(c) for c in question.choices)
    return _share([c for c in question.choices if _length(c) == top])


def no_absolutes(question: Question) -> float:
    """Discard choices with an absolute word; pick at random among the rest (all if none is left)."""
    left = [c for c in question.choices if not has_absolute(c.text)]
    return _share(left or list(question.choices))


def odd_one_out(question: Question) -> float:
    """Pick the choice whose length is furthest from the mean length of the others."""
    lengths = [_length(c) for c in question.choices]
    total, others = sum(lengths), len(lengths) - 1
    distance = [abs(n - (total - n) / others) for n in lengths]
    far = max(distance)
    # Lengths are whole numbers, so equal distances can differ only by float rounding.
    return _share([c for c, d in zip(question.choices, distance, strict=True) if abs(d - far) < 1e-9])


_PICKERS = {"longest": longest, "no absolutes": no_absolutes, "odd one out": odd_one_out}


@dataclass(frozen=True, slots=True)
class GuessScores:
    """One quiz's scores: each strategy's, chance, and how often the key is the longest choice."""

    items: int
    skipped: int
    chance: float
    scores: dict[str, float]
    key_longest: int
    key_longest_by_chance: float

    @property
    def limit(self) -> float:
        """The highest score a strategy may reach: chance plus MARGIN."""
        return self.chance + MARGIN

    def too_high(self) -> dict[str, float]:
        """The strategies that beat the limit, with their scores."""
        # Rounded so that a score exactly at the limit is not failed by float noise.
        return {name: s for name, s in self.scores.items() if round(s - self.limit, 9) > 0}


def guess_scores(quiz: Quiz) -> GuessScores | None:
    """The test-wise scores of a quiz, or None when it has no single-answer or true/false item."""
    items = [q for q in quiz.questions if _single_answer(q) and q.choices and any(c.correct for c in q.choices)]
    if not items:
        return None
    key_longest = sum(
        1 for q in items if max(_length(c) for c in q.choices) == max(_length(c) for c in q.choices if c.correct)
    )
    return GuessScores(
        items=len(items),
        skipped=len(quiz.questions) - len(items),
        chance=fmean(1 / len(q.choices) for q in items),
        scores={name: fmean(pick(q) for q in items) for name, pick in _PICKERS.items()},
        key_longest=key_longest,
        key_longest_by_chance=sum(1 / len(q.choices) for q in items),
    )


def _single_answer(question: Question) -> bool:
    # The check runs on content with problems too: a question of an unknown type is not counted.
    kind = QUESTION_TYPES.get(question.type)
    return kind is not None and kind.single_answer
