"""The writing rules of docs/writing-content.md that a program can check.

Reading level, lesson length, the closing summary, quiz and pre-test sizes,
stigmatizing terms, and that every required correction is both taught and
tested. These fail `flask content check` and the tests, not start-up.
"""

from __future__ import annotations

from dataclasses import dataclass

from markdown_it import MarkdownIt

from .fields import Origin, Problem
from .language import canonical_term, stigmatizing_terms
from .model import Course, Lesson, Module, Question
from .readability import reading_level

QUIZ_SIZE, PRETEST_SIZE, LESSON_MINUTES = (10, 15), (5, 8), (5, 10)
WORDS_PER_MINUTE, MINUTES_SLACK = 150, 2
MAX_FLESCH_KINCAID, MAX_SMOG = 8, 9
_parser = MarkdownIt("commonmark", {"html": False}).enable("table")


@dataclass(frozen=True, slots=True)
class LessonLevel:
    """One lesson's measured reading level and length, for the check's table."""

    module_id: str
    lesson_id: str
    flesch_kincaid: float
    smog: float
    words: int
    minutes: int


def editorial_problems(course: Course) -> tuple[list[Problem], list[Problem], list[LessonLevel]]:
    """Errors, warnings and reading levels for the whole course."""
    errors: list[Problem] = []
    warnings: list[Problem] = []
    levels: list[LessonLevel] = []
    for module in course.modules:
        errors += module_problems(module)
        for lesson in module.lessons:
            level = reading_level(lesson.markdown)
            levels.append(
                LessonLevel(module.id, lesson.id, level.flesch_kincaid, level.smog, level.words, lesson.minutes)
            )
            errors += lesson_problems(lesson, level.flesch_kincaid, level.words)
            if level.smog > MAX_SMOG:
                warnings.append(lesson.origin.problem(f"SMOG grade {level.smog} is above {MAX_SMOG}", "body"))
        for question in module.quiz.questions:
            errors += question_language(question)
    for entry in course.misconceptions.values():
        errors += _language(entry.origin, {"myth": entry.myth, "fact": entry.fact})
    return errors + correction_problems(course), warnings, levels


def module_problems(module: Module) -> list[Problem]:
    """Quiz and pre-test sizes, and the language of the module's own texts."""
    texts = {"title": module.title, "summary": module.summary}
    texts |= {f"objectives[{i}]": text for i, text in enumerate(module.objectives)}
    problems = _language(Origin(f"{module.folder}/module.yaml"), texts)
    for name, quiz, (low, high) in (("quiz", module.quiz, QUIZ_SIZE), ("pretest", module.pretest, PRETEST_SIZE)):
        # An empty quiz has already been reported by the loader.
        if quiz.questions and not low <= len(quiz) <= high:
            problems.append(
                Problem(
                    f"{module.folder}/{name}.yaml", "questions", f"{len(quiz)} questions; a {name} needs {low}–{high}"
                )
            )
    return problems


def lesson_problems(lesson: Lesson, flesch_kincaid: float, words: int) -> list[Problem]:
    """Minutes, reading level, headings, summary and language of one lesson."""
    at, errors = lesson.origin.problem, []
    low, high = LESSON_MINUTES
    if not low <= lesson.minutes <= high:
        errors.append(at(f"{lesson.minutes} is outside {low}–{high}", "minutes"))
    if abs(lesson.minutes - words / WORDS_PER_MINUTE) > MINUTES_SLACK:
        errors.append(
            at(
                f"{lesson.minutes} does not fit {words} words (about {words / WORDS_PER_MINUTE:.1f} "
                f"minutes at {WORDS_PER_MINUTE} words a minute; allowed ±{MINUTES_SLACK})",
                "minutes",
            )
        )
    if flesch_kincaid > MAX_FLESCH_KINCAID:
        errors.append(at(f"Flesch-Kincaid grade {flesch_kincaid} is above {MAX_FLESCH_KINCAID}", "body"))
    texts = {"title": lesson.title, "main_message": lesson.main_message}
    return errors + _language(lesson.origin, texts, lesson.quoted_terms) + _body_problems(lesson)


def _body_problems(lesson: Lesson) -> list[Problem]:
    tokens = _parser.parse(lesson.markdown)
    problems, last_h2 = [], None
    for i, token in enumerate(tokens):
        where = f"body (line {lesson.body_line + token.map[0]})" if token.map else "body"
        if token.type == "heading_open" and token.tag == "h1":
            message = "use ## for sections; the lesson title is the only # heading"
            problems.append(lesson.origin.problem(message, where))
        elif token.type == "heading_open" and token.tag == "h2":
            last_h2 = (tokens[i + 1].content.strip().lower(), i)
        elif token.type in ("inline", "fence", "code_block"):
            found = stigmatizing_terms(token.content, lesson.quoted_terms)
            problems += [lesson.origin.problem(message, where) for message in found]
    if last_h2 is None or last_h2[0] != "summary":
        problems.append(lesson.origin.problem('the last section must be "## Summary"', "body"))
    elif not any(t.type == "inline" for t in tokens[last_h2[1] + 3 :]):
        problems.append(lesson.origin.problem('the "## Summary" section is empty', "body"))
    return problems + _quoted_term_problems(lesson.origin, lesson.quoted_terms)


def question_language(question: Question) -> list[Problem]:
    """Stigmatizing terms in a question's prompt, explanation, choices and feedback."""
    texts = {"prompt": question.prompt, "explanation": question.explanation}
    for j, choice in enumerate(question.choices):
        texts |= {f"choices[{j}].text": choice.text, f"choices[{j}].feedback": choice.feedback}
    problems = _language(question.origin, texts, question.quoted_terms)
    return problems + _quoted_term_problems(question.origin, question.quoted_terms)


def correction_problems(course: Course) -> list[Problem]:
    """Every `correction: true` misconception must be taught by a lesson and tagged on a quiz choice."""
    taught = {m for module in course.modules for lesson in module.lessons for m in lesson.corrects}
    tagged = {c.misconception for module in course.modules for q in module.quiz.questions for c in q.choices}
    problems = []
    for entry in (e for e in course.misconceptions.values() if e.correction):
        if entry.id not in taught:
            problems.append(
                entry.origin.problem(f'correction "{entry.id}" is not in any lesson\'s corrects', "correction")
            )
        if entry.id not in tagged:
            problems.append(
                entry.origin.problem(f'correction "{entry.id}" is not tagged on any quiz choice', "correction")
            )
    return problems


def _language(origin: Origin, texts: dict[str, str], quoted_terms: tuple[str, ...] = ()) -> list[Problem]:
    return [
        origin.problem(message, key)
        for key, text in texts.items()
        for message in stigmatizing_terms(text, quoted_terms)
    ]


def _quoted_term_problems(origin: Origin, quoted_terms: tuple[str, ...]) -> list[Problem]:
    return [
        origin.problem(f'"{term}" is not one of the stigmatizing terms', f"quoted_terms[{i}]")
        for i, term in enumerate(quoted_terms)
        if canonical_term(term) is None
    ]
