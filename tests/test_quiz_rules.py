"""The quiz rules of issue 13: test-wise scores, near-duplicates, reading level of questions.

Strategies are checked on tiny hand-made items whose scores are known; the frozen
first edition of the course (tests/fixtures/first-edition) must fail rules (a)
and (b), the small test course must pass them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from course.content import Choice, Course, Module, Question, Quiz, check_course
from course.content.duplicates import content_words, near_duplicates, similarity
from course.content.loader import read_quiz
from course.content.quiz_rules import quiz_problems
from course.content.testwise import guess_scores, has_absolute, longest, no_absolutes, odd_one_out

FIXTURES = Path(__file__).parent / "fixtures"
FIRST_EDITION = FIXTURES / "first-edition"
# Content review, finding Q2: near-duplicate pairs (earlier, later) in the first edition.
REVIEW_Q2 = {
    ("rs-cue-craving", "rc-cue-craving"),
    ("os-after-jail", "rc-after-jail"),
    ("td-after-withdrawal", "tp-after-detox"),
    ("tp-peer-groups", "rc-peer-support"),
    ("tp-stay-on-medication", "rc-how-long-medication"),
}


def item(*choices: tuple[str, bool], kind: str = "single", qid: str = "x", prompt: str = "Which?") -> Question:
    """A question from (text, correct) pairs."""
    return Question(
        qid,
        "m",
        kind,
        prompt,
        tuple(Choice(chr(97 + i), text, correct, "Because.") for i, (text, correct) in enumerate(choices)),
        "Why.",
        "Source.",
    )


def course_of(*quizzes: tuple[Question, ...]) -> Course:
    """A course of bare modules holding these quizzes."""
    modules = tuple(
        Module(f"m{i}", f"0{i}-m", "T", "S", (), (), 80, 10, (), Quiz(questions), Quiz(), "v")
        for i, questions in enumerate(quizzes, 1)
    )
    return Course(modules, {})


def first_edition() -> Course:
    """The course's first edition: its five quizzes, frozen before the second edition."""
    quizzes = []
    for folder in sorted(p for p in FIRST_EDITION.iterdir() if p.is_dir()):
        problems: list = []
        quiz = read_quiz(folder, folder.name[3:], problems)
        assert problems == []
        quizzes.append(Module(folder.name[3:], folder.name, "T", "S", (), (), 80, 10, (), quiz, Quiz(), "v"))
    return Course(tuple(quizzes), {})


# --- the three strategies on items with known scores ---------------------------------------


def test_longest_picks_the_longest_choice_and_splits_ties():
    assert longest(item(("a long right answer", True), ("short", False), ("tiny", False))) == 1
    assert longest(item(("right", True), ("a much longer wrong", False), ("wrong", False))) == 0
    assert longest(item(("same", True), ("size", False), ("no", False))) == 0.5


def test_no_absolutes_drops_choices_with_absolute_words():
    assert (
        no_absolutes(item(("It helps some people.", True), ("It always works.", False), ("No one needs it.", False)))
        == 1
    )
    assert no_absolutes(item(("It helps.", True), ("It hurts.", False), ("It never helps.", False))) == 0.5
    # Every choice has an absolute: pick among all of them.
    assert (
        no_absolutes(item(("Only this.", True), ("All of it.", False), ("Nothing.", False), ("Every time.", False)))
        == 0.25
    )
    # The key itself is an absolute: the strategy never finds it.
    assert no_absolutes(item(("You can't.", True), ("You may.", False), ("Maybe.", False))) == 0


@pytest.mark.parametrize(
    ("text", "absolute"),
    [
        ("It ALWAYS works", True),
        ("can’t stop", True),
        ("can't stop", True),
        ("no one knows", True),
        ("anything goes", True),
        ("at any time", True),
        ("totally safe", True),
        ("It is guaranteed.", True),
        ("everyone", True),
        ("allowed", False),
        ("anyone", False),
        ("only-child", True),
        ("canteen", False),
        ("nobody", False),
        ("many", False),
        ("onlyness", False),
        ("no, one more", False),
    ],
)
def test_absolute_words_match_whole_words_only(text, absolute):
    assert has_absolute(text) is absolute


