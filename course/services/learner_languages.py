"""Which languages each learner used: the ones their submitted attempts were taken in, and the one they chose.

Staff see it beside each learner (the cohort table, the counselor's record), so an English and a
Spanish learner read side by side, and item analysis can be split by the attempts' language.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import cast

from sqlalchemy import BindParameter, CompoundSelect, bindparam, select, union

from ..extensions import db
from ..i18n import LANGUAGES
from ..models import QuizAttempt, User

# Built once with bound parameters, so SQLAlchemy reuses its cache key and compiled SQL (a cohort page asks it).
_LEARNERS: BindParameter[list[int]] = bindparam("learner_ids", expanding=True)
_USED: CompoundSelect = union(
    select(QuizAttempt.learner_id, QuizAttempt.language).where(
        QuizAttempt.learner_id.in_(_LEARNERS), QuizAttempt.submitted_at.is_not(None)
    ),
    select(User.id, User.language).where(User.id.in_(_LEARNERS), User.language.is_not(None)),
)


def languages_used(learner_ids: Collection[int]) -> dict[int, tuple[str, ...]]:
    """Learner id -> languages used, in LANGUAGES order (empty when none is known yet). One query."""
    if not learner_ids:
        return {}
    used: dict[int, set[str]] = {learner_id: set() for learner_id in learner_ids}
    rows = cast(Iterable[tuple[int, str]], db.session.execute(_USED, {"learner_ids": list(learner_ids)}))
    for learner_id, language in rows:
        used[learner_id].add(language)
    return {learner_id: tuple(x for x in LANGUAGES if x in found) for learner_id, found in used.items()}
