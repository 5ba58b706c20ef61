"""The languages each learner used, as staff see them."""

from __future__ import annotations

from course.extensions import db
from course.models import QUIZ
from course.services.learner_languages import languages_used

from . import factories
from .quiz_helpers import take


def test_the_languages_of_submitted_attempts_and_the_chosen_one(app, course):
    module = course.modules[0]
    ana, bo, cy, dee = (factories.make_user("learner", username=n) for n in ("ana", "bo", "cy", "dee"))
    take(ana, module, QUIZ, right=1).language = "es"
    take(bo, module, QUIZ, right=1)
    take(bo, module, QUIZ, right=0).language = "es"
    cy.language = "es"
    db.session.commit()
    assert languages_used([ana.id, bo.id, cy.id, dee.id]) == {
        ana.id: ("es",),
        bo.id: ("en", "es"),
        cy.id: ("es",),
        dee.id: (),
    }
    assert languages_used([]) == {}
