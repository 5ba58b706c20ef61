"""The course as immutable objects, built once from `modules/` by the loader.

Objects keep ids, not references to their parents, so there are no cycles; the
parent's helpers (`Module.next_lesson`, `Course.module`) walk the tree instead.
`origin` says which file (relative to CONTENT_DIR) and field an object came
from, so a later check can name them; it takes no part in equality.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from .fields import Origin

_NOWHERE = Origin("")


@dataclass(frozen=True, slots=True)
class Misconception:
    """A common myth that a wrong quiz choice can reveal, with the fact that corrects it."""

    id: str
    myth: str
    fact: str
    source: str
    correction: bool = False
    origin: Origin = field(default=_NOWHERE, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Choice:
    """One answer to a question, with the feedback shown when it is picked."""

    id: str
    text: str
    correct: bool
    feedback: str
    misconception: str | None = None


@dataclass(frozen=True, slots=True)
class Question:
    """A quiz question: single answer, several answers, or true/false."""

    id: str
    module_id: str
    type: str
    prompt: str
    choices: tuple[Choice, ...]
    explanation: str
    source: str
    quoted_terms: tuple[str, ...] = ()
    # The id of an earlier question that this one revisits on purpose (not a near-duplicate).
    revisits: str | None = None
    origin: Origin = field(default=_NOWHERE, compare=False, repr=False)

    @property
    def correct_ids(self) -> frozenset[str]:
        """The ids of the correct choices."""
        return frozenset(c.id for c in self.choices if c.correct)

    def choice(self, choice_id: str) -> Choice | None:
        """The choice with this id, or None."""
        return next((c for c in self.choices if c.id == choice_id), None)


@dataclass(frozen=True, slots=True)
class Quiz:
    """An ordered set of questions (a module's quiz or its pre-test)."""

    questions: tuple[Question, ...] = ()

    def __len__(self) -> int:
        return len(self.questions)

    def question(self, question_id: str) -> Question | None:
        """The question with this id, or None."""
        return next((q for q in self.questions if q.id == question_id), None)


@dataclass(frozen=True, slots=True)
class Lesson:
    """One lesson: its header fields, its Markdown and the HTML rendered from it once."""

    id: str
    module_id: str
    title: str
    minutes: int
    main_message: str
    last_reviewed: date | None
    sources: tuple[str, ...]
    corrects: tuple[str, ...]
    html: str
    position: int
    quoted_terms: tuple[str, ...] = ()
    # Ends with the programme's own local resources (the help page's "From your programme").
    finding_care: bool = False
    markdown: str = field(default="", repr=False)
    # Line of the file where the Markdown body starts, so a check can point at a line.
    body_line: int = field(default=1, compare=False, repr=False)
    origin: Origin = field(default=_NOWHERE, compare=False, repr=False)
    # The language of its text; a translation awaits review by a bilingual clinician until marked reviewed.
    language: str = "en"
    awaits_review: bool = False


@dataclass(frozen=True, slots=True)
class Module:
    """A module: metadata, lessons in order, the quiz and the pre-test drawn from it."""

    id: str
    folder: str
    title: str
    summary: str
    objectives: tuple[str, ...]
    prerequisites: tuple[str, ...]
    pass_mark: int
    minutes: int
    lessons: tuple[Lesson, ...]
    quiz: Quiz
    pretest: Quiz
    version: str
    # Open from the start for every learner, whatever the prerequisites or the cohort's sequence.
    always_open: bool = False
    language: str = "en"  # the language of its text (translations.py makes the others)

    def lesson(self, lesson_id: str) -> Lesson | None:
        """The lesson with this id, or None."""
        return next((item for item in self.lessons if item.id == lesson_id), None)

    def question(self, question_id: str) -> Question | None:
        """The quiz question with this id, or None."""
        return self.quiz.question(question_id)

    def previous_lesson(self, lesson: Lesson) -> Lesson | None:
        """The lesson before this one in the module, or None for the first."""
        return self.lessons[lesson.position - 2] if lesson.position > 1 else None

    def next_lesson(self, lesson: Lesson) -> Lesson | None:
        """The lesson after this one in the module, or None for the last."""
        return self.lessons[lesson.position] if lesson.position < len(self.lessons) else None


def _first_by_id(items) -> Mapping:
    by_id: dict = {}
    for item in items:
        by_id.setdefault(item.id, item)  # the check reports duplicates; lookups keep the first
    return MappingProxyType(by_id)


DEFAULT_COURSE_ID = "course"


@dataclass(frozen=True, slots=True, eq=False)
class Course:
    """One course: modules in folder order, the catalogue of misconceptions, and its course.yaml."""

    modules: tuple[Module, ...]
    misconceptions: Mapping[str, Misconception]
    id: str = DEFAULT_COURSE_ID
    title: str = "The course"
    summary: str = ""
    # The languages the course is offered in (course.yaml); the others' texts are twins (translations.py).
    languages: tuple[str, ...] = ("en",)
    # The same course in each other language offered (translations.py): same ids, structure and keys.
    translated: Mapping[str, Course] = field(default_factory=dict, compare=False, repr=False)
    modules_by_id: Mapping[str, Module] = field(init=False, repr=False)
    lessons_by_id: Mapping[str, Lesson] = field(init=False, repr=False)
    questions_by_id: Mapping[str, Question] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "misconceptions", MappingProxyType(dict(self.misconceptions)))
        object.__setattr__(self, "modules_by_id", _first_by_id(self.modules))
        object.__setattr__(self, "lessons_by_id", _first_by_id(lesson for m in self.modules for lesson in m.lessons))
        questions = (q for m in self.modules for q in m.quiz.questions)
        object.__setattr__(self, "questions_by_id", _first_by_id(questions))

    def module(self, module_id: str) -> Module | None:
        """The module with this id, or None."""
        return self.modules_by_id.get(module_id)

    def lesson(self, lesson_id: str) -> Lesson | None:
        """The lesson with this id (in any module), or None."""
        return self.lessons_by_id.get(lesson_id)

    def question(self, question_id: str) -> Question | None:
        """The quiz question with this id (in any module), or None."""
        return self.questions_by_id.get(question_id)

    def misconception(self, misconception_id: str) -> Misconception | None:
        """The catalogue entry with this id, or None."""
        return self.misconceptions.get(misconception_id)

    def translations_awaiting_review(self) -> dict[str, tuple[int, int]]:
        """Language -> (lessons awaiting a bilingual clinician's review, lessons translated), per other language."""
        status = {}
        for language, course in self.translated.items():
            lessons = [lesson for m in course.modules for lesson in m.lessons if lesson.language == language]
            status[language] = (sum(lesson.awaits_review for lesson in lessons), len(lessons))
        return status


