"""FilterRowsPiece: keep the rows that match conditions (numbers compare as numbers, text as text)."""

from typing import Any

from airflow_domino_sdk import BasePiece

from .models import Combine, Condition, InputModel, Operator, OutputModel

_MISSING = object()


def _number(value: Any) -> float | None:
    """The value as a number when it is one or is text that spells one (CSV cells, form fields)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def _text(value: Any, case_sensitive: bool) -> str:
    text = "" if value is None else str(value)
    return text if case_sensitive else text.casefold()


def _equal(cell: Any, value: Any, case_sensitive: bool) -> bool:
    left, right = _number(cell), _number(value)
    if left is not None and right is not None:
        return left == right
    if isinstance(cell, str) and isinstance(value, str):
        return _text(cell, case_sensitive) == _text(value, case_sensitive)
    return bool(cell == value)


def _is_empty(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip()) or (isinstance(cell, list | dict) and not cell)


def _order(cell: Any, value: Any, case_sensitive: bool) -> int | None:
    """-1/0/1 comparing cell with value, or None when they cannot be ordered (e.g. null, text vs number)."""
    left, right = _number(cell), _number(value)
    if left is not None and right is not None:
        return (left > right) - (left < right)
    if isinstance(cell, str) and isinstance(value, str):
        a, b = _text(cell, case_sensitive), _text(value, case_sensitive)
        return (a > b) - (a < b)
    return None


def matches(cell: Any, condition: Condition) -> bool:
    op, value, cs = condition.operator, condition.value, condition.case_sensitive
    if cell is _MISSING:
        cell = None
    result: bool
    if op is Operator.is_empty:
        result = _is_empty(cell)
    elif op is Operator.eq:
        result = _equal(cell, value, cs)
    elif op is Operator.ne:
        result = not _equal(cell, value, cs)
    elif op in (Operator.gt, Operator.ge, Operator.lt, Operator.le):
        order = _order(cell, value, cs)
        wanted = {Operator.gt: (1,), Operator.ge: (0, 1), Operator.lt: (-1,), Operator.le: (-1, 0)}[op]
        result = order is not None and order in wanted
    elif op is Operator.contains:
        if isinstance(cell, list):
            result = any(_equal(item, value, cs) for item in cell)
        else:
            result = cell is not None and _text(value, cs) in _text(cell, cs)
    elif op is Operator.startswith:
        result = cell is not None and _text(cell, cs).startswith(_text(value, cs))
    else:  # in
        options = [v.strip() for v in value.split(",")] if isinstance(value, str) else value
        if not isinstance(options, list):
            raise ValueError(f"operator 'in' needs a list or comma-separated text as value, got {value!r}")
        result = any(_equal(cell, option, cs) for option in options)
    return result != condition.negate


class FilterRowsPiece(BasePiece):
    """Keeps the rows of a table that pass all (or any) of the conditions."""

    def piece_function(self, input_data: InputModel) -> OutputModel:
        rows, conditions = input_data.rows, input_data.conditions
        known = {key for row in rows for key in row}
        unknown = sorted({c.column for c in conditions} - known)
        if rows and unknown:  # almost always a typo: fail instead of silently dropping every row
            raise ValueError(f"unknown column(s) {unknown}; the rows have {sorted(known)}")
        combine = all if input_data.combine is Combine.all else any
        kept = [row for row in rows if not conditions or combine(matches(row.get(c.column), c) for c in conditions)]
        self.logger.info("kept %d of %d row(s)", len(kept), len(rows))
        return OutputModel(rows=kept, row_count=len(kept), removed_count=len(rows) - len(kept))
