"""The content check: each kind of mistake, made in a copy of the good tree, is reported
with the file (relative to CONTENT_DIR), the field and a specific message."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from flask import Flask

from course.content import CheckReport, ContentError, check_course, load_course
from course.content.cli import content_cli
from course.content.language import canonical_term, stigmatizing_terms

GOOD = Path(__file__).parent / "fixtures" / "modules" / "good"
MOD1, MOD2, QUIZ1, QUIZ2 = "01-first/module.yaml", "02-second/module.yaml", "01-first/quiz.yaml", "02-second/quiz.yaml"
LESSON1, LESSON3 = "01-first/lessons/01-why-sleep.md", "02-second/lessons/01-why-water.md"
PRETEST1, MYTHS = "01-first/pretest.yaml", "misconceptions.yaml"
HARD = (
    "The pharmacological characterization of neurophysiological mechanisms underlying circadian "
    "regulation necessitates comprehensive interdisciplinary investigation, incorporating "
    "electrophysiological, endocrinological and epidemiological methodologies.\n\n"
)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A private copy of the good tree that a test may change."""
    return Path(shutil.copytree(GOOD, tmp_path / "modules"))


def edit_yaml(rel: str, change):
    """A mutation: load a YAML file, let `change` alter the data, write it back."""

    def mutate(tree: Path) -> None:
        path = tree / rel
        data = yaml.safe_load(path.read_text())
        change(data)
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))

    return mutate


def hard_lesson(tree: Path) -> None:
    """Replace the first lesson's body with long, many-syllabled sentences."""
    path = tree / LESSON1
    header = path.read_text().split("\n---\n")[0]
    path.write_text(header + "\n---\n\n## Hard words\n\n" + HARD * 4 + "## Summary\n\n- " + HARD)


def edit_text(rel: str, old: str, new: str):
    """A mutation: replace the first `old` in a file with `new` (which must be there)."""

    def mutate(tree: Path) -> None:
        path = tree / rel
        text = path.read_text()
        assert old in text, f"{old!r} not in {rel}"
        path.write_text(text.replace(old, new, 1))

    return mutate


def q(i: int, change):
    """A change to question i of a quiz's data."""
    return lambda data: change(data["questions"][i])


def assert_problem(problems, file: str, field: str, fragment: str) -> None:
    """Exactly the expected file and field, with a message containing `fragment`."""
    assert any(p.file == file and p.field == field and fragment in p.message for p in problems), (
        f"no {file}: {field}: …{fragment}… in:\n" + "\n".join(map(str, problems))
    )


def test_the_good_tree_passes_with_no_errors_or_warnings():
    report = check_course(GOOD)
    assert report.errors == [] and report.warnings == [] and report.ok
    assert [(lv.lesson_id, lv.minutes) for lv in report.lesson_levels] == [
        ("fm-why-sleep", 5),
        ("fm-better-sleep", 5),
        ("sm-why-water", 5),
    ]
    assert all(lv.flesch_kincaid <= 8 and lv.words >= 450 for lv in report.lesson_levels)


