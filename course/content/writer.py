"""The content files written back from what an author typed: the inverse of the loader, in the same format.

Lessons keep their header keys in the loader's order (and any key the form does not show);
quiz.yaml is rewritten question by question. YAML comments in a rewritten file are not kept.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from .loader import FRONT_MATTER, LESSON_FIELDS


def yaml_text(data: Any) -> str:
    """YAML as a person would write it: keys in the given order, text not wrapped, Unicode as is."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000, default_flow_style=False)


def read_mapping(text: str) -> dict:
    """A YAML file that holds a mapping (module.yaml, course.yaml), as a dict; empty if unreadable."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


def read_lesson(text: str) -> tuple[dict, str]:
    """A lesson file's header (as a dict; empty if unreadable) and its Markdown body."""
    match = FRONT_MATTER.match(text)
    if match is None:
        return {}, text
    return read_mapping(match.group(1)), text[match.end() :]


def lesson_text(header: dict, body: str) -> str:
    """A lesson file: the header between --- lines (known keys first, in order), then the body."""
    ordered = {key: header[key] for key in LESSON_FIELDS if header.get(key) not in (None, "", [])}
    ordered |= {key: value for key, value in header.items() if key not in LESSON_FIELDS}
    body = body.replace("\r\n", "\n")
    return "---\n" + yaml_text(ordered) + "---\n" + ("" if body.startswith("\n") else "\n") + body.rstrip() + "\n"


def read_questions(text: str) -> list[dict]:
    """quiz.yaml's questions as dicts (none if unreadable)."""
    questions = read_mapping(text).get("questions")
    return [q for q in questions if isinstance(q, dict)] if isinstance(questions, list) else []


def with_question(text: str, question: dict, replacing: str | None = None) -> str:
    """quiz.yaml with `question` in place of the question `replacing` (or added at the end)."""
    questions = read_questions(text)
    at = next((i for i, q in enumerate(questions) if replacing and q.get("id") == replacing), None)
    if at is None:
        questions.append(question)
    else:
        questions[at] = question
    return yaml_text({"questions": questions})


def field_findings(problems, file: str, prefix: str = "") -> dict[str, list[str]]:
    """A file's problems by the form field they concern: "choices[1].feedback" → "choices-1-feedback".

    `prefix` narrows to one entry of a list ("questions[3]"); problems of the entry as a whole
    are under "".
    """
    found: dict[str, list[str]] = {}
    for problem in problems:
        where = problem.field
        if problem.file != file or not (where == prefix or where.startswith(prefix + ".") or not prefix):
            continue
        where = where[len(prefix) :].lstrip(".")
        where = re.sub(r" \(line \d+\)$", "", where)  # "body (line 12)": the line is in the message
        line = re.search(r"\(line (\d+)\)", problem.field)
        name = re.sub(r"\[(\d+)\]\.", r"-\1-", where).split("[")[0]
        found.setdefault(name, []).append(problem.message + (f" (line {line.group(1)})" if line else ""))
    return found
