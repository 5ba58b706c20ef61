"""Geometry of the progress chart, an inline SVG drawn by the template: numbers in, positions out.

Units are the SVG's viewBox units. The viewBox is narrow (320) so that, scaled to a 360px phone,
text stays about its nominal size. Long module titles wrap instead of running off the edge.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from ..charts import PRETEST_FILL, QUIZ_FILL, WIDTH
from ..i18n import gettext as _
from ..i18n import percent
from ..services.own_record import NOT_TAKEN, ModuleReport, pretest_state_label

X0 = 78  # bars start here; their labels sit to the left
FULL = 190  # the length of a 100% bar
BAR = 16
LINE = 18
TITLE_CHARS = 34


@dataclass(frozen=True)
class Bar:
    """One bar: its row label, top, length (None when there is no score) and the text after it."""

    label: str
    y: float
    width: float | None
    text: str
    fill: str

    @property
    def text_x(self) -> float:
        return X0 + (self.width or 0) + 6


@dataclass(frozen=True)
class Group:
    """One module: its title's lines (baseline, text) and its two bars."""

    title: tuple[tuple[float, str], ...]
    bars: tuple[Bar, Bar]


@dataclass(frozen=True)
class Chart:
    """The whole chart, ready to draw."""

    groups: tuple[Group, ...]
    height: float
    plot_bottom: float
    axis: tuple[tuple[float, str], ...]
    width: int = WIDTH
    x0: int = X0


def _bar(label: str, y: float, value: int | None, missing: str, fill: str) -> Bar:
    if value is None:
        return Bar(label, y, None, missing, fill)
    return Bar(label, y, FULL * value / 100, percent(value), fill)


def score_chart(report: list[ModuleReport]) -> Chart:
    """Lay out a pre-test bar and a best-quiz bar for each module, top to bottom."""
    groups, y = [], 0.0
    for number, row in enumerate(report, 1):
        lines = textwrap.wrap(f"{number}. {row.title}", TITLE_CHARS) or [f"{number}."]
        title = tuple((y + 14 + LINE * i, text) for i, text in enumerate(lines))
        y += LINE * len(lines) + 4
        pretest = _bar(_("Pre-test"), y, row.pretest_percent, row.pretest_state_label, PRETEST_FILL)
        quiz = _bar(_("Best quiz"), y + BAR + 6, row.best_percent, pretest_state_label(NOT_TAKEN), QUIZ_FILL)
        groups.append(Group(title, (pretest, quiz)))
        y += 2 * (BAR + 6) + 10
    axis = tuple((X0 + FULL * mark / 100, percent(mark)) for mark in (0, 50, 100))
    return Chart(tuple(groups), height=y + 18, plot_bottom=y, axis=axis)