BROKEN = [
    # required fields, field types, unknown fields
    pytest.param(edit_yaml(MOD1, lambda d: d.pop("title")), MOD1, "title", "missing", id="module-title-missing"),
    pytest.param(edit_yaml(MOD1, lambda d: d.pop("id")), MOD1, "id", "missing", id="module-id-missing"),
    pytest.param(
        edit_yaml(MOD1, lambda d: d.update(prerequisite=[])), MOD1, "prerequisite", "unknown field", id="unknown-field"
    ),
    pytest.param(
        edit_yaml(MOD1, lambda d: d.update(pass_mark=120)), MOD1, "pass_mark", "120 is outside 1–100", id="pass-mark"
    ),
    pytest.param(
        edit_yaml(MOD2, lambda d: d.update(always_open="yes")),
        MOD2,
        "always_open",
        "must be true or false, not 'yes'",
        id="always-open-not-boolean",
    ),
    pytest.param(
        edit_yaml(QUIZ1, q(4, lambda x: x["choices"][2].pop("feedback"))),
        QUIZ1,
        "questions[4].choices[2].feedback",
        "missing",
        id="choice-feedback-missing",
    ),
    pytest.param(
        edit_yaml(QUIZ1, q(4, lambda x: x["choices"][2].pop("correct"))),
        QUIZ1,
        "questions[4].choices[2].correct",
        "missing (true or false)",
        id="choice-correct-missing",
    ),
    pytest.param(
        edit_yaml(QUIZ1, q(6, lambda x: x.pop("explanation"))),
        QUIZ1,
        "questions[6].explanation",
        "missing",
        id="explanation-missing",
    ),
    pytest.param(
        edit_yaml(QUIZ1, q(6, lambda x: x.update(source=""))),
        QUIZ1,
        "questions[6].source",
        "missing",
        id="source-empty",
    ),
    pytest.param(
        edit_text(LESSON1, '  - "Fixture Sleep Society. Sleep Basics: A Guide. 2024."\n', ""),
        LESSON1,
        "sources",
        "missing (a list with at least one entry)",
        id="lesson-sources-missing",
    ),
    pytest.param(
        edit_text(LESSON1, "main_message: Sleep is how the body and the brain rest and repair.\n", ""),
        LESSON1,
        "main_message",
        "missing",
        id="lesson-main-message-missing",
    ),
    pytest.param(
        edit_text(LESSON1, "last_reviewed: 2026-01-15\n", ""),
        LESSON1,
        "last_reviewed",
        "missing (a date, YYYY-MM-DD)",
        id="lesson-last-reviewed-missing",
    ),
    pytest.param(
        edit_text(LESSON1, "last_reviewed: 2026-01-15", "last_reviewed: soon"),
        LESSON1,
        "last_reviewed",
        "'soon' is not a date",
        id="lesson-last-reviewed-bad",
    ),
    pytest.param(
        edit_yaml(MYTHS, lambda d: d[1].pop("fact")), MYTHS, "[1].fact", "missing", id="misconception-fact-missing"
    ),
    # unreadable files
    pytest.param(
        edit_text(MOD1, "title: Sleep and rest", "title: [Sleep and rest"),
        MOD1,
        "",
        "malformed YAML at line",
        id="module-yaml-malformed",
    ),
    pytest.param(
        edit_text(QUIZ1, "    type: multiple\n", "    type: multiple\n   oops: [\n"),
        QUIZ1,
        "",
        "malformed YAML at line",
        id="quiz-yaml-malformed",
    ),
    pytest.param(
        edit_text(LESSON1, "title: Why we sleep", "title: [Why we sleep"),
        LESSON1,
        "",
        "malformed YAML at line 4",
        id="lesson-header-malformed",
    ),
    pytest.param(edit_text(LESSON1, "---\nid:", "id:"), LESSON1, "", "missing YAML header", id="lesson-header-missing"),
    pytest.param(lambda t: (t / PRETEST1).unlink(), PRETEST1, "", "missing file", id="pretest-file-missing"),
    pytest.param(lambda t: (t / QUIZ1).unlink(), QUIZ1, "", "missing file", id="quiz-file-missing"),
    pytest.param(
        edit_text(MYTHS, "- id: naps", "- id: [naps"), MYTHS, "", "malformed YAML", id="misconceptions-malformed"
    ),
    # ids: missing, not slugs, duplicates
    pytest.param(edit_text(LESSON1, "id: fm-why-sleep\n", ""), LESSON1, "id", "missing", id="lesson-id-missing"),
    pytest.param(
        edit_text(LESSON1, "id: fm-why-sleep", "id: FM_Why"),
        LESSON1,
        "id",
        '"FM_Why" is not a lowercase slug',
        id="lesson-id-not-slug",
    ),
    pytest.param(
        edit_yaml(QUIZ1, q(1, lambda x: x.update(id="Fm Hours"))),
        QUIZ1,
        "questions[1].id",
        '"Fm Hours" is not a lowercase slug',
        id="question-id-not-slug",
    ),
    pytest.param(
        edit_yaml(QUIZ1, q(1, lambda x: x["choices"][0].pop("id"))),
        QUIZ1,
        "questions[1].choices[0].id",
        "missing",
        id="choice-id-missing",
    ),
    pytest.param(
        edit_yaml(MOD2, lambda d: d.update(id="first-module")),
        MOD2,
        "id",
        'duplicate module id "first-module" (first used in 01-first/module.yaml)',
        id="duplicate-module-id",
    ),
    pytest.param(
        edit_text(LESSON3, "id: sm-why-water", "id: fm-why-sleep"),
        LESSON3,
        "id",
        'duplicate lesson id "fm-why-sleep"',
        id="duplicate-lesson-id",
    ),
    pytest.param(
        edit_yaml(QUIZ2, q(1, lambda x: x.update(id="fm-nap"))),
        QUIZ2,
        "questions[1].id",
        'duplicate question id "fm-nap" (first used in 01-first/quiz.yaml)',
        id="duplicate-question-id-across-modules",
    ),
    pytest.param(
        edit_yaml(QUIZ1, q(5, lambda x: x.update(id="fm-hours"))),
        QUIZ1,
        "questions[5].id",
        'duplicate question id "fm-hours"',
        id="duplicate-question-id-in-quiz",
    ),
    pytest.param(
        edit_yaml(QUIZ1, q(1, lambda x: x["choices"][2].update(id="a"))),
        QUIZ1,
        "questions[1].choices[2].id",
        'duplicate choice id "a"',
        id="duplicate-choice-id",
    ),
    pytest.param(
        edit_yaml(MYTHS, lambda d: d[1].update(id="naps-replace-sleep")),
        MYTHS,
        "[1].id",
        'duplicate misconception id "naps-replace-sleep"',
        id="duplicate-misconception-id",
    ),
    # prerequisites
    pytest.param(
        edit_yaml(MOD2, lambda d: d.update(prerequisites=["first-module", "third"])),
        MOD2,
        "prerequisites[1]",
        'unknown module "third"',
        id="unknown-prerequisite",
    ),
    pytest.param(
        edit_yaml(MOD1, lambda d: d.update(prerequisites=["second-module"])),
        MOD1,
        "prerequisites",
        "cycle first-module → second-module → first-module",
        id="prerequisite-cycle",
    ),
    pytest.param(
        edit_yaml(MOD1, lambda d: d.update(prerequisites=["first-module"])),
        MOD1,
        "prerequisites",
        "cycle first-module → first-module",
        id="prerequisite-self",
    ),
    # answer keys per question type
    pytest.param(
        edit_yaml(QUIZ1, q(1, lambda x: x["choices"][0].update(correct=True))),
        QUIZ1,
        "questions[1].choices",
        "exactly 1 correct choice, not 2",
        id="single-two-correct",
    ),
    pytest.param(
        edit_yaml(QUIZ1, q(1, lambda x: x["choices"][1].update(correct=False))),
        QUIZ1,
        "questions[1].choices",
        "exactly 1 correct choice, not 0",
        id="single-none-correct",
    ),
    pytest.param(
        edit_yaml(QUIZ1, q(1, lambda x: x["choices"].pop(2))),
        QUIZ1,
        "questions[1].choices",
        "3–5 choices, not 2",
        id="single-two-choices",
    ),
    pytest.param(
        edit_yaml(QUIZ1, q(3, lambda x: x["choices"][0].update(id="yes"))),
        QUIZ1,
        "questions[3].choices",
        "exactly two choices, with ids true and false",
        id="true-false-ids",
    ),
    pytest.param(
        edit_yaml(QUIZ1, q(3, lambda x: x["choices"].append(dict(x["choices"][1], id="maybe")))),
        QUIZ1,
        "questions[3].choices",
        "exactly two choices",
        id="true-false-three-choices",
    ),
    pytest.param(
        edit_yaml(QUIZ1, q(3, lambda x: x["choices"][1].update(correct=True))),
        QUIZ1,
        "questions[3].choices",
        "true_false question needs exactly 1 correct choice, not 2",
        id="true-false-both-correct",
    ),
    pytest.param(
        edit_yaml(QUIZ1, q(2, lambda x: x["choices"][1].update(correct=False))),
        QUIZ1,
        "questions[2].choices",
        "2 or more correct choices and at least 1 wrong one (1 of 3",
        id="multiple-one-correct",
    ),
    pytest.param(
        edit_yaml(QUIZ1, q(2, lambda x: x["choices"][2].update(correct=True))),
        QUIZ1,
        "questions[2].choices",
        "(3 of 3 are correct)",
        id="multiple-all-correct",
    ),
    pytest.param(
        edit_yaml(QUIZ1, q(2, lambda x: x.update(prompt="Which make a bedroom better?"))),
        QUIZ1,
        "questions[2].prompt",
        '"Choose all that apply."',
        id="multiple-prompt",
    ),
    pytest.param(
        edit_yaml(QUIZ1, q(1, lambda x: x.update(type="essay"))),
        QUIZ1,
        "questions[1].type",
        '"essay" is not one of single, multiple, true_false',
        id="unknown-type",
    ),
    pytest.param(
        edit_yaml(QUIZ1, q(1, lambda x: x["choices"][2].update(text="All of the above."))),
        QUIZ1,
        "questions[1].choices[2].text",
        "of the above",
        id="all-of-the-above",
    ),
    # misconceptions
    pytest.param(
        edit_yaml(QUIZ1, q(0, lambda x: x["choices"][0].update(misconception="naps-replace-sleep"))),
        QUIZ1,
        "questions[0].choices[0].misconception",
        "a correct choice cannot carry a misconception",
        id="misconception-on-correct",
    ),
    pytest.param(
        edit_yaml(QUIZ1, q(0, lambda x: x["choices"][1].update(misconception="no-such-myth"))),
        QUIZ1,
        "questions[0].choices[1].misconception",
        'unknown misconception "no-such-myth"',
        id="unknown-misconception-choice",
    ),
    pytest.param(
        edit_text(LESSON1, "corrects: [naps-replace-sleep]", "corrects: [naps-replace-sleep, no-such-myth]"),
        LESSON1,
        "corrects[1]",
        'unknown misconception "no-such-myth"',
        id="unknown-misconception-corrects",
    ),
    pytest.param(
        edit_text(LESSON1, "corrects: [naps-replace-sleep]\n", ""),
        MYTHS,
        "[0].correction",
        'correction "naps-replace-sleep" is not in any lesson\'s corrects',
        id="correction-not-taught",
    ),
    pytest.param(
        edit_yaml(QUIZ1, q(0, lambda x: x["choices"][1].pop("misconception"))),
        MYTHS,
        "[0].correction",
        'correction "naps-replace-sleep" is not tagged on any quiz choice',
        id="correction-not-tagged",
    ),
    # lessons: summary, headings, minutes, reading level
    pytest.param(
        edit_text(LESSON1, "## Summary", "## In short"),
        LESSON1,
        "body",
        'the last section must be "## Summary"',
        id="summary-missing",
    ),
    pytest.param(
        lambda t: (t / LESSON1).write_text((t / LESSON1).read_text() + "\n## More\n\nSome more text.\n"),
        LESSON1,
        "body",
        'the last section must be "## Summary"',
        id="summary-not-last",
    ),
    pytest.param(
        edit_text(LESSON1, "## What sleep does", "# What sleep does"),
        LESSON1,
        "body (line 12)",
        "use ## for sections",
        id="h1-in-body",
    ),
    pytest.param(
        edit_text(LESSON1, "minutes: 5", "minutes: 12"),
        LESSON1,
        "minutes",
        "12 is outside 5–10",
        id="minutes-outside-range",
    ),
    pytest.param(
        edit_text(LESSON1, "minutes: 5", "minutes: 9"),
        LESSON1,
        "minutes",
        "9 does not fit 484 words (about 3.2 minutes",
        id="minutes-far-from-words",
    ),
    pytest.param(lambda t: hard_lesson(t), LESSON1, "body", "Flesch-Kincaid grade", id="reading-level"),
    # sizes
    pytest.param(
        edit_yaml(QUIZ1, lambda d: d["questions"].pop(5)),
        QUIZ1,
        "questions",
        "9 questions; a quiz needs 10–15",
        id="quiz-too-small",
    ),
    pytest.param(
        edit_yaml(
            QUIZ1, lambda d: d["questions"].extend(dict(d["questions"][5], id=f"fm-extra-{i}") for i in range(6))
        ),
        QUIZ1,
        "questions",
        "16 questions; a quiz needs 10–15",
        id="quiz-too-big",
    ),
    pytest.param(
        edit_yaml(PRETEST1, lambda d: d["questions"].pop()),
        PRETEST1,
        "questions",
        "4 questions; a pretest needs 5–8",
        id="pretest-too-small",
    ),
    pytest.param(
        edit_yaml(PRETEST1, lambda d: d["questions"].extend(["fm-screens", "fm-routine", "fm-coffee", "fm-awake"])),
        PRETEST1,
        "questions",
        "9 questions; a pretest needs 5–8",
        id="pretest-too-big",
    ),
    pytest.param(
        edit_yaml(PRETEST1, lambda d: d["questions"].__setitem__(4, "sm-thirst")),
        PRETEST1,
        "questions[4]",
        '"sm-thirst" is not a question in quiz.yaml',
        id="pretest-id-not-in-quiz",
    ),
    pytest.param(
        edit_yaml(PRETEST1, lambda d: d["questions"].__setitem__(4, "fm-nap")),
        PRETEST1,
        "questions[4]",
        '"fm-nap" is listed twice',
        id="pretest-id-twice",
    ),
    # stigmatizing terms, wherever a learner reads them
    pytest.param(
        edit_text(LESSON1, "title: Why we sleep", "title: Why addicts sleep badly"),
        LESSON1,
        "title",
        'stigmatizing term "addict"',
        id="term-lesson-title",
    ),
    pytest.param(
        edit_text(LESSON1, "main_message: Sleep is", "main_message: For drug users, sleep is"),
        LESSON1,
        "main_message",
        'stigmatizing term "drug user"',
        id="term-main-message",
    ),
    pytest.param(
        edit_text(LESSON1, "Sleep is a time of rest.", "Sleep is a time of rest for every junkie."),
        LESSON1,
        "body (line 14)",
        'stigmatizing term "junkie"',
        id="term-body",
    ),
    pytest.param(
        edit_text(LESSON1, "- Most adults need", "- She stays clean. Most adults need"),
        LESSON1,
        "body (line 53)",
        'stigmatizing term "clean"',
        id="term-body-clean-person",
    ),
    pytest.param(
        edit_yaml(QUIZ1, q(1, lambda x: x.update(prompt="How much sleep do heroin users need?"))),
        QUIZ1,
        "questions[1].prompt",
        'stigmatizing term "heroin user"',
        id="term-prompt",
    ),
    pytest.param(
        edit_yaml(QUIZ1, q(1, lambda x: x["choices"][0].update(text="Substance abuse."))),
        QUIZ1,
        "questions[1].choices[0].text",
        'stigmatizing term "substance abuse"',
        id="term-choice-text",
    ),
    pytest.param(
        edit_yaml(QUIZ1, q(1, lambda x: x["choices"][0].update(feedback="Not for an abuser."))),
        QUIZ1,
        "questions[1].choices[0].feedback",
        'stigmatizing term "abuser"',
        id="term-feedback",
    ),
    pytest.param(
        edit_yaml(QUIZ1, q(1, lambda x: x.update(explanation="People on MAT need sleep too."))),
        QUIZ1,
        "questions[1].explanation",
        'stigmatizing term "MAT"',
        id="term-explanation",
    ),
    pytest.param(
        edit_yaml(QUIZ1, q(3, lambda x: x.update(prompt="True or false? A clean test helps sleep."))),
        QUIZ1,
        "questions[3].prompt",
        'stigmatizing term "clean"',
        id="term-clean-test",
    ),
    pytest.param(
        edit_yaml(MOD1, lambda d: d.update(summary="Sleep on replacement therapy.")),
        MOD1,
        "summary",
        'stigmatizing term "replacement therapy"',
        id="term-module-summary",
    ),
    pytest.param(
        edit_yaml(MYTHS, lambda d: d[1].update(fact="Drink water on substitution therapy.")),
        MYTHS,
        "[1].fact",
        'stigmatizing term "substitution therapy"',
        id="term-misconception",
    ),
    pytest.param(
        edit_yaml(QUIZ2, q(1, lambda x: x.update(revisits="no-such-question"))),
        QUIZ2,
        "questions[1].revisits",
        'unknown question "no-such-question"',
        id="revisits-unknown",
    ),
    pytest.param(
        edit_yaml(QUIZ1, q(1, lambda x: x.update(revisits="sm-thirst"))),
        QUIZ1,
        "questions[1].revisits",
        '"fm-hours" revisits "sm-thirst", which does not come before it',
        id="revisits-later",
    ),
    # quoting on purpose
    pytest.param(
        edit_text(LESSON1, "Sleep is a time of rest.", 'The word "addict" is unkind.'),
        LESSON1,
        "body (line 14)",
        "add it to quoted_terms",
        id="quoted-but-not-listed",
    ),
    pytest.param(
        edit_text(LESSON1, "corrects:", "quoted_terms: [banana]\ncorrects:"),
        LESSON1,
        "quoted_terms[0]",
        '"banana" is not one of the stigmatizing terms',
        id="quoted-terms-unknown",
    ),
]


