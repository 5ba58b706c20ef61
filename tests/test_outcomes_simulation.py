"""Outcome figures tested against a known truth: simulated cohorts whose learners answer each item
right with probabilities we set, run through the real services (start, answer, submit) and the
real cohort report.

The true mean change on the pre-test's questions is the difference of the set probabilities, in
points. The reported 95% interval must cover it in about 95% of cohorts; the old figure (the mean
best score, after retakes until a pass, minus the mean pre-test) must overstate it.
"""

from __future__ import annotations

import random
from statistics import fmean

from course.models import PRETEST, QUIZ
from course.services import cohort_totals

from . import actions
from .factories import make_cohort, make_user
from .quiz_helpers import right_answer, wrong_answer

COHORTS = 100
LEARNERS = 10
TRUE_CHANGE = 0.30  # each learner's chance of a right answer rises by 30 points after the lessons
MAX_RETAKES = 6


def _answer(attempt, module, chance: float, rng: random.Random) -> dict[str, frozenset[str]]:
    """Each question answered right with probability `chance`, else with a wrong choice."""
    answers = {}
    for item in attempt.layout:
        question = module.question(item["question"])
        answers[question.id] = right_answer(question) if rng.random() < chance else wrong_answer(question)
    return answers


def _take(learner, module, kind, chance, rng):
    attempt = actions.start_attempt(learner, module, kind, rng)  # shown in an order from rng: a repeatable run
    return actions.submit(attempt, _answer(attempt, module, chance, rng), attempt.sequence, module).attempt


def _simulated_cohort(module, facilitator, rng: random.Random) -> tuple[object, float]:
    """A cohort whose learners each know a share of the items before (drawn) and 30 points more after.

    Returns the cohort and the old figure: the mean best score (retakes until a pass) minus the
    mean pre-test score.
    """
    learners = [make_user("learner", password_hash="not-a-real-hash") for _ in range(LEARNERS)]
    cohort = make_cohort(facilitator, members=tuple(learners))
    pretests, bests = [], []
    for learner in learners:
        before = rng.uniform(0.15, 0.6)
        pretests.append(_take(learner, module, PRETEST, before, rng).score)
        scores = [_take(learner, module, QUIZ, before + TRUE_CHANGE, rng).score]
        while scores[-1] < module.pass_mark and len(scores) < MAX_RETAKES:
            scores.append(_take(learner, module, QUIZ, before + TRUE_CHANGE, rng).score)
        bests.append(max(scores))
    return cohort, fmean(bests) - fmean(pretests)


def test_the_interval_covers_the_true_change_in_about_95_percent_of_cohorts_and_the_old_figure_overstated_it(
    app, course
):
    module = course.modules[0]
    facilitator = make_user("facilitator")
    rng = random.Random(20261204)
    covered, estimates, old_figures = 0, [], []
    for _ in range(COHORTS):
        cohort, old_figure = _simulated_cohort(module, facilitator, rng)
        outcome = cohort_totals.cohort_totals(cohort, course)[0].outcome
        assert outcome is not None and outcome.n == LEARNERS
        covered += outcome.ci_low <= 100 * TRUE_CHANGE <= outcome.ci_high
        estimates.append(outcome.mean_difference)
        old_figures.append(old_figure)

    coverage = covered / COHORTS
    assert 0.88 <= coverage <= 1.0, f"the 95% interval covered the true change in {coverage:.0%} of cohorts"
    # Unbiased: the mean estimate is close to the truth (30 points).
    assert abs(fmean(estimates) - 100 * TRUE_CHANGE) < 2.0
    # The best score after retakes until a pass rises by design: it overstates the change, cohort after cohort.
    assert fmean(old_figures) > 100 * TRUE_CHANGE + 10
    assert sum(old > 100 * TRUE_CHANGE for old in old_figures) >= 0.9 * COHORTS