def test_odd_one_out_picks_the_length_furthest_from_the_others():
    # Lengths 30, 10, 12: 30 is 19 from the others' mean, 10 is 11 away, 12 is 8 away.
    assert odd_one_out(item(("x" * 30, True), ("y" * 10, False), ("z" * 12, False))) == 1
    assert odd_one_out(item(("x" * 12, True), ("y" * 10, False), ("z" * 30, False))) == 0
    # Two choices are always equally far from each other: a tie.
    assert odd_one_out(item(("True", True), ("False", False), kind="true_false")) == 0.5
    # Lengths 10, 20, 30: 10 and 30 are both 15 from the others' mean.
    assert odd_one_out(item(("x" * 10, True), ("y" * 20, False), ("z" * 30, False))) == 0.5


def test_quiz_scores_are_means_over_scored_items_and_skip_multiple_select():
    quiz = Quiz(
        (
            item(("a long right answer here", True), ("short one", False), ("short two", False)),  # 1/3 chance
            item(("True", False), ("False", True), kind="true_false"),  # 1/2 chance
            item(("yes", True), ("also yes", True), ("no", False), kind="multiple"),  # skipped
            item(
                ("x", True), ("It never does that, at all.", False), ("It can help.", False), ("Never.", False)
            ),  # 1/4 chance
        )
    )
    scores = guess_scores(quiz)
    assert (scores.items, scores.skipped) == (3, 1)
    assert scores.chance == pytest.approx((1 / 3 + 1 / 2 + 1 / 4) / 3)
    assert scores.scores["longest"] == pytest.approx((1 + 1 + 0) / 3)
    assert scores.scores["no absolutes"] == pytest.approx((1 / 3 + 1 / 2 + 1 / 2) / 3)
    # Lengths 1, 27, 12, 6: the 27 is furthest from the others' mean (19.7 away).
    assert scores.scores["odd one out"] == pytest.approx((1 + 1 / 2 + 0) / 3)
    assert (scores.key_longest, scores.key_longest_by_chance) == (2, pytest.approx(1 / 3 + 1 / 2 + 1 / 4))
    assert scores.too_high() == {"longest": pytest.approx(2 / 3), "odd one out": pytest.approx(0.5)}


def test_a_score_exactly_at_chance_plus_margin_passes():
    # Ten 2-choice items (chance 0.5); "longest" finds the key in 6 of them: 0.6 = 0.5 + 0.10.
    items = [item(("True", False), ("False", True), kind="true_false") for _ in range(6)]
    items += [item(("True", True), ("False", False), kind="true_false") for _ in range(4)]
    scores = guess_scores(Quiz(tuple(items)))
    assert scores.scores["longest"] == pytest.approx(0.6)
    assert scores.too_high() == {}
    items[-1] = item(("True", False), ("False", True), kind="true_false")
    assert set(guess_scores(Quiz(tuple(items))).too_high()) == {"longest"}


def test_a_quiz_of_only_multiple_select_items_has_no_scores():
    assert guess_scores(Quiz((item(("a", True), ("b", True), ("c", False), kind="multiple"),))) is None


# --- the first edition fails, the test course passes ----------------------------------------


def test_the_first_edition_fails_rule_a_in_every_quiz():
    course = first_edition()
    scores = {m.id: guess_scores(m.quiz) for m in course.modules}
    longest_scores = {mid: round(s.scores["longest"], 2) for mid, s in scores.items()}
    assert longest_scores == {
        "reward-system": 0.90,
        "tolerance-dependence": 0.90,
        "treatment-pathways": 0.91,
        "overdose-safety": 0.72,
        "recovery": 0.78,
    }
    assert all(s.scores["longest"] > s.chance + 0.10 for s in scores.values())
    # The review's count: the key is (one of) the longest choice(s) in 35 of the 39 single-answer items.
    singles = [q for m in course.modules for q in m.quiz.questions if q.type == "single"]
    assert sum(longest(q) > 0 for q in singles) == 35 and len(singles) == 39
    errors, _ = quiz_problems(course)
    failing = {(p.file, p.message.split('"')[1]) for p in errors if "test-wise" in p.message}
    assert {file for file, _ in failing} == {f"{m.folder}/quiz.yaml" for m in course.modules}
    assert ("01-reward-system/quiz.yaml", "odd one out") in failing