@pytest.mark.parametrize(("mutate", "file", "field", "fragment"), BROKEN)
def test_each_broken_case_is_reported(tree, mutate, file, field, fragment):
    mutate(tree)
    report = check_course(tree)
    assert not report.ok
    assert_problem(report.errors, file, field, fragment)


def quote_lesson(tree: Path, header: str, sentence: str) -> CheckReport:
    edit_text(LESSON1, "corrects:", header + "\ncorrects:")(tree)
    edit_text(LESSON1, "Sleep is a time of rest.", sentence)(tree)
    return check_course(tree)


def test_a_listed_term_inside_double_quotes_is_allowed(tree):
    report = quote_lesson(tree, "quoted_terms: [addicts, MAT]", 'Say "person with OUD," not "addict." Avoid “MAT”.')
    assert report.errors == []


def test_a_listed_term_outside_quotes_still_fails(tree):
    report = quote_lesson(tree, "quoted_terms: [addict]", 'The word "addict" hurts. Never call her an addict.')
    assert [p.message for p in report.errors] == [
        'stigmatizing term "addict" in «…hurts. Never call her an addict. Your body slows down. Your…»: '
        "it is in quoted_terms, so use it only inside double quotes"
    ]


def test_an_unquoted_term_points_the_writer_to_the_rules(tree):
    report = quote_lesson(tree, "quoted_terms: []", "Never call her an addict.")
    assert [p.message for p in report.errors] == [
        'stigmatizing term "addict" in «Never call her an addict. Your body slows down. Your…»: '
        "use person-first words (docs/writing-content.md)"
    ]


