"""CompareBranchPiece: operators, numeric text, labels and unorderable values."""

from pathlib import Path
from typing import Any

import pytest
from airflow_domino_sdk import PieceExecutionError
from airflow_domino_sdk.testing import run_piece

PIECE = Path(__file__).parent


@pytest.mark.parametrize(
    ("value", "operator", "other", "expected"),
    [
        (10, ">=", 10, True),
        ("10.5", ">", 10, True),
        (3, "<", "2", False),
        (3, "<=", 3.0, True),
        ("b", ">", "a", True),
        ("EU", "==", "eu", False),
        (1, "!=", "1", False),
        ("hello world", "contains", "world", True),
        (["a", "b"], "contains", "b", True),
        ({"k": 1}, "contains", "k", True),
        ("report.csv", "startswith", "rep", True),
        ("US", "in", ["EU", "US"], True),
        (2, "in", "1, 2, 3", True),
        ("", "is_empty", None, True),
        ([0], "is_empty", None, False),
        (None, "==", None, True),
        (True, "==", True, True),
    ],
)
def test_operators(value: Any, operator: str, other: Any, expected: bool, tmp_path: Path) -> None:
    result = run_piece(PIECE, {"value": value, "operator": operator, "other": other}, results_path=tmp_path)
    assert result.outputs == {"result": expected, "branch": "true" if expected else "false"}


def test_labels_and_case_insensitive(tmp_path: Path) -> None:
    inputs = {
        "value": "EU",
        "operator": "==",
        "other": "eu",
        "case_sensitive": False,
        "true_label": "europe",
        "false_label": "elsewhere",
    }
    result = run_piece(PIECE, inputs, results_path=tmp_path)
    assert result.outputs == {"result": True, "branch": "europe"}
    assert any("'EU' == 'eu' -> True (europe)" in line for line in result.logs)


def test_unorderable_values_fail(tmp_path: Path) -> None:
    with pytest.raises(PieceExecutionError, match="cannot order"):
        run_piece(PIECE, {"value": "abc", "operator": ">", "other": 3}, results_path=tmp_path)
