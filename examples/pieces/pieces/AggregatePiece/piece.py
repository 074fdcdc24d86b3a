"""AggregatePiece: group rows and compute count/sum/mean/min/max/first/last per group."""

import json
import math
from typing import Any

from airflow_domino_sdk import BasePiece

from .models import AggFunction, Aggregation, InputModel, OutputModel


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _numbers(values: list[Any], column: str) -> list[int | float]:
    numbers: list[int | float] = []
    for value in values:
        if isinstance(value, bool):
            numbers.append(int(value))
        elif isinstance(value, int | float):
            numbers.append(value)
        else:
            try:
                text = str(value).strip()
                numbers.append(int(text) if text.lstrip("+-").isdigit() else float(text))
            except ValueError:
                raise ValueError(f"column {column!r}: {value!r} is not a number") from None
    return numbers


def _comparable(values: list[Any]) -> list[Any]:
    """Numbers when every value is one (CSV text included), otherwise text: never a TypeError."""
    try:
        return _numbers(values, "")
    except ValueError:
        return [str(v) for v in values]


def _hashable(value: Any) -> Any:
    return json.dumps(value, sort_keys=True, default=str) if isinstance(value, list | dict) else value


def aggregate(agg: Aggregation, rows: list[dict[str, Any]]) -> Any:
    if agg.function is AggFunction.COUNT and not agg.column:
        return len(rows)
    values = [row.get(agg.column) for row in rows if not _empty(row.get(agg.column))]
    fn = agg.function
    if fn is AggFunction.COUNT:
        return len(values)
    if fn is AggFunction.COUNT_DISTINCT:
        return len({_hashable(v) for v in values})
    if fn is AggFunction.FIRST:
        return values[0] if values else None
    if fn is AggFunction.LAST:
        return values[-1] if values else None
    if fn in (AggFunction.MIN, AggFunction.MAX):
        comparable = _comparable(values)
        if not comparable:
            return None
        return min(comparable) if fn is AggFunction.MIN else max(comparable)
    numbers = _numbers(values, agg.column)
    if fn is AggFunction.SUM:
        # fsum: exact sum of the floats, so 0.1 + 0.2 style drift does not pile up over many rows.
        return sum(numbers) if all(isinstance(n, int) for n in numbers) else math.fsum(numbers)
    return math.fsum(numbers) / len(numbers) if numbers else None


class AggregatePiece(BasePiece):
    """Summarises a table per group, like SQL GROUP BY."""

    def piece_function(self, input_data: InputModel) -> OutputModel:
        rows = input_data.rows
        known = {key for row in rows for key in row}
        used = set(input_data.group_by) | {a.column for a in input_data.aggregations if a.column}
        unknown = sorted(used - known)
        if rows and unknown:
            raise ValueError(f"unknown column(s) {unknown}; the rows have {sorted(known)}")
        groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
        for row in rows:
            key = tuple(_hashable(row.get(column)) for column in input_data.group_by)
            groups.setdefault(key, []).append(row)
        if not input_data.group_by and not rows:
            groups[()] = []  # an overall summary of nothing is still one row (count 0)
        result = []
        for members in groups.values():
            out = {column: members[0].get(column) for column in input_data.group_by}
            for agg in input_data.aggregations:
                value = aggregate(agg, members)
                if isinstance(value, float) and input_data.round_digits is not None:
                    value = round(value, input_data.round_digits)
                out[agg.name] = value
            result.append(out)
        self.logger.info("%d row(s) -> %d group(s)", len(rows), len(result))
        return OutputModel(rows=result, row_count=len(result))