def test_the_first_edition_fails_rule_b_on_the_reviewed_pairs():
    found = {(pair.earlier.id, pair.later.id) for pair in near_duplicates(first_edition())}
    assert found >= REVIEW_Q2
    # Two more pairs cross the same thresholds; both test one fact the same way.
    assert found - REVIEW_Q2 == {("rs-dopamine-brake", "rs-dopamine-up-tf"), ("td-after-withdrawal", "os-after-jail")}


def test_a_declared_revisit_is_not_a_near_duplicate():
    course = first_edition()

    def revisit(q):
        return (
            Question(**{**{s: getattr(q, s) for s in Question.__slots__}, "revisits": "rs-cue-craving"})
            if q.id == "rc-cue-craving"
            else q
        )

    modules = tuple(
        Module(
            **{
                **{s: getattr(m, s) for s in Module.__slots__},
                "quiz": Quiz(tuple(revisit(q) for q in m.quiz.questions)),
            }
        )
        for m in course.modules
    )
    found = {(p.earlier.id, p.later.id) for p in near_duplicates(Course(modules, {}))}
    assert ("rs-cue-craving", "rc-cue-craving") not in found
    assert ("os-after-jail", "rc-after-jail") in found


def test_near_duplicate_findings_name_the_later_file_and_question():
    errors, _ = quiz_problems(first_edition())
    assert (
        '05-recovery/quiz.yaml: questions[3]: "rc-cue-craving" is a near-duplicate of "rs-cue-craving" '
        "(01-reward-system/quiz.yaml): stems 0.67 alike (limit 0.35), keyed answers 0.67 (limit 0.50); "
        "test another fact or angle, or add `revisits: rs-cue-craving`"
    ) in [str(p) for p in errors]


def test_the_test_course_passes_every_quiz_rule():
    report = check_course(FIXTURES / "modules" / "good")
    assert report.errors == []
    assert [(q.module_id, q.scores.items) for q in report.quiz_levels] == [("first-module", 8), ("second-module", 8)]


# --- reading level of questions --------------------------------------------------------------


def test_a_question_that_reads_above_grade_8_is_an_error_naming_it():
    hard = (
        "Pharmacological characterization of neurophysiological mechanisms necessitates "
        "comprehensive interdisciplinary investigation of electrophysiological methodologies"
    )
    easy = item(
        ("It helps you rest.", True),
        ("It makes you cold.", False),
        ("It makes you tall.", False),
        qid="easy",
        prompt="What does sleep do?",
    )
    hard_item = item(
        (hard, True),
        ("It makes you cold.", False),
        ("It makes you tall.", False),
        qid="hard",
        prompt="What does sleep do?",
    )
    errors, levels = quiz_problems(course_of((easy, hard_item)))
    messages = [p.message for p in errors if "Flesch-Kincaid" in p.message]
    assert len(messages) == 1 and messages[0].startswith('"hard": Flesch-Kincaid grade ')
    assert levels[0].flesch_kincaid > 8


# --- the similarity measure ---------------------------------------------------------------------


def test_content_words_drop_stop_words_plurals_and_possessives():
    assert content_words("Tom's friends say that the songs are his cue.") == {"tom", "friend", "say", "song", "cue"}
    assert content_words("True or false: it is a loss.") == {"loss"}


def test_similarity_is_the_overlap_of_the_smaller_set():
    short, long = content_words("tolerance drops"), content_words("after jail his tolerance drops fast")
    assert similarity(short, long) == 1.0
    assert similarity(content_words("song craving"), content_words("song relapse jail")) == 0.5
    assert similarity(frozenset(), long) == 0.0


def test_two_questions_cross_both_thresholds_or_are_not_near_duplicates():
    a = item(
        ("His tolerance has dropped, so it could stop his breathing.", True),
        ("b", False),
        ("c", False),
        qid="a",
        prompt="Dee leaves jail after three months. She plans her usual amount. What is the danger?",
    )
    b = item(
        ("Her tolerance has dropped, so her usual amount could stop her breathing.", True),
        ("x", False),
        ("y", False),
        qid="b",
        prompt="Marcus leaves jail after two months. He plans his usual amount. What is the danger?",
    )
    other_key = item(("Call 911 and give naloxone.", True), ("x", False), ("y", False), qid="c", prompt=b.prompt)
    assert [(p.earlier.id, p.later.id) for p in near_duplicates(course_of((a, b, other_key)))] == [("a", "b")]