def test_a_question_may_quote_a_listed_term(tree):
    edit_yaml(QUIZ1, q(1, lambda x: x.update(prompt='Is "junkie" a kind word?', quoted_terms=["junkie"])))(tree)
    assert check_course(tree).errors == []
    edit_yaml(QUIZ1, q(1, lambda x: x.update(quoted_terms=[])))(tree)
    assert_problem(check_course(tree).errors, QUIZ1, "questions[1].prompt", "add it to quoted_terms")


def test_source_fields_and_agency_names_are_not_flagged(tree):
    edit_text(LESSON1, '  - "Fixture', '  - "National Institute on Drug Abuse. MAT Act. 2023."\n  - "Fixture')(tree)
    edit_yaml(QUIZ1, q(1, lambda x: x.update(source="SAMHSA. Substance abuse treatment. 2020.")))(tree)
    edit_yaml(MYTHS, lambda d: d[0].update(source="Drug abuse review. 2020."))(tree)
    edit_text(
        LESSON1,
        "Sleep is a time of rest.",
        "The National Institute on Drug Abuse and the Substance Abuse and Mental Health Services Administration agree.",
    )(tree)
    assert check_course(tree).errors == []


@pytest.mark.parametrize(
    "text",
    [
        "She is an addict.",
        "Addicts need help.",
        "a junky",
        "junkies",
        "drug-users",
        "IV drug user",
        "heroin users",
        "opioid user",
        "drug abuse",
        "Substance Abuse",
        "abusers",
        "on MAT",
        "replacement therapies",
        "substitution therapy",
        "stay clean",
        "clean test",
        "she is clean",
        "dirty urine",
        "He has been clean for a year.",
        "a clean urine test",
        "Is she clean? Her needles are new.",
    ],
)
def test_stigmatizing_terms_are_found(text):
    assert len(stigmatizing_terms(text)) == 1


