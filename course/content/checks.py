"""The content check: the rules that tie files together, then the writing rules.

Structural problems (ids, references, answer keys) make the content unusable, so
`load_course` refuses it and the app does not start. Editorial problems (reading
level, minutes, words, quiz sizes, corrections taught, the quiz rules of
quiz_rules.py) fail `check_course`, which
the tests and `flask content check` run, but not start-up.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path

from .editorial import LessonLevel, editorial_problems
from .fields import ContentError, Problem
from .loader import read_course
from .model import Course, Question
from .question_types import QUESTION_TYPES
from .quiz_rules import QuizLevel, quiz_problems
from .translations import TranslatedLevel, check_translations, with_translations


@dataclass
class CheckReport:
    """Everything the check found: errors fail it, warnings do not."""

    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    lesson_levels: list[LessonLevel] = field(default_factory=list)
    quiz_levels: list[QuizLevel] = field(default_factory=list)
    # The course as read, with its other languages, whatever its problems (callers need not read it again).
    course: Course | None = None
    # Each translated lesson's reading level, measured for its language.
    translated_levels: list[TranslatedLevel] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when there is no error."""
        return not self.errors


def check_course(content_dir: str | Path) -> CheckReport:
    """Read CONTENT_DIR and run every check, collecting all problems."""
    course, errors = read_course(content_dir)
    errors += structural_problems(course)
    translations = check_translations(Path(content_dir), course)
    errors += translations.problems
    more_errors, warnings, levels = editorial_problems(course)
    quiz_errors, quiz_levels = quiz_problems(course)
    # A stable sort by file groups each file's problems and keeps them in reading order.
    by_file = attrgetter("file")
    return CheckReport(
        sorted(errors + more_errors + quiz_errors, key=by_file),
        sorted(warnings, key=by_file),
        levels,
        quiz_levels,
        translations.course,
        translations.levels,
    )


def load_course(content_dir: str | Path) -> Course:
    """Read CONTENT_DIR into a Course with its other languages; raises ContentError naming every structural problem."""
    course, problems = read_course(content_dir)
    problems += structural_problems(course)
    if problems:
        raise ContentError(problems)
    return with_translations(Path(content_dir), course)


def _ids(course: Course) -> list[tuple[str, str, str]]:
    """(kind, id, file) of every id a record or a lookup can name."""
    ids = [("misconception", m.id, m.origin.file) for m in course.misconceptions.values()]
    for module in course.modules:
        ids.append(("module", module.id, f"{module.folder}/module.yaml"))
        ids += [("lesson", lesson.id, lesson.origin.file) for lesson in module.lessons]
        ids += [("question", q.id, q.origin.file) for q in module.quiz.questions]
    return ids


def clashes_with(course: Course, others: Iterable[Course]) -> list[Problem]:
    """The course's id and every module, lesson, question and misconception id another course already uses.

    Records name content by id alone, so ids must be unique across the courses one
    installation serves (model.Library).
    """
    problems: list[Problem] = []
    taken: dict[tuple[str, str], Course] = {}
    for other in others:
        if other.id == course.id:
            problems.append(Problem("course.yaml", "id", f'course id "{course.id}" is already used by another course'))
        taken.update({(kind, item_id): other for kind, item_id, _ in _ids(other)})
    for kind, item_id, file in _ids(course):
        owner = taken.get((kind, item_id))
        if owner is not None:
            problems.append(Problem(file, "id", f'{kind} id "{item_id}" is already used by the course "{owner.title}"'))
    return problems


def structural_problems(course: Course) -> list[Problem]:
    """Duplicate ids, unknown references, prerequisite cycles and wrong answer keys."""
    problems = _duplicate_ids(course) + _prerequisite_problems(course)
    for module in course.modules:
        for lesson in module.lessons:
            problems += [
                lesson.origin.problem(f'unknown misconception "{myth}"', f"corrects[{i}]")
                for i, myth in enumerate(lesson.corrects)
                if myth not in course.misconceptions
            ]
        for question in module.quiz.questions:
            problems += question_problems(question, course)
    return problems


def _duplicate_ids(course: Course) -> list[Problem]:
    first: dict[tuple[str, str], str] = {}
    problems = []
    places = [("module", m.id, f"{m.folder}/module.yaml", "id") for m in course.modules]
    places += [("lesson", lesson.id, lesson.origin.file, "id") for m in course.modules for lesson in m.lessons]
    places += [
        ("question", q.id, q.origin.file, f"{q.origin.field}.id") for m in course.modules for q in m.quiz.questions
    ]
    for kind, item_id, file, where in places:
        if not item_id:
            continue  # the loader has reported it missing
        if (kind, item_id) in first:
            message = f'duplicate {kind} id "{item_id}" (first used in {first[kind, item_id]})'
            problems.append(Problem(file, where, message))
        else:
            first[kind, item_id] = file
    return problems


def _prerequisite_problems(course: Course) -> list[Problem]:
    problems = []
    for module in course.modules:
        for i, prerequisite in enumerate(module.prerequisites):
            if course.module(prerequisite) is None:
                problems.append(
                    Problem(f"{module.folder}/module.yaml", f"prerequisites[{i}]", f'unknown module "{prerequisite}"')
                )
    reported: set[frozenset[str]] = set()
    for cycle in _cycles(course):
        if frozenset(cycle) not in reported:
            reported.add(frozenset(cycle))
            folder = course.modules_by_id[cycle[0]].folder
            problems.append(Problem(f"{folder}/module.yaml", "prerequisites", "cycle " + " → ".join(cycle)))
    return problems


def _cycles(course: Course) -> list[list[str]]:
    """Each prerequisite cycle as a path that starts and ends at the same module id."""
    cycles, done = [], set()

    def visit(module_id: str, path: list[str]) -> None:
        if module_id in path:
            cycles.append(path[path.index(module_id) :] + [module_id])
            return
        module = course.module(module_id)
        if module_id in done or module is None:
            return
        for prerequisite in module.prerequisites:
            visit(prerequisite, path + [module_id])
        done.add(module_id)

    for module in course.modules:
        visit(module.id, [])
    return cycles


def question_problems(question: Question, course: Course) -> list[Problem]:
    """The answer-key rules for one question's type, and its choices' misconceptions."""
    at, choices = question.origin.problem, question.choices
    ids = [c.id for c in choices]
    problems = [
        at(f'duplicate choice id "{cid}"', f"choices[{j}].id") for j, cid in enumerate(ids) if cid and cid in ids[:j]
    ]
    kind = QUESTION_TYPES.get(question.type)
    if kind is not None:
        problems += [at(message, where) for message, where in kind.key_problems(question)]
    elif question.type:
        problems.append(at(f'"{question.type}" is not one of {", ".join(QUESTION_TYPES)}', "type"))
    if question.revisits and course.question(question.revisits) is None:
        problems.append(at(f'unknown question "{question.revisits}"', "revisits"))
    for j, choice in enumerate(choices):
        if choice.misconception and choice.correct:
            problems.append(at("a correct choice cannot carry a misconception", f"choices[{j}].misconception"))
        elif choice.misconception and choice.misconception not in course.misconceptions:
            problems.append(at(f'unknown misconception "{choice.misconception}"', f"choices[{j}].misconception"))
        if "of the above" in choice.text.lower():
            problems.append(at('no "all/none of the above" choices', f"choices[{j}].text"))
    return problems
