"""CompareBranchPiece: a condition node — compare a value and name the branch to take."""

from typing import Any

from airflow_domino_sdk import BasePiece

from .models import InputModel, Operator, OutputModel


def _number(value: Any) -> float | None:
    """The value as a number when it is one or is text that spells one (form fields, CSV cells)."""
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


def _equal(a: Any, b: Any, case_sensitive: bool) -> bool:
    left, right = _number(a), _number(b)
    if left is not None and right is not None:
        return left == right
    if isinstance(a, str) and isinstance(b, str):
        return _text(a, case_sensitive) == _text(b, case_sensitive)
    return bool(a == b)


def compare(value: Any, op: Operator, other: Any, case_sensitive: bool = True) -> bool:
    if op is Operator.is_empty:
        return value is None or (isinstance(value, str) and not value.strip()) or value in ([], {})
    if op is Operator.eq:
        return _equal(value, other, case_sensitive)
    if op is Operator.ne:
        return not _equal(value, other, case_sensitive)
    if op is Operator.contains:
        if isinstance(value, list):
            return any(_equal(item, other, case_sensitive) for item in value)
        if isinstance(value, dict):
            return other in value
        return value is not None and _text(other, case_sensitive) in _text(value, case_sensitive)
    if op is Operator.startswith:
        return value is not None and _text(value, case_sensitive).startswith(_text(other, case_sensitive))
    if op is Operator.in_:
        options = [o.strip() for o in other.split(",")] if isinstance(other, str) else other
        if not isinstance(options, list):
            raise ValueError(f"operator 'in' needs a list or comma-separated text to compare with, got {other!r}")
        return any(_equal(value, option, case_sensitive) for option in options)
    left, right = _number(value), _number(other)
    if left is None or right is None:
        if not (isinstance(value, str) and isinstance(other, str)):
            raise ValueError(f"cannot order {value!r} and {other!r}: compare two numbers or two texts")
        left_text, right_text = _text(value, case_sensitive), _text(other, case_sensitive)
        order = (left_text > right_text) - (left_text < right_text)
    else:
        order = (left > right) - (left < right)
    return order in {Operator.gt: (1,), Operator.ge: (0, 1), Operator.lt: (-1,), Operator.le: (-1, 0)}[op]


class CompareBranchPiece(BasePiece):
    """Compares a value with a threshold and outputs the result and a branch label."""

    def piece_function(self, input_data: InputModel) -> OutputModel:
        result = compare(input_data.value, input_data.operator, input_data.other, input_data.case_sensitive)
        branch = input_data.true_label if result else input_data.false_label
        self.logger.info(
            "%r %s %r -> %s (%s)", input_data.value, input_data.operator.value, input_data.other, result, branch
        )
        return OutputModel(result=result, branch=branch)