@pytest.mark.parametrize(
    "text",
    [
        "clean needles",
        "Use clean, new syringes.",
        "clean supplies and clean water",
        "dirty equipment",
        "Keep your works clean.",
        "Wash your hands and clean the skin.",
        "clean cottons and filters",
        "addiction",
        "addicted",
        "an addictive drug",
        "abuse of power",
        "a yoga mat",
        "Mat said hello.",
        "a person who uses drugs",
        "National Institute on Drug Abuse",
    ],
)
def test_allowed_words_are_not_flagged(text):
    assert stigmatizing_terms(text) == []


def test_canonical_term_names_what_quoted_terms_may_list():
    assert canonical_term("Addicts") == "addict"
    assert canonical_term("mat") == "MAT"
    assert canonical_term("drug users") == "drug user"
    assert canonical_term("banana") is None


def test_smog_above_9_is_a_warning(tree):
    hard_lesson(tree)
    report = check_course(tree)
    assert_problem(report.warnings, LESSON1, "body", "SMOG grade")
    assert CheckReport(warnings=report.warnings).ok


def test_myth_feedback_that_does_not_say_myth_is_an_error(tree):
    edit_yaml(QUIZ1, q(0, lambda x: x["choices"][1].update(feedback="Not so. A mythical nap is short.")))(tree)
    report = check_course(tree)
    assert [str(p) for p in report.errors] == [
        '01-first/quiz.yaml: questions[0].choices[1].feedback: "fm-nap": feedback on a choice tagged '
        '"naps-replace-sleep" must name it as a myth (the word "myth")'
    ]
    edit_yaml(QUIZ1, q(0, lambda x: x["choices"][1].update(feedback="Not so. That is a Myth.")))(tree)
    assert check_course(tree).errors == []


