"""JoinTablesPiece: the four join kinds, differing key names, clashes and null keys."""

from pathlib import Path

import pytest
from airflow_domino_sdk import PieceExecutionError, PieceInputError
from airflow_domino_sdk.testing import run_piece

PIECE = Path(__file__).parent
ORDERS = [
    {"id": 1, "customer": 10, "total": 5},
    {"id": 2, "customer": 11, "total": 7},
    {"id": 3, "customer": None, "total": 1},
]
CUSTOMERS = [
    {"customer_id": 10.0, "name": "Ada", "total": 99},
    {"customer_id": 12, "name": "Cy", "total": 0},
]


def join(tmp_path: Path, kind: str) -> list[dict[str, object]]:
    inputs = {
        "left_rows": ORDERS,
        "right_rows": CUSTOMERS,
        "left_on": ["customer"],
        "right_on": ["customer_id"],
        "kind": kind,
    }
    out = run_piece(PIECE, inputs, results_path=tmp_path).outputs
    assert out["row_count"] == len(out["rows"])
    return out["rows"]


def test_inner(tmp_path: Path) -> None:
    assert join(tmp_path, "inner") == [
        {"id": 1, "customer": 10, "total": 5, "customer_id": 10.0, "name": "Ada", "total_right": 99}
    ]


def test_left_right_outer(tmp_path: Path) -> None:
    assert [r["id"] for r in join(tmp_path, "left")] == [1, 2, 3]
    assert join(tmp_path, "left")[1]["name"] is None
    right = join(tmp_path, "right")
    assert [(r["id"], r["name"]) for r in right] == [(1, "Ada"), (None, "Cy")]
    assert right[1]["customer"] == 12  # the right key fills the left key column
    assert [r["id"] for r in join(tmp_path, "outer")] == [1, 2, 3, None]


def test_shared_key_name_appears_once(tmp_path: Path) -> None:
    left = [{"k": "a", "x": 1}, {"k": "a", "x": 2}]
    right = [{"k": "a", "y": 1}, {"k": "a", "y": 2}]
    out = run_piece(PIECE, {"left_rows": left, "right_rows": right, "left_on": ["k"]}, results_path=tmp_path).outputs
    assert out["rows"] == [
        {"k": "a", "x": 1, "y": 1},
        {"k": "a", "x": 1, "y": 2},
        {"k": "a", "x": 2, "y": 1},
        {"k": "a", "x": 2, "y": 2},
    ]


def test_errors(tmp_path: Path) -> None:
    inputs = {"left_rows": [], "right_rows": [], "left_on": ["a"], "right_on": ["a", "b"]}
    with pytest.raises(PieceInputError, match="right_on has 2"):
        run_piece(PIECE, inputs, results_path=tmp_path)
    inputs = {"left_rows": ORDERS, "right_rows": CUSTOMERS, "left_on": ["customer"]}
    with pytest.raises(PieceExecutionError, match=r"right table has no column\(s\) \['customer'\]"):
        run_piece(PIECE, inputs, results_path=tmp_path)
