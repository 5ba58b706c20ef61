"""Forms of the authoring area. The content check, not the forms, decides what a course may hold."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from ..content.question_types import QUESTION_TYPES
from ..forms import at_most
from ..i18n import lazy_gettext as _l

MAX_CHOICES = 5
TEXT = 2000
BODY = 60_000
SLUG_HINT = _l("Lowercase letters, digits and hyphens; never changed once published.")


class NewCourseForm(FlaskForm):
    """Start a new course: its id, title and summary (course.yaml)."""

    course_id = StringField(_l("Course id"), [DataRequired(_l("Enter an id.")), at_most(64)], description=SLUG_HINT)
    title = StringField(_l("Title"), [DataRequired(_l("Enter a title.")), at_most(200)])
    summary = TextAreaField(_l("Summary"), [Optional(), at_most(TEXT)])


class NewItemForm(FlaskForm):
    """Add a module, a lesson or a quiz item: its id and a title (or, for an item, its type)."""

    item_id = StringField(_l("Id"), [DataRequired(_l("Enter an id.")), at_most(64)], description=SLUG_HINT)
    title = StringField(_l("Title"), [Optional(), at_most(200)])
    type = SelectField(_l("Type"), choices=[SelectChoice(name, name) for name in QUESTION_TYPES], validate_choice=False)


class LessonForm(FlaskForm):
    """A lesson's header fields and its Markdown; "Preview" shows it as learners will, without saving."""

    title = StringField(_l("Title"), [DataRequired(_l("Enter a title.")), at_most(200)])
    minutes = IntegerField(_l("Minutes to read"), [Optional()])
    main_message = TextAreaField(_l("Main message (one sentence)"), [Optional(), at_most(TEXT)])
    last_reviewed = DateField(_l("Last reviewed"), [Optional()])
    sources = TextAreaField(_l("Sources, one per line"), [Optional(), at_most(TEXT)])
    corrects = StringField(
        _l("Myths this lesson corrects (ids, separated by commas)"),
        [Optional(), at_most(TEXT)],
        description=_l("Ids from the course's catalogue of myths (misconceptions.yaml)."),
    )
    body = TextAreaField(
        _l("Lesson (Markdown)"),
        [Optional(), Length(max=BODY)],
        description=_l("## for each section; the last one is ## Summary. Raw HTML is shown as text."),
    )
    action = HiddenField()


class ChoiceForm(Form):
    """One choice of a quiz item (left empty: not part of the item)."""

    id = HiddenField()
    text = StringField(_l("Choice"), [Optional(), at_most(TEXT)])
    correct = BooleanField(_l("Correct"))
    feedback = TextAreaField(_l("Feedback when chosen"), [Optional(), at_most(TEXT)])
    misconception = StringField(_l("Myth it reveals (id, wrong choices only)"), [Optional(), at_most(64)])


class QuestionForm(FlaskForm):
    """A quiz item: stem, choices with their feedback and myth tags, explanation and source."""

    type = SelectField(_l("Type"), choices=[SelectChoice(name, name) for name in QUESTION_TYPES], validate_choice=False)
    prompt = TextAreaField(_l("Question"), [DataRequired(_l("Enter the question.")), at_most(TEXT)])
    choices = FieldList(FormField(ChoiceForm), min_entries=MAX_CHOICES, max_entries=MAX_CHOICES)
    explanation = TextAreaField(_l("Explanation (shown after the answer)"), [Optional(), at_most(TEXT)])
    source = StringField(_l("Source"), [Optional(), at_most(500)])


class FileForm(FlaskForm):
    """A whole file of the course, as text (course.yaml, misconceptions.yaml, module.yaml, pretest.yaml)."""

    text = TextAreaField(_l("File"), [Length(max=BODY)])


class NoteForm(FlaskForm):
    """What the reviewer asks the authors to change."""

    note = TextAreaField(_l("What to change"), [DataRequired(_l("Say what to change.")), at_most(TEXT)])
