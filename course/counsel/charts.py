"""Geometry of the record page's timeline: each scored attempt as a point, score against time order.

Units are the SVG's viewBox units; the viewBox is 320 wide so text keeps about its size on a
360px phone. Points are spaced evenly in the order the attempts were started (numbered as in
the table of attempts); the dates of the first and last are written under the axis. A pre-test
is a square, a passed quiz a filled circle, a quiz not passed an open circle: shape, not only
colour, tells them apart. The legend under the axis wraps to a second row when its labels (in the
page's language) would run past the right edge.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..charts import PRETEST_FILL, QUIZ_FILL, WIDTH
from ..i18n import gettext as _
from ..i18n import percent, when
from ..models import PRETEST

LEFT = 40  # the y axis; its labels sit to the left
RIGHT = 308
TOP = 24  # room for the number above a 100% point
PLOT = 150  # height of the 0–100% range
MAX_LABELLED = 20  # beyond this many points, numbers would overlap: the table has them
# The legend: where each label's text starts in English (its mark sits just left of it), the
# estimated width of a character at font-size 12, the room between an item and the next, a row's height.
LEGEND_TEXT_X = (16, 100, 202)
CHAR_WIDTH = 6.5
LEGEND_GAP = 22
LEGEND_ROW = 16


@dataclass(frozen=True)
class Point:
    """One attempt: its number, centre and how it is drawn."""

    number: int
    x: float
    y: float
    shape: str  # "square", "filled" or "open"
    fill: str
    text: str


@dataclass(frozen=True)
class LegendItem:
    """One entry of the legend: its mark ("square", "filled" or "open"), the text's x, the row (0 or 1)."""

    shape: str
    text: str
    x: float
    row: int

    @property
    def dy(self) -> int:
        """How far below the first row this item sits."""
        return self.row * LEGEND_ROW


@dataclass(frozen=True)
class Timeline:
    """The whole chart, ready to draw."""

    points: tuple[Point, ...]
    grid: tuple[tuple[float, str], ...]
    dates: tuple[tuple[float, str, str], ...]  # x, text, text-anchor
    labelled: bool
    legend: tuple[LegendItem, ...] = ()
    width: int = WIDTH
    left: int = LEFT
    right: int = RIGHT
    top: int = TOP
    bottom: int = TOP + PLOT
    height: int = TOP + PLOT + 62


def _y(percent: float) -> float:
    return round(TOP + PLOT * (100 - percent) / 100, 1)


def legend() -> tuple[LegendItem, ...]:
    """The legend's items, laid out from their labels' estimated widths (in English: x 16, 100, 202)."""
    items = [("square", _("Pre-test")), ("filled", _("Quiz passed")), ("open", _("Quiz not passed"))]
    laid_out: list[LegendItem] = []
    x, row = 0.0, 0
    for (shape, text), default_x in zip(items, LEGEND_TEXT_X, strict=True):
        x = default_x if not laid_out else max(default_x if row == 0 else 0, x)
        if laid_out and x + len(text) * CHAR_WIDTH > WIDTH:
            x, row = LEGEND_TEXT_X[0], row + 1
        laid_out.append(LegendItem(shape, text, x, row))
        x += len(text) * CHAR_WIDTH + LEGEND_GAP
    return tuple(laid_out)


def timeline_chart(attempts) -> Timeline:
    """Lay out scored attempts (objects with number, kind, score, passed, submitted_at), in the given order."""
    attempts = list(attempts)
    inner_left, inner_right = LEFT + 12, RIGHT - 8
    step = (inner_right - inner_left) / (len(attempts) - 1) if len(attempts) > 1 else 0
    points = []
    for i, a in enumerate(attempts):
        x = round(inner_left + i * step if len(attempts) > 1 else (inner_left + inner_right) / 2, 1)
        if a.kind == PRETEST:
            shape, fill = "square", PRETEST_FILL
        else:
            shape, fill = ("filled" if a.passed else "open"), QUIZ_FILL
        points.append(Point(a.number, x, _y(a.score), shape, fill, percent(int(round(a.score)))))
    grid = tuple((_y(mark), percent(mark)) for mark in (0, 50, 100))
    dates: tuple = ()
    if attempts:
        first = (points[0].x, when(attempts[0].submitted_at, "day"), "start" if len(points) > 1 else "middle")
        dates = (first,)
        if len(points) > 1:
            dates += ((points[-1].x, when(attempts[-1].submitted_at, "day"), "end"),)
    items = legend()
    extra = max(item.row for item in items) * LEGEND_ROW
    return Timeline(
        tuple(points), grid, dates, labelled=len(points) <= MAX_LABELLED, legend=items, height=TOP + PLOT + 62 + extra
    )
