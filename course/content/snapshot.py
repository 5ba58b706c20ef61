"""A module's quiz as plain JSON data and back: what a learner saw on one content version.

The database keeps one such snapshot per module and version (services/content_snapshots.py),
so an attempt made on an older version is reviewed with the questions, choices and feedback
it was shown, not with today's text.
"""

from __future__ import annotations

from .model import Choice, Module, Question

SNAPSHOT_FORMAT = 1


def quiz_snapshot(module: Module) -> dict:
    """The module's quiz and pre-test as JSON-ready data."""
    return {
        "format": SNAPSHOT_FORMAT,
        "questions": [_question_data(q) for q in module.quiz.questions],
        "pretest": [q.id for q in module.pretest.questions],
    }


def _question_data(question: Question) -> dict:
    return {
        "id": question.id,
        "type": question.type,
        "prompt": question.prompt,
        "choices": [
            {"id": c.id, "text": c.text, "correct": c.correct, "feedback": c.feedback, "misconception": c.misconception}
            for c in question.choices
        ],
        "explanation": question.explanation,
        "source": question.source,
    }


def snapshot_questions(data: dict, module_id: str) -> dict[str, Question]:
    """Question id → Question, rebuilt from a snapshot's data."""
    return {
        item["id"]: Question(
            id=item["id"],
            module_id=module_id,
            type=item["type"],
            prompt=item["prompt"],
            choices=tuple(
                Choice(c["id"], c["text"], c["correct"], c["feedback"], c.get("misconception")) for c in item["choices"]
            ),
            explanation=item["explanation"],
            source=item["source"],
        )
        for item in data["questions"]
    }
