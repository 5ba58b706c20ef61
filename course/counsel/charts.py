"""Geometry of the record page's timeline: each scored attempt as a point, score against time order.

Units are the SVG's viewBox units; the viewBox is 320 wide so text keeps about its size on a
360px phone. Points are spaced evenly in the order the attempts were started (numbered as in
the table of attempts); the dates of the first and last are written under the axis. A pre-test
is a square, a passed quiz a filled circle, a quiz not passed an open circle: shape, not only
colour, tells them apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..charts import PRETEST_FILL, QUIZ_FILL, WIDTH
from ..models import PRETEST

LEFT = 40  # the y axis; its labels sit to the left
RIGHT = 308
TOP = 24  # room for the number above a 100% point
PLOT = 150  # height of the 0–100% range
MAX_LABELLED = 20  # beyond this many points, numbers would overlap: the table has them


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
class Timeline:
    """The whole chart, ready to draw."""

    points: tuple[Point, ...]
    grid: tuple[tuple[float, str], ...]
    dates: tuple[tuple[float, str, str], ...]  # x, text, text-anchor
    labelled: bool
    width: int = WIDTH
    left: int = LEFT
    right: int = RIGHT
    top: int = TOP
    bottom: int = TOP + PLOT
    height: int = TOP + PLOT + 62


def _y(percent: float) -> float:
    return round(TOP + PLOT * (100 - percent) / 100, 1)


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
        points.append(Point(a.number, x, _y(a.score), shape, fill, f"{int(round(a.score))}%"))
    grid = tuple((_y(mark), f"{mark}%") for mark in (0, 50, 100))
    dates: tuple = ()
    if attempts:
        first = (points[0].x, attempts[0].submitted_at.strftime("%d %b %Y"), "start" if len(points) > 1 else "middle")
        dates = (first,)
        if len(points) > 1:
            dates += ((points[-1].x, attempts[-1].submitted_at.strftime("%d %b %Y"), "end"),)
    return Timeline(tuple(points), grid, dates, labelled=len(points) <= MAX_LABELLED)