def test_a_wrong_choice_called_a_myth_must_carry_its_myth_tag(tree):
    edit_yaml(QUIZ1, q(0, lambda x: x["choices"][2].update(feedback="That is a myth. A nap can help.")))(tree)
    assert [str(p) for p in check_course(tree).errors] == [
        '01-first/quiz.yaml: questions[0].choices[2].misconception: "fm-nap": the feedback calls this choice '
        "a myth; tag it with the misconception it reveals"
    ]
    edit_yaml(QUIZ1, q(0, lambda x: x["choices"][2].update(misconception="naps-replace-sleep")))(tree)
    assert check_course(tree).errors == []


def test_all_problems_are_collected_not_just_the_first(tree):
    edit_yaml(QUIZ1, q(4, lambda x: x["choices"][2].pop("feedback")))(tree)
    edit_yaml(MOD2, lambda d: d.update(prerequisites=["third"]))(tree)
    edit_text(LESSON3, "minutes: 5", "minutes: 12")(tree)
    errors = check_course(tree).errors
    assert_problem(errors, QUIZ1, "questions[4].choices[2].feedback", "missing")
    assert_problem(errors, MOD2, "prerequisites[0]", 'unknown module "third"')
    assert_problem(errors, LESSON3, "minutes", "12 is outside 5–10")


