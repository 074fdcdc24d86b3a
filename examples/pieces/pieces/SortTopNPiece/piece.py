"""SortTopNPiece: stable multi-column sort with per-column direction, then keep the top N."""

from functools import partial
from typing import Any

from airflow_domino_sdk import BasePiece

from .models import InputModel, OutputModel, SortOrder


def _sort_value(value: Any) -> tuple[int, Any]:
    """Numbers (numeric text included) before text, so mixed columns never raise TypeError."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (0, float(value))
    if isinstance(value, str):
        try:
            return (0, float(value.strip()))
        except ValueError:
            return (1, value)
    return (1, str(value))


def _row_key(column: str, row: dict[str, Any]) -> tuple[int, Any]:
    return _sort_value(row[column])


class SortTopNPiece(BasePiece):
    """Orders a table and keeps the first N rows (a ranking or leaderboard)."""

    def piece_function(self, input_data: InputModel) -> OutputModel:
        rows = list(input_data.rows)
        known = {key for row in rows for key in row}
        unknown = sorted({k.column for k in input_data.sort_by} - known)
        if rows and unknown:
            raise ValueError(f"unknown column(s) {unknown}; the rows have {sorted(known)}")
        # Python's sort is stable: sorting by the least significant key first gives a multi-key sort.
        for key in reversed(input_data.sort_by):
            present = [r for r in rows if r.get(key.column) is not None]
            nulls = [r for r in rows if r.get(key.column) is None]
            present.sort(key=partial(_row_key, key.column), reverse=key.order is SortOrder.desc)
            rows = present + nulls
        if input_data.top_n is not None:
            rows = rows[: input_data.top_n]
        self.logger.info("sorted %d row(s), returning %d", len(input_data.rows), len(rows))
        return OutputModel(rows=rows, row_count=len(rows))
