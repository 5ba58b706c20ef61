"""CSV for spreadsheets: cells that never run as formulas, and files written row by row.

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula (and some also after a
leading tab or carriage return): "CSV injection". A learner chooses their own display name, so any
text we export may be hostile; such a cell gets a leading `'`, which spreadsheets show as text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date, datetime

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Excel reads a UTF-8 file without this mark as the local code page and garbles "José".
BYTE_ORDER_MARK = "\ufeff"


def safe_cell(value) -> str:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula.

    None is empty, booleans are `true`/`false`, numbers and dates are written plainly (we make
    them, so they carry no formula); any text starting with a formula character gets a leading '.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def stream_csv(header: Iterable, rows: Iterable[Iterable], byte_order_mark: bool = True) -> Iterator[str]:
    """Yield a CSV file line by line (header first), every cell through safe_cell.

    Nothing is held but the current row, so a generator of rows streams a file of any size.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(cells: Iterable) -> str:
        writer.writerow([safe_cell(cell) for cell in cells])
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yield (BYTE_ORDER_MARK if byte_order_mark else "") + line(header)
    for row in rows:
        yield line(row)
