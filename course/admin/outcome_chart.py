"""Geometry of the programme outcomes chart: for each module, the mean before and after on one line.

Before is a square, after a circle, joined by a line: shape tells them apart, not only colour. A
module without figures (fewer paired learners than the minimum) gets its title and a note. Units
are the SVG's viewBox units; the table below the chart has the same numbers.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from ..charts import PRETEST_FILL, QUIZ_FILL, WIDTH
from ..i18n import gettext as _
from ..i18n import percent
from ..services.cohort_totals import ModuleTotal

X0 = 20  # the 0% line
FULL = 280  # the length of 0–100%
LINE = 18
ROW = 44  # one module's marks and, under them, their numbers in words
TITLE_CHARS = 42


@dataclass(frozen=True)
class Row:
    """One module: its title lines, and its marks (None without figures)."""

    title: tuple[tuple[float, str], ...]
    y: float  # the centre line of the marks; their text sits under it
    before_x: float | None
    after_x: float | None
    text: str


@dataclass(frozen=True)
class OutcomeChart:
    """The whole chart, ready to draw."""

    rows: tuple[Row, ...]
    height: float
    plot_bottom: float
    axis: tuple[tuple[float, str], ...]
    width: int = WIDTH
    before_fill: str = PRETEST_FILL
    after_fill: str = QUIZ_FILL


def _x(percent: float) -> float:
    return round(X0 + FULL * percent / 100, 1)


def outcome_chart(totals: tuple[ModuleTotal, ...]) -> OutcomeChart:
    """Lay out one row per module, top to bottom."""
    rows, y = [], 0.0
    for number, total in enumerate(totals, 1):
        lines = textwrap.wrap(f"{number}. {total.label}", TITLE_CHARS) or [f"{number}."]
        title = tuple((y + 14 + LINE * i, text) for i, text in enumerate(lines))
        y += LINE * len(lines) + 10
        o = total.outcome
        if o:
            text = _(
                "%(before)s → %(after)s (n = %(n)s)", before=percent(o.mean_pre), after=percent(o.mean_post), n=o.n
            )
            rows.append(Row(title, y, _x(o.mean_pre), _x(o.mean_post), text))
        else:
            rows.append(Row(title, y, None, None, _("not shown: too few learners")))
        y += ROW
    axis = tuple((_x(mark), percent(mark)) for mark in (0, 25, 50, 75, 100))
    return OutcomeChart(tuple(rows), height=y + 18, plot_bottom=y, axis=axis)
