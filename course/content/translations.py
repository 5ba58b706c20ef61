"""A course in another language: each file's twin beside it, with the same ids, checked against the original
and read into the same course in that language (`with_translations`, which the app serves).

A translation lives in the same folders as the English, the language code before the extension:
`course.es.yaml`, `misconceptions.es.yaml`, `01-x/module.es.yaml`, `01-x/quiz.es.yaml`,
`01-x/lessons/01-y.es.md`. The pre-test is a list of ids and needs no twin. A course offers the
languages its course.yaml lists (`languages: [en, es]`); for each, every lesson, question, choice
and myth must have its twin with the same ids, and every choice the same myth tag, so attempts,
reports, item analysis and myths work across languages and a learner can switch mid-course.
Spanish text is checked by the Spanish rules (spanish.py). A Spanish lesson says whether a
bilingual clinician has reviewed it (`reviewed: true` in its header; false until then).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace
from pathlib import Path

from .. import locale_formats
from . import spanish
from .fields import Fields, Origin, Problem, read_yaml
from .loader import FRONT_MATTER, render_markdown
from .model import Course, Lesson, Module, Question, Quiz
from .testwise import guess_scores

log = logging.getLogger(__name__)

# The languages a course may be offered in, named in English for the check's messages.
LANGUAGE_NAMES = locale_formats.LANGUAGE_NAMES["en"]
LESSON_TEXT_FIELDS = ("id", "title", "main_message", "sources", "quoted_terms", "reviewed")
QUESTION_TEXT_FIELDS = ("id", "prompt", "choices", "explanation", "quoted_terms")
CHOICE_TEXT_FIELDS = ("id", "text", "feedback", "misconception")


@dataclass(frozen=True)
class LessonText:
    id: str
    title: str
    main_message: str
    markdown: str
    html: str
    reviewed: bool
    quoted_terms: tuple[str, ...]
    origin: Origin


@dataclass(frozen=True)
class ChoiceText:
    id: str
    text: str
    feedback: str
    misconception: str | None


@dataclass(frozen=True)
class QuestionText:
    id: str
    prompt: str
    choices: tuple[ChoiceText, ...]
    explanation: str
    quoted_terms: tuple[str, ...]
    origin: Origin


@dataclass(frozen=True)
class ModuleText:
    id: str
    title: str
    summary: str
    objectives: tuple[str, ...]
    lessons: dict[str, LessonText]  # by the English lesson's id
    questions: dict[str, QuestionText]
    origin: Origin


@dataclass(frozen=True)
class Translation:
    """Everything of one course in one language other than English, by the original's ids."""

    language: str
    modules: dict[str, ModuleText]
    myths: dict[str, tuple[str, str]]  # misconception id -> (myth, fact)
    title: str = ""
    summary: str = ""


def variant(path: Path, language: str) -> Path:
    """The twin of a file in a language: quiz.yaml -> quiz.es.yaml."""
    return path.with_name(f"{path.stem}.{language}{path.suffix}")


def read_translation(root: Path, course: Course, language: str) -> tuple[Translation, list[Problem]]:
    """Read the course's twins in `language`; a missing or mismatched twin is a Problem naming the file."""
    problems: list[Problem] = []
    modules = {m.id: _read_module(root, m, language, problems) for m in course.modules}
    myths = _read_myths(root, course, language, problems)
    f = _open(variant(root / "course.yaml", language), root, problems, ("title", "summary"))
    return Translation(language, modules, myths, f.text("title"), f.text("summary", False)), problems


def _open(path: Path, root: Path, problems: list[Problem], known: tuple[str, ...]) -> Fields:
    origin = Origin(path.relative_to(root).as_posix())
    return Fields(read_yaml(path, origin, problems), origin, problems, known)


def _read_module(root: Path, module, language: str, problems: list[Problem]) -> ModuleText:
    folder = root / module.folder
    f = _open(variant(folder / "module.yaml", language), root, problems, ("id", "title", "summary", "objectives"))
    if f.data and f.data.get("id") != module.id:
        f.fail("id", f'must be "{module.id}", the English module\'s id')
    lessons = {lesson.id: _read_lesson(root, folder, lesson, language, problems) for lesson in module.lessons}
    questions = _read_questions(root, folder, module, language, problems)
    return ModuleText(
        module.id,
        f.text("title"),
        f.text("summary"),
        f.texts("objectives", False),
        {k: v for k, v in lessons.items() if v is not None},
        questions,
        f.origin,
    )


def _read_lesson(root: Path, folder: Path, lesson, language: str, problems: list[Problem]) -> LessonText | None:
    path = variant(folder / lesson.origin.file.split("/", 1)[1], language)
    origin = Origin(path.relative_to(root).as_posix())
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        problems.append(origin.problem(f'missing: the {LANGUAGE_NAMES[language]} twin of lesson "{lesson.id}"'))
        return None
    match = FRONT_MATTER.match(text)
    if match is None:
        problems.append(origin.problem("missing YAML header between --- lines at the top of the file"))
        return None
    f = Fields(
        read_yaml(path, origin, problems, text=match.group(1), first_line=2), origin, problems, LESSON_TEXT_FIELDS
    )
    if f.data.get("id") != lesson.id:
        f.fail("id", f'must be "{lesson.id}", the English lesson\'s id')
    markdown = text[match.end() :]
    return LessonText(
        lesson.id,
        f.text("title"),
        f.text("main_message"),
        markdown,
        render_markdown(markdown),
        f.boolean("reviewed", False),
        f.texts("quoted_terms", False),
        origin,
    )


