"""Before-and-after figures for a group: paired n, means, the mean difference with its 95% interval,
Cohen's d for paired data and the normalized gain (method and limits: docs/outcomes.md).

Built from five sums over the learners who have both scores (n, Σpre, Σpost, Σd, Σd², with d =
post − pre), which the database adds up in the same query as the other totals, so the figures cost
no statement more however many learners there are. The t quantile is scipy's, from a table
computed with it (t_quantiles.py) and checked against it in the suite.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from . import t_quantiles

# Below this many paired learners no group figure is shown: too few to mean anything, and too
# few to keep a person from being recognised in them.
MIN_PAIRED = 5
CONFIDENCE = 0.95


@dataclass(frozen=True)
class PairedSums:
    """The sums a database can add up over learners with both a "before" and an "after" score."""

    n: int
    pre: float
    post: float
    difference: float
    difference_squared: float


@dataclass(frozen=True)
class PairedSummary:
    """Mean scores before and after (0–100), the mean paired difference in points and its 95% interval."""

    n: int
    mean_pre: float
    mean_post: float
    mean_difference: float
    ci_low: float
    ci_high: float
    cohens_d: float | None  # None when every learner changed by the same amount (no spread)
    normalized_gain: float | None  # None when the group had no room to gain (a mean of 100 before)


def summarise(sums: PairedSums) -> PairedSummary | None:
    """The group's figures, or None when fewer than MIN_PAIRED learners have both scores."""
    n = sums.n
    if n < MIN_PAIRED:
        return None
    mean_pre, mean_post, mean_d = sums.pre / n, sums.post / n, sums.difference / n
    # Σ(d − mean)² = Σd² − n·mean²; never below 0, whatever the rounding.
    variance = max(sums.difference_squared - n * mean_d * mean_d, 0.0) / (n - 1)
    sd = math.sqrt(variance)
    half_width = _t_quantile(CONFIDENCE, n - 1) * sd / math.sqrt(n)
    room = 100.0 - mean_pre
    return PairedSummary(
        n=n,
        mean_pre=mean_pre,
        mean_post=mean_post,
        mean_difference=mean_d,
        ci_low=mean_d - half_width,
        ci_high=mean_d + half_width,
        cohens_d=mean_d / sd if sd > 1e-9 else None,
        normalized_gain=(mean_post - mean_pre) / room if room > 1e-9 else None,
    )


def _t_quantile(confidence: float, degrees_of_freedom: int) -> float:
    """The two-sided critical value of Student's t (about 2.78 for 4 degrees of freedom, 1.96 for many).

    scipy's values, from the table computed with it (t_quantiles.py): importing scipy.stats in a
    worker costs ~84 MiB, over its memory target.
    """
    if confidence != t_quantiles.CONFIDENCE:
        raise ValueError("the table holds the 95% critical values only")
    return t_quantiles.t_975(degrees_of_freedom)
