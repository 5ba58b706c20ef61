"""Read `modules/` into a Course: parse each file, render Markdown once, record every problem.

`read_course` never stops at the first mistake: a bad value becomes an empty
default plus a Problem, so one run reports everything. The rules that relate
objects to each other (ids, references, answer keys) live in checks.py.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from markdown_it import MarkdownIt

from .fields import Fields, Origin, Problem, read_yaml
from .model import DEFAULT_COURSE_ID, Choice, Course, Lesson, Misconception, Module, Question, Quiz

COURSE_FIELDS = ("id", "title", "summary", "languages")
MODULE_FIELDS = ("id", "title", "summary", "objectives", "prerequisites", "pass_mark", "minutes", "always_open")
LESSON_FIELDS = (
    "id",
    "title",
    "minutes",
    "main_message",
    "last_reviewed",
    "sources",
    "corrects",
    "quoted_terms",
    "finding_care",
)
QUESTION_FIELDS = ("id", "type", "prompt", "choices", "explanation", "source", "quoted_terms", "revisits")
CHOICE_FIELDS = ("id", "text", "correct", "feedback", "misconception")
MISCONCEPTION_FIELDS = ("id", "myth", "fact", "source", "correction")
FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*(?:\r?\n|\Z)", re.DOTALL | re.MULTILINE)

# Raw HTML is escaped, not passed through: content is Markdown only.
_markdown = MarkdownIt("commonmark", {"html": False}).enable("table")


def _link_open(renderer, tokens, idx, options, env):
    # Links to other sites must not get a handle on this page (window.opener) or learn its URL.
    if str(tokens[idx].attrGet("href") or "").startswith(("http://", "https://", "//")):
        tokens[idx].attrSet("rel", "noopener noreferrer")
    return renderer.renderToken(tokens, idx, options, env)


_markdown.add_render_rule("link_open", _link_open)


def render_markdown(text: str) -> str:
    """Markdown to HTML (CommonMark plus tables, raw HTML escaped)."""
    return _markdown.render(text)


def module_version(folder: Path) -> str:
    """A short sha256 of the module folder's files (paths and bytes, in sorted path order)."""
    digest = hashlib.sha256()
    files = sorted(
        (p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")),
        key=lambda p: p.relative_to(folder).as_posix(),
    )
    for path in files:
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _open(path: Path, origin: Origin, problems: list[Problem], known: tuple[str, ...]) -> Fields:
    before = len(problems)
    data = read_yaml(path, origin, problems)
    # An unreadable file is one problem, not one "missing" per field.
    return Fields(data, origin, problems if len(problems) == before else [], known)


def read_course(content_dir: str | Path) -> tuple[Course, list[Problem]]:
    """Read course.yaml, every module folder (sorted by name) and the misconception catalogue."""
    root, problems = Path(content_dir), list[Problem]()
    if not root.is_dir():
        return Course((), {}), [Problem(str(root), "", "content folder not found")]
    misconceptions = _read_misconceptions(root, problems)
    folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
    if not folders:
        problems.append(Problem(str(root), "", "no module folders"))
    modules = tuple(_read_module(folder, problems) for folder in folders)
    return Course(modules, misconceptions, **_read_course_file(root, problems)), problems


def _read_course_file(root: Path, problems: list[Problem]) -> dict:
    """course.yaml's id, title and summary; without the file, the built-in course's defaults.

    A pack must have one (packs.py); the built-in course in CONTENT_DIR may go without.
    """
    if not (root / "course.yaml").is_file():
        return {}
    f = _open(root / "course.yaml", Origin("course.yaml"), problems, COURSE_FIELDS)
    languages = f.texts("languages", False) or ("en",)
    if languages[0] != "en":
        f.fail("languages", "English comes first: the other languages are twins of it")
    return {
        "id": f.slug("id") or DEFAULT_COURSE_ID,
        "title": f.text("title"),
        "summary": f.text("summary", False),
        "languages": languages,
    }


def _read_misconceptions(root: Path, problems: list[Problem]) -> dict[str, Misconception]:
    origin = Origin("misconceptions.yaml")
    data = read_yaml(root / origin.file, origin, problems)
    if data is not None and not isinstance(data, list):
        problems.append(origin.problem("must be a list of entries, each starting with `- id:`"))
    catalogue: dict[str, Misconception] = {}
    for i, item in enumerate(data if isinstance(data, list) else []):
        where = origin.child(f"[{i}]")
        f = Fields(item, where, problems, MISCONCEPTION_FIELDS)
        entry = Misconception(
            f.slug("id"), f.text("myth"), f.text("fact"), f.text("source"), f.boolean("correction", False), where
        )
        if entry.id in catalogue:
            f.fail("id", f'duplicate misconception id "{entry.id}"')
        catalogue.setdefault(entry.id, entry)
    return catalogue


def _read_module(folder: Path, problems: list[Problem]) -> Module:
    f = _open(folder / "module.yaml", Origin(f"{folder.name}/module.yaml"), problems, MODULE_FIELDS)
    module_id = f.slug("id")
    quiz = read_quiz(folder, module_id, problems)
    return Module(
        id=module_id,
        folder=folder.name,
        title=f.text("title"),
        summary=f.text("summary"),
        objectives=f.texts("objectives"),
        prerequisites=f.texts("prerequisites", False, slugs=True),
        pass_mark=f.integer("pass_mark", 80, 1, 100),
        minutes=f.integer("minutes", high=600),
        lessons=_read_lessons(folder, module_id, problems),
        quiz=quiz,
        pretest=_read_pretest(folder, quiz, problems),
        version=module_version(folder),
        always_open=f.boolean("always_open", False),
    )


def _read_lessons(folder: Path, module_id: str, problems: list[Problem]) -> tuple[Lesson, ...]:
    # Language twins (01-x.es.md) are read by translations.py, not as lessons of their own.
    paths = sorted(p for p in (folder / "lessons").glob("*.md") if "." not in p.stem)
    if not paths:
        problems.append(Problem(f"{folder.name}/lessons", "", "no lessons (*.md files)"))
    lessons: list[Lesson] = []
    for path in paths:
        origin = Origin(f"{folder.name}/lessons/{path.name}")
        lesson = _read_lesson(path, origin, module_id, len(lessons) + 1, problems)
        if lesson is not None:
            lessons.append(lesson)
    return tuple(lessons)


def _read_lesson(path: Path, origin: Origin, module_id: str, position: int, problems: list[Problem]) -> Lesson | None:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        problems.append(origin.problem("not UTF-8 text"))
        return None
    match = FRONT_MATTER.match(text)
    if match is None:
        problems.append(origin.problem("missing YAML header between --- lines at the top of the file"))
        return None
    before = len(problems)
    data = read_yaml(path, origin, problems, text=match.group(1), first_line=2)
    if len(problems) > before:
        return None
    f = Fields(data, origin, problems, LESSON_FIELDS)
    markdown = text[match.end() :]
    return Lesson(
        id=f.slug("id"),
        module_id=module_id,
        title=f.text("title"),
        minutes=f.integer("minutes", high=600),
        main_message=f.text("main_message"),
        last_reviewed=f.day("last_reviewed"),
        sources=f.texts("sources"),
        corrects=f.texts("corrects", False, slugs=True),
        html=render_markdown(markdown),
        position=position,
        quoted_terms=f.texts("quoted_terms", False),
        finding_care=f.boolean("finding_care", False),
        markdown=markdown,
        body_line=match.group(0).count("\n") + 1,
        origin=origin,
    )


def read_quiz(folder: Path, module_id: str, problems: list[Problem]) -> Quiz:
    """A module folder's quiz.yaml (problems are appended to `problems`)."""
    origin = Origin(f"{folder.name}/quiz.yaml")
    f = _open(folder / "quiz.yaml", origin, problems, ("questions",))
    return Quiz(tuple(_read_question(where, item, module_id, problems) for where, item in f.entries("questions")))


def _read_question(origin: Origin, data: object, module_id: str, problems: list[Problem]) -> Question:
    f = Fields(data, origin, problems, QUESTION_FIELDS)
    return Question(
        id=f.slug("id"),
        module_id=module_id,
        type=f.text("type"),
        prompt=f.text("prompt"),
        choices=tuple(_read_choice(where, item, problems) for where, item in f.entries("choices")),
        explanation=f.text("explanation"),
        source=f.text("source"),
        quoted_terms=f.texts("quoted_terms", False),
        revisits=f.slug("revisits", required=False) or None,
        origin=origin,
    )


def _read_choice(origin: Origin, data: object, problems: list[Problem]) -> Choice:
    f = Fields(data, origin, problems, CHOICE_FIELDS)
    return Choice(
        f.slug("id"),
        f.text("text"),
        f.boolean("correct"),
        f.text("feedback"),
        f.slug("misconception", required=False) or None,
    )


def _read_pretest(folder: Path, quiz: Quiz, problems: list[Problem]) -> Quiz:
    f = _open(folder / "pretest.yaml", Origin(f"{folder.name}/pretest.yaml"), problems, ("questions",))
    questions: list[Question] = []
    for i, question_id in enumerate(f.texts("questions", slugs=True)):
        question = quiz.question(question_id)
        if question is None:
            f.fail(f"questions[{i}]", f'"{question_id}" is not a question in quiz.yaml')
        elif any(q.id == question_id for q in questions):
            f.fail(f"questions[{i}]", f'"{question_id}" is listed twice')
        else:
            questions.append(question)
    return Quiz(tuple(questions))
