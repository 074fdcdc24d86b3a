"""FilterRowsPiece: each operator, all/any, negation, numeric text and typo detection."""

from pathlib import Path
from typing import Any

import pytest
from airflow_domino_sdk import PieceExecutionError, PieceInputError
from airflow_domino_sdk.testing import run_piece

PIECE = Path(__file__).parent
ROWS = [
    {"id": 1, "region": "EU", "amount": 120.5, "tags": ["new"], "note": ""},
    {"id": 2, "region": "US", "amount": 80, "tags": [], "note": "vip"},
    {"id": 3, "region": "eu", "amount": "300", "tags": ["vip", "new"], "note": None},
    {"id": 4, "region": "APAC", "amount": None, "tags": ["vip"]},
]


def ids(tmp_path: Path, conditions: list[dict[str, Any]], combine: str = "all") -> list[int]:
    inputs = {"rows": ROWS, "conditions": conditions, "combine": combine}
    out = run_piece(PIECE, inputs, results_path=tmp_path).outputs
    assert out["row_count"] == len(out["rows"])
    assert out["removed_count"] == len(ROWS) - out["row_count"]
    return [row["id"] for row in out["rows"]]


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ({"column": "region", "operator": "==", "value": "EU"}, [1]),
        ({"column": "region", "operator": "==", "value": "EU", "case_sensitive": False}, [1, 3]),
        ({"column": "region", "operator": "!=", "value": "EU"}, [2, 3, 4]),
        ({"column": "amount", "operator": ">", "value": 100}, [1, 3]),  # "300" is a number too
        ({"column": "amount", "operator": ">=", "value": "80"}, [1, 2, 3]),  # value typed as text
        ({"column": "amount", "operator": "<", "value": 100}, [2]),  # null never compares
        ({"column": "amount", "operator": "<=", "value": 120.5}, [1, 2]),
        ({"column": "region", "operator": "contains", "value": "u", "case_sensitive": False}, [1, 2, 3]),
        ({"column": "tags", "operator": "contains", "value": "vip"}, [3, 4]),
        ({"column": "region", "operator": "startswith", "value": "A"}, [4]),
        ({"column": "region", "operator": "in", "value": ["US", "APAC"]}, [2, 4]),
        ({"column": "id", "operator": "in", "value": "1, 3"}, [1, 3]),
        ({"column": "note", "operator": "is_empty"}, [1, 3, 4]),  # "", null and missing
        ({"column": "tags", "operator": "is_empty", "negate": True}, [1, 3, 4]),
    ],
)
def test_operators(condition: dict[str, Any], expected: list[int], tmp_path: Path) -> None:
    assert ids(tmp_path, [condition]) == expected


def test_all_and_any(tmp_path: Path) -> None:
    conditions = [
        {"column": "region", "operator": "==", "value": "US"},
        {"column": "amount", "operator": ">", "value": 200},
    ]
    assert ids(tmp_path, conditions, "all") == []
    assert ids(tmp_path, conditions, "any") == [2, 3]


def test_no_conditions_keeps_everything_and_logs(tmp_path: Path) -> None:
    result = run_piece(PIECE, {"rows": ROWS}, results_path=tmp_path)
    assert result.outputs["row_count"] == 4
    assert any("kept 4 of 4" in line for line in result.logs)


def test_unknown_column_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(PieceExecutionError, match=r"unknown column\(s\) \['regoin'\]"):
        ids(tmp_path, [{"column": "regoin", "value": "EU"}])
    assert (
        run_piece(PIECE, {"rows": [], "conditions": [{"column": "x"}]}, results_path=tmp_path).outputs["row_count"] == 0
    )


def test_bad_operator_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PieceInputError, match="operator"):
        ids(tmp_path, [{"column": "id", "operator": "~="}])
