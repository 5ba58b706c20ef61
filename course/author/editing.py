"""Between the editors' forms and the draft's files: a lesson or a quiz item filled in from its file, and back."""

from __future__ import annotations

from datetime import date

from ..content.loader import render_markdown
from ..content.model import Lesson
from ..content.writer import lesson_text, read_lesson, read_questions, with_question
from ..i18n import gettext as _
from .forms import MAX_CHOICES, LessonForm, QuestionForm

TRUE_FALSE_IDS = ("true", "false")


def _lines(value) -> list[str]:
    return [str(item) for item in value] if isinstance(value, list) else []


def lesson_form(text: str) -> LessonForm:
    """The lesson editor filled in from the file (a posted form keeps what was typed)."""
    header, body = read_lesson(text)
    reviewed = header.get("last_reviewed")
    return LessonForm(
        title=header.get("title", ""),
        minutes=header.get("minutes") if isinstance(header.get("minutes"), int) else None,
        main_message=header.get("main_message", ""),
        last_reviewed=reviewed if isinstance(reviewed, date) else None,
        sources="\n".join(_lines(header.get("sources"))),
        corrects=", ".join(_lines(header.get("corrects"))),
        body=body.lstrip("\n"),
    )


def lesson_file(text: str, form: LessonForm) -> str:
    """The lesson file with the form's fields (header keys the form does not show are kept)."""
    header, _ = read_lesson(text)
    header.update(
        title=form.title.data,
        minutes=form.minutes.data,
        main_message=form.main_message.data,
        last_reviewed=form.last_reviewed.data,
        sources=[line.strip() for line in (form.sources.data or "").splitlines() if line.strip()],
        corrects=[item.strip() for item in (form.corrects.data or "").split(",") if item.strip()],
    )
    return lesson_text(header, form.body.data or "")


def preview(form: LessonForm, lesson_id: str, module_id: str, position: int) -> Lesson:
    """The lesson as learners will see it, rendered by the same Markdown pipeline (raw HTML off)."""
    body = form.body.data or ""
    return Lesson(
        id=lesson_id,
        module_id=module_id,
        title=form.title.data or "",
        minutes=form.minutes.data or 0,
        main_message=form.main_message.data or "",
        last_reviewed=form.last_reviewed.data,
        sources=tuple(line.strip() for line in (form.sources.data or "").splitlines() if line.strip()),
        corrects=(),
        html=render_markdown(body),
        position=position,
        markdown=body,
    )


def find_question(quiz_text: str, question_id: str) -> tuple[int, dict] | None:
    """(index, data) of the quiz item with this id in quiz.yaml, or None."""
    return next(((i, q) for i, q in enumerate(read_questions(quiz_text)) if q.get("id") == question_id), None)


def question_form(data: dict) -> QuestionForm:
    """The quiz item editor filled in from its data, with empty rows up to MAX_CHOICES choices."""
    choices = [c for c in data.get("choices") or [] if isinstance(c, dict)][:MAX_CHOICES]
    rows = [
        {
            "id": str(c.get("id", "")),
            "text": str(c.get("text", "")),
            "correct": bool(c.get("correct")),
            "feedback": str(c.get("feedback", "")),
            "misconception": str(c.get("misconception") or ""),
        }
        for c in choices
    ]
    rows += [{} for _ in range(MAX_CHOICES - len(rows))]
    return QuestionForm(
        type=data.get("type", "single"),
        prompt=data.get("prompt", ""),
        choices=rows,
        explanation=data.get("explanation", ""),
        source=data.get("source", ""),
    )


def question_file(quiz_text: str, question_id: str, form: QuestionForm) -> str:
    """quiz.yaml with this item rewritten from the form; empty choice rows are left out.

    Choice ids follow the rows (a, b, c...), or true and false for a true/false item, unless a
    row already had one: ids already answered by learners never change.
    """
    found = find_question(quiz_text, question_id)
    data = dict(found[1]) if found else {"id": question_id}
    filled = [row for row in form.choices.entries if (row.form.text.data or "").strip()]
    choices = []
    for i, row in enumerate(filled):
        fallback = TRUE_FALSE_IDS[i] if form.type.data == "true_false" and i < 2 else "abcde"[i]
        choice = {
            "id": row.form.id.data or fallback,
            "text": row.form.text.data.strip(),
            "correct": bool(row.form.correct.data),
            "feedback": (row.form.feedback.data or "").strip(),
        }
        if (row.form.misconception.data or "").strip():
            choice["misconception"] = row.form.misconception.data.strip()
        choices.append(choice)
    data.update(
        type=form.type.data,
        prompt=(form.prompt.data or "").strip(),
        choices=choices,
        explanation=(form.explanation.data or "").strip(),
        source=(form.source.data or "").strip(),
    )
    return with_question(quiz_text, data, replacing=question_id)


def attach_findings(form, by_field: dict[str, list[str]]) -> list[str]:
    """Show each finding of the check as a message on the field it concerns; the rest are returned.

    `by_field` comes from content.writer.field_findings ("choices-1-feedback" names the second
    choice's feedback). The field macro then ties each message to its input for screen readers.
    """
    rest: list[str] = []
    for name, messages in by_field.items():
        target = _field(form, name)
        if target is None:
            rest += [f"{name}: {m}" if name else m for m in messages]
        else:
            target.errors = [*target.errors, *(_("Check: %(finding)s", finding=m) for m in messages)]
    return rest


def _field(form, name: str):
    if name in form:
        return form[name]
    parts = name.split("-")
    if len(parts) == 3 and parts[0] in form and parts[1].isdigit():
        entries = form[parts[0]].entries
        index = int(parts[1])
        if index < len(entries) and parts[2] in entries[index].form:
            return entries[index].form[parts[2]]
    return None
