"""Grading through the registry of question types, including partly right multiple select."""

import pytest

from course.content import Choice, Question
from course.content.question_types import QUESTION_TYPES
from course.services.grading import AnswerError, grade, score


def q(type_, correct, wrong=("x", "y"), myths=None):
    myths = myths or {}
    choices = tuple(Choice(c, c, True, "fb") for c in correct) + tuple(
        Choice(c, c, False, "fb", myths.get(c)) for c in wrong
    )
    return Question("q", "m", type_, "prompt", choices, "because", "source")


def test_every_content_type_has_a_grader():
    assert set(QUESTION_TYPES) == {"single", "multiple", "true_false"}


@pytest.mark.parametrize("chosen, credit, correct", [({"a"}, 1.0, True), ({"x"}, 0.0, False), (set(), 0.0, False)])
def test_single_choice(chosen, credit, correct):
    result = grade(q("single", ["a"]), frozenset(chosen))
    assert (result.credit, result.correct) == (credit, correct)


def test_single_choice_refuses_two_answers_and_unknown_ids():
    with pytest.raises(AnswerError, match="only one"):
        grade(q("single", ["a"]), frozenset({"a", "x"}))
    with pytest.raises(AnswerError, match="not one of"):
        grade(q("single", ["a"]), frozenset({"zzz"}))


def test_true_false():
    question = Question(
        "q",
        "m",
        "true_false",
        "p",
        (Choice("true", "True", False, "fb"), Choice("false", "False", True, "fb")),
        "e",
        "s",
    )
    assert grade(question, frozenset({"false"})).correct
    assert grade(question, frozenset({"true"})).credit == 0


@pytest.mark.parametrize(
    "chosen, credit",
    [
        ({"a", "b", "c"}, 1.0),  # all right
        ({"a", "b"}, 0.6667),  # two of three right
        ({"a"}, 0.3333),  # one of three
        ({"a", "b", "x"}, 0.3333),  # two right, one wrong: one step back
        ({"a", "x", "y"}, 0.0),  # never below zero
        ({"a", "b", "c", "x", "y"}, 0.3333),  # ticking every box earns little
    ],
)
def test_multiple_select_gives_partial_credit(chosen, credit):
    result = grade(q("multiple", ["a", "b", "c"]), frozenset(chosen))
    assert result.credit == credit
    assert result.correct == (credit == 1.0)


def test_wrong_choices_reveal_their_myths():
    result = grade(q("multiple", ["a", "b"], myths={"x": "myth-one", "y": "myth-two"}), frozenset({"a", "x", "y"}))
    assert result.misconceptions == ("myth-one", "myth-two")


def test_score_is_a_percentage_of_credit():
    results = [grade(q("single", ["a"]), frozenset({"a"})), grade(q("multiple", ["a", "b"]), frozenset({"a"}))]
    assert score(results) == 75.0
    assert score([]) == 0.0