@dataclass(frozen=True, slots=True, eq=False)
class Library(Course):
    """Every course the installation serves, seen together (the first is the built-in one).

    Records name modules, lessons and questions by id alone, so ids are unique across courses
    (checks.clashes_with) and a lookup by id spans every course; `courses` keeps each
    course apart for the pages that show them one by one.
    """

    courses: tuple[Course, ...] = ()
    # The library in each other language some course is offered in (a course without it stays English).
    by_language: Mapping[str, Library] = field(default_factory=dict, compare=False, repr=False)
    _course_of: Mapping[str, Course] = field(init=False, repr=False)

    @classmethod
    def of(cls, courses: tuple[Course, ...]) -> Library:
        """The library of these courses, modules in course order."""
        misconceptions: dict[str, Misconception] = {}
        for course in courses:
            for key, entry in course.misconceptions.items():
                misconceptions.setdefault(key, entry)
        modules = tuple(m for course in courses for m in course.modules)
        languages = sorted({language for course in courses for language in course.translated})
        by_language = {
            language: cls.of(tuple(course.translated.get(language, course) for course in courses))
            for language in languages
        }
        return cls(modules, misconceptions, id="", title="", summary="", courses=courses, by_language=by_language)

    def in_language(self, language: str) -> Library:
        """The library with every course that is offered in `language` in it; English otherwise."""
        return self.by_language.get(language, self)

    def __post_init__(self) -> None:
        super(Library, self).__post_init__()
        by_module = {m.id: course for course in self.courses for m in course.modules}
        object.__setattr__(self, "_course_of", MappingProxyType(by_module))

    @property
    def default(self) -> Course:
        """The built-in course (CONTENT_DIR)."""
        return self.courses[0]

    def course(self, course_id: str) -> Course | None:
        """The course with this id, or None."""
        return next((c for c in self.courses if c.id == course_id), None)

    def courses_with(self, module_ids: Collection[str]) -> tuple[Course, ...]:
        """The built-in course, and each other course with one of these modules (a learner's or a cohort's)."""
        return tuple(c for c in self.courses if c is self.default or any(m.id in module_ids for m in c.modules))

    def course_of(self, module_id: str) -> Course | None:
        """The course a module belongs to, or None for an unknown module."""
        return self._course_of.get(module_id)

    def module_label(self, module_id: str) -> str:
        """The module's title, with its course's when there are several courses; the id for an unknown module."""
        module, course = self.module(module_id), self.course_of(module_id)
        if module is None or course is None:
            return module_id
        return module.title if len(self.courses) == 1 else f"{module.title} ({course.title})"