def test_start_up_refuses_structural_problems_only(tree):
    edit_yaml(QUIZ1, lambda d: d["questions"].pop(5))(tree)  # editorial: the quiz is one short
    assert len(load_course(tree).module("first-module").quiz) == 9
    edit_yaml(QUIZ1, q(1, lambda x: x["choices"][0].update(correct=True)))(tree)
    with pytest.raises(ContentError, match=r"01-first/quiz.yaml: questions\[1\].choices: a single question"):
        load_course(tree)


def cli_app(content_dir: Path) -> Flask:
    app = Flask(__name__)
    app.config["CONTENT_DIR"] = str(content_dir)
    app.cli.add_command(content_cli)
    return app


def test_cli_check_prints_levels_and_exits_0_on_good_content():
    result = cli_app(GOOD).test_cli_runner().invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["module", "lesson", "FK", "SMOG", "words", "minutes"]
    assert lines[1].split() == ["first-module", "fm-why-sleep", "1.2", "4.6", "484", "5"]
    assert lines[-1] == "0 errors, 0 warnings, 3 lessons, 2 quizzes"
    quizzes = lines.index(next(line for line in lines if line.startswith("module  ") and "chance" in line))
    assert lines[quizzes].split() == [
        "module",
        "items",
        "chance",
        "longest",
        "no",
        "absolutes",
        "odd",
        "one",
        "out",
        "key",
        "longest",
        "FK",
        "SMOG",
    ]
    assert lines[quizzes + 1].split() == [
        "first-module",
        "8",
        "(+2",
        "multi)",
        "0.38",
        "0.38",
        "0.46",
        "0.38",
        "3",
        "(3.0)",
        "1.7",
        "4.4",
    ]


def test_cli_check_lists_errors_and_exits_1(tree):
    edit_yaml(QUIZ1, q(4, lambda x: x["choices"][2].pop("feedback")))(tree)
    result = cli_app(tree).test_cli_runner().invoke(args=["content", "check"])
    assert result.exit_code == 1
    assert "ERROR: 01-first/quiz.yaml: questions[4].choices[2].feedback: missing" in result.output
    assert result.output.splitlines()[-1] == "1 errors, 0 warnings, 3 lessons, 2 quizzes"


def test_cli_check_through_create_app(tree):
    from course import create_app

    app = create_app(
        {"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://", "CONTENT_DIR": str(GOOD)}
    )
    assert app.test_cli_runner().invoke(args=["content", "check"]).exit_code == 0
    # The command reads CONTENT_DIR afresh, so it reports content the app would refuse.
    edit_yaml(MOD1, lambda d: d.update(prerequisites=["second-module"]))(tree)
    app.config["CONTENT_DIR"] = str(tree)
    result = app.test_cli_runner().invoke(args=["content", "check"])
    assert result.exit_code == 1
    assert (
        "ERROR: 01-first/module.yaml: prerequisites: cycle first-module → second-module → first-module" in result.output
    )