def _read_questions(root: Path, folder: Path, module, language: str, problems: list[Problem]) -> dict:
    f = _open(variant(folder / "quiz.yaml", language), root, problems, ("questions",))
    twins: dict[str, QuestionText] = {}
    for where, item in f.entries("questions") if f.data else []:
        q = Fields(item, where, problems, QUESTION_TEXT_FIELDS)
        choices = tuple(
            ChoiceText(c.slug("id"), c.text("text"), c.text("feedback"), c.slug("misconception", False) or None)
            for c in (Fields(data, at, problems, CHOICE_TEXT_FIELDS) for at, data in q.entries("choices"))
        )
        text = QuestionText(
            q.slug("id"), q.text("prompt"), choices, q.text("explanation"), q.texts("quoted_terms", False), where
        )
        twins.setdefault(text.id, text)
    for question in module.quiz.questions:
        twin = twins.get(question.id)
        if twin is None:
            problems.append(f.origin.problem(f'missing: the twin of question "{question.id}"', "questions"))
            continue
        problems += _choice_problems(question, twin)
    extra = set(twins) - {q.id for q in module.quiz.questions}
    problems += [twins[i].origin.problem(f'"{i}" is not a question of the English quiz', "id") for i in sorted(extra)]
    return twins


def _choice_problems(question, twin: QuestionText) -> list[Problem]:
    if [c.id for c in twin.choices] != [c.id for c in question.choices]:
        expected = ", ".join(c.id for c in question.choices)
        return [twin.origin.problem(f"choice ids must be the English ones, in order: {expected}", "choices")]
    return [
        twin.origin.problem(
            f'myth tag must be the English one: "{english.misconception or "none"}"', f"choices[{j}].misconception"
        )
        for j, (english, other) in enumerate(zip(question.choices, twin.choices, strict=True))
        if english.misconception != other.misconception
    ]


def _read_myths(root: Path, course: Course, language: str, problems: list[Problem]) -> dict[str, tuple[str, str]]:
    path = variant(root / "misconceptions.yaml", language)
    origin = Origin(path.relative_to(root).as_posix())
    data = read_yaml(path, origin, problems)
    myths: dict[str, tuple[str, str]] = {}
    for i, item in enumerate(data if isinstance(data, list) else []):
        f = Fields(item, origin.child(f"[{i}]"), problems, ("id", "myth", "fact"))
        myths.setdefault(f.slug("id"), (f.text("myth"), f.text("fact")))
    problems += [
        origin.problem(f'missing: the twin of myth "{myth_id}"')
        for myth_id in course.misconceptions
        if myth_id not in myths
    ]
    return myths


@dataclass(frozen=True)
class TranslatedLevel:
    """A translated lesson's reading level, measured for its language, and whether it has been reviewed."""

    module_id: str
    lesson_id: str
    level: spanish.SpanishLevel
    reviewed: bool


def language_problems(translation: Translation) -> tuple[list[Problem], list[TranslatedLevel]]:
    """Spanish text's own rules: stigmatizing terms and reading level (errors); each lesson's level as measured."""
    if translation.language != "es":
        return [], []
    errors: list[Problem] = []
    levels: list[TranslatedLevel] = []
    for module in translation.modules.values():
        for lesson in module.lessons.values():
            for field, text in (
                ("title", lesson.title),
                ("main_message", lesson.main_message),
                ("body", lesson.markdown),
            ):
                errors += [
                    lesson.origin.problem(m, field) for m in spanish.stigmatizing_terms(text, lesson.quoted_terms)
                ]
            level = spanish.spanish_level(lesson.markdown)
            levels.append(TranslatedLevel(module.id, lesson.id, level, lesson.reviewed))
            if level.fernandez_huerta < spanish.MIN_FERNANDEZ_HUERTA:
                errors.append(
                    lesson.origin.problem(
                        f"Fernández-Huerta {level.fernandez_huerta} is below {spanish.MIN_FERNANDEZ_HUERTA} "
                        f"(Szigriszt-Pazos {level.szigriszt_pazos}): shorter sentences and words",
                        "body",
                    )
                )
        for question in module.questions.values():
            texts = [question.prompt, question.explanation] + [c.text + " " + c.feedback for c in question.choices]
            errors += [
                question.origin.problem(f'"{question.id}": {m}')
                for text in texts
                for m in spanish.stigmatizing_terms(text, question.quoted_terms)
            ]
    return errors, levels


