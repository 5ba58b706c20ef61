"""Paged lists: the page size, the page number read from the query string, and where a page is."""

from __future__ import annotations

from dataclasses import dataclass

from flask import request

# The staff lists (accounts, audit log, cohort members, the cohort's progress table) show this many rows a page.
PER_PAGE = 50

# A page number is clamped: a huge one would be a huge OFFSET, which the database refuses
# (SQLite and PostgreSQL both stop at 64-bit integers) instead of an empty page.
MAX_PAGE = 100_000


def requested_page() -> int:
    """The `page` query value, kept between 1 and MAX_PAGE; a missing or non-numeric value is page 1."""
    value = request.args.get("page", type=int)
    return min(max(value or 1, 1), MAX_PAGE)


@dataclass(frozen=True)
class Page:
    """Where a paged list is: page number (from 1), page size and the total number of items."""

    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        """How many pages there are (one, even for an empty list)."""
        return max(1, -(-self.total // self.per_page))

    @property
    def offset(self) -> int:
        """How many items come before this page."""
        return (self.page - 1) * self.per_page

    @property
    def has_prev(self) -> bool:
        """Whether there is a page before this one."""
        return self.page > 1

    @property
    def has_next(self) -> bool:
        """Whether there is a page after this one."""
        return self.page < self.pages

    @classmethod
    def clamp(cls, page: int | None, per_page: int, total: int) -> Page:
        """A page within range: a missing, negative or too-large number gives the first or last page."""
        last = max(1, -(-total // per_page))
        return cls(min(max(page or 1, 1), last), per_page, total)
