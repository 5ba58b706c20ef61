"""Reading YAML written by people: every bad value becomes a Problem, never an exception.

The loader collects all problems in one pass, so a writer sees every mistake at
once. A bad or missing value is replaced by an empty default and reading goes on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the content: the file, the field and what is wrong."""

    file: str
    field: str
    message: str

    def __str__(self) -> str:
        return ": ".join(part for part in (self.file, self.field, self.message) if part)


class ContentError(Exception):
    """The content cannot be used; `problems` lists every problem found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        lines = [str(p) for p in self.problems[:50]]
        if len(self.problems) > 50:
            lines.append(f"... and {len(self.problems) - 50} more")
        super().__init__("the course content is broken:\n" + "\n".join(lines))


@dataclass(frozen=True, slots=True)
class Origin:
    """Where something was read: a file relative to CONTENT_DIR and a field path in it."""

    file: str
    field: str = ""

    def child(self, sub: str) -> Origin:
        """The origin of a field below this one ("choices[2]", "[3]", "feedback")."""
        dot = "." if self.field and sub and not sub.startswith("[") else ""
        return Origin(self.file, self.field + dot + sub)

    def problem(self, message: str, sub: str = "") -> Problem:
        """A Problem at this origin, or at the field `sub` below it."""
        where = self.child(sub) if sub else self
        return Problem(where.file, where.field, message)


def read_yaml(path: Path, origin: Origin, problems: list[Problem], text: str | None = None, first_line: int = 1) -> Any:
    """Parse a YAML file (or `text` from it, starting at `first_line`); None and a Problem if unreadable."""
    try:
        if text is None:
            text = path.read_text(encoding="utf-8")
        return yaml.safe_load(text)
    except FileNotFoundError:
        problems.append(origin.problem("missing file"))
    except UnicodeDecodeError:
        problems.append(origin.problem("not UTF-8 text"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + first_line}, column {mark.column + 1}" if mark else ""
        reason = getattr(exc, "problem", None) or str(exc)
        problems.append(origin.problem(f"malformed YAML{where}: {reason}"))
    return None


class Fields:
    """Typed access to one YAML mapping, recording a Problem for each missing or bad value."""

    def __init__(self, data: Any, origin: Origin, problems: list[Problem], known: Iterable[str]) -> None:
        if data is not None and not isinstance(data, dict):
            problems.append(origin.problem("must be a mapping of `field: value` lines"))
        self.data = data if isinstance(data, dict) else {}
        self.origin, self.problems = origin, problems
        for key in self.data:
            if key not in known:  # most often a typo, which would silently drop a value
                self.fail(str(key), "unknown field")

    def fail(self, key: str, message: str) -> None:
        """Record a Problem at the field `key`."""
        self.problems.append(self.origin.problem(message, key))

    def text(self, key: str, required: bool = True) -> str:
        """A non-empty piece of text ("" and a Problem when missing)."""
        return self._text(self.data.get(key), key, required)

    def _text(self, value: Any, key: str, required: bool = True) -> str:
        if isinstance(value, (dict, list)):
            self.fail(key, "must be text, not a list or mapping")
            return ""
        text = "" if value is None else str(value).strip()
        if not text and required:
            self.fail(key, "missing")
        return text

    def slug(self, key: str, required: bool = True) -> str:
        """An id: a lowercase slug of a-z, 0-9 and -."""
        return self._slug(self.data.get(key), key, required)

    def _slug(self, value: Any, key: str, required: bool = True) -> str:
        if isinstance(value, bool):  # YAML reads an unquoted `true`/`false` as a boolean
            value = str(value).lower()
        text = self._text(value, key, required)
        if text and not SLUG.fullmatch(text):
            self.fail(key, f'"{text}" is not a lowercase slug (a-z, 0-9 and -)')
        return text

    def texts(self, key: str, required: bool = True, slugs: bool = False) -> tuple[str, ...]:
        """A list of non-empty texts (or of slugs); required lists must not be empty."""
        value = self.data.get(key)
        if value is None or value == []:
            if required:
                self.fail(key, "missing (a list with at least one entry)")
            return ()
        if not isinstance(value, list):
            self.fail(key, "must be a list")
            return ()
        read = self._slug if slugs else self._text
        return tuple(t for i, item in enumerate(value) if (t := read(item, f"{key}[{i}]")))

    def integer(self, key: str, default: int | None = None, low: int = 1, high: int = 1000) -> int:
        """A whole number between low and high (default when absent and allowed)."""
        value = self.data.get(key)
        if value is None and default is not None:
            return default
        if value is None:
            self.fail(key, "missing")
        elif isinstance(value, bool) or not isinstance(value, int):
            self.fail(key, f"must be a whole number, not {value!r}")
        elif not low <= value <= high:
            self.fail(key, f"{value} is outside {low}–{high}")
        else:
            return value
        return default if default is not None else 0

    def boolean(self, key: str, default: bool | None = None) -> bool:
        """true or false; required when there is no default."""
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            self.fail(key, "missing (true or false)" if value is None else f"must be true or false, not {value!r}")
            return False
        return value

    def day(self, key: str) -> date | None:
        """A date written as YYYY-MM-DD."""
        value = self.data.get(key)
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            bad = "missing (a date, YYYY-MM-DD)" if value is None else f"{value!r} is not a date (YYYY-MM-DD)"
            self.fail(key, bad)
            return None

    def entries(self, key: str) -> list[tuple[Origin, Any]]:
        """The items of a required list, each with its origin (`key[i]`)."""
        value = self.data.get(key)
        if not isinstance(value, list) or not value:
            self.fail(key, "missing (a list with at least one entry)" if not value else "must be a list")
            return []
        return [(self.origin.child(f"{key}[{i}]"), item) for i, item in enumerate(value)]