def _read_translations(root: Path, course: Course) -> tuple[list[Problem], list[Translation]]:
    """Every language the course offers besides English, read from its twins; what is missing or mismatched."""
    problems: list[Problem] = []
    translations = []
    for language in course.languages:
        if language == "en":
            continue
        if language not in LANGUAGE_NAMES:
            problems.append(Problem("course.yaml", "languages", f'"{language}" is not a language the engine knows'))
            continue
        translation, found = read_translation(root, course, language)
        problems += found
        translations.append(translation)
    return problems, translations


def _attached(course: Course, translations: list[Translation]) -> Course:
    """The course with each translation attached as `course.translated[language]`."""
    if not translations:
        return course
    return replace(course, translated={t.language: translated_course(course, t) for t in translations})


@dataclass(frozen=True)
class TranslationCheck:
    """What the check found in a course's other languages, and the course with them attached."""

    problems: list[Problem]
    levels: list[TranslatedLevel]
    course: Course


def check_translations(root: Path, course: Course) -> TranslationCheck:
    """Each language offered besides English: missing twins, mismatched ids and myth tags, the language rules."""
    problems, translations = _read_translations(root, course)
    with_them = _attached(course, translations)
    levels: list[TranslatedLevel] = []
    for translation in translations:
        errors, measured = language_problems(translation)
        problems += errors + quiz_form_problems(with_them.translated[translation.language], translation)
        levels += measured
    return TranslationCheck(problems, levels, with_them)


_MITO = re.compile(r"\bmitos?\b", re.IGNORECASE)


def quiz_form_problems(course: Course, translation: Translation) -> list[Problem]:
    """A translated quiz keeps the English one's honesty: its keys are not given away by length (the
    test-wise strategies of testwise.py), and the feedback on a myth-tagged choice names it as a myth."""
    if translation.language != "es":
        return []
    problems = []
    for module in course.modules:
        origin = Origin(f"{module.folder}/quiz.{translation.language}.yaml")
        scores = guess_scores(module.quiz)
        for name, score in (scores.too_high() if scores else {}).items():
            limit = f"{scores.limit:.2f}" if scores else ""
            problems.append(
                origin.problem(f'test-wise strategy "{name}" scores {score:.2f}, above {limit}', "questions")
            )
        for question in module.quiz.questions:
            problems += [
                origin.problem(f'"{question.id}": the feedback on a choice tagged "{c.misconception}" must say "mito"')
                for c in question.choices
                if c.misconception and not _MITO.search(c.feedback)
            ]  # (the English rule, quiz_rules.myth_feedback_problems)
    return problems


def with_translations(root: Path, course: Course) -> Course:
    """The course with its other languages attached (`course.translated`), read from the twins beside it.

    What a twin lacks stays English (the check refuses a missing twin; a course served anyway is never
    left without text), and the problems are logged.
    """
    problems, translations = _read_translations(root, course)
    if problems:
        log.warning("course %s: %d problem(s) with its twins, e.g. %s", course.id, len(problems), problems[0])
    return _attached(course, translations)


def translated_course(course: Course, translation: Translation) -> Course:
    """The course in the translation's language: the same ids, order, keys and versions; the twins' text."""
    myths = {
        key: replace(entry, myth=translation.myths[key][0], fact=translation.myths[key][1])
        if key in translation.myths
        else entry
        for key, entry in course.misconceptions.items()
    }
    modules = tuple(_translated_module(m, translation.modules[m.id], translation.language) for m in course.modules)
    return replace(
        course,
        modules=modules,
        misconceptions=myths,
        title=translation.title or course.title,
        summary=translation.summary or course.summary,
        translated={},
    )


def _translated_module(module: Module, text: ModuleText, language: str) -> Module:
    same_count = len(text.objectives) == len(module.objectives)
    return replace(
        module,
        language=language,
        title=text.title or module.title,
        summary=text.summary or module.summary,
        objectives=text.objectives if same_count else module.objectives,
        lessons=tuple(_translated_lesson(lesson, text.lessons.get(lesson.id), language) for lesson in module.lessons),
        quiz=_translated_quiz(module.quiz, text.questions),
        pretest=_translated_quiz(module.pretest, text.questions),
    )


def _translated_lesson(lesson: Lesson, text: LessonText | None, language: str) -> Lesson:
    if text is None:
        return lesson
    return replace(
        lesson,
        title=text.title or lesson.title,
        main_message=text.main_message or lesson.main_message,
        markdown=text.markdown,
        html=text.html,
        quoted_terms=text.quoted_terms,
        language=language,
        awaits_review=not text.reviewed,
    )


def _translated_quiz(quiz: Quiz, texts: dict[str, QuestionText]) -> Quiz:
    return replace(quiz, questions=tuple(_translated_question(q, texts.get(q.id)) for q in quiz.questions))


def _translated_question(question: Question, text: QuestionText | None) -> Question:
    if text is None or [c.id for c in text.choices] != [c.id for c in question.choices]:
        return question
    choices = tuple(
        replace(choice, text=twin.text or choice.text, feedback=twin.feedback or choice.feedback)
        for choice, twin in zip(question.choices, text.choices, strict=True)
    )
    return replace(
        question,
        prompt=text.prompt or question.prompt,
        choices=choices,
        explanation=text.explanation or question.explanation,
    )
