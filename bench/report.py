"""A Markdown table printer for the benchmark's report (bench/RESULTS.md)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

EMPTY_CELL = "—"


@dataclass(frozen=True)
class Column:
    heading: str
    numeric: bool = False  # numbers are right-aligned


def markdown_table(columns: Sequence[Column], rows: Iterable[Sequence[object]]) -> str:
    """The rows under the headings, one cell per column; a cell that is None is
    printed as an em dash."""
    lines = [
        table_line(column.heading for column in columns),
        table_line("---:" if column.numeric else "---" for column in columns),
    ]
    for row in rows:
        if len(row) != len(columns):
            raise ValueError(f"{len(row)} cells for {len(columns)} columns: {row}")
        lines.append(table_line(EMPTY_CELL if cell is None else cell for cell in row))
    return "\n".join(lines)


def table_line(cells: Iterable[object]) -> str:
    return "| " + " | ".join(str(cell) for cell in cells) + " |"
