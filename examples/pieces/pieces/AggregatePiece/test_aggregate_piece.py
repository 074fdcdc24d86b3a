"""AggregatePiece: grouping, every function, rounding and clear errors."""

from pathlib import Path

import pytest
from airflow_domino_sdk import PieceExecutionError, PieceInputError
from airflow_domino_sdk.testing import run_piece

PIECE = Path(__file__).parent
ROWS = [
    {"region": "EU", "product": "A", "amount": 10.1, "qty": 1},
    {"region": "US", "product": "B", "amount": "5", "qty": 2},
    {"region": "EU", "product": "B", "amount": 20.2, "qty": None},
    {"region": "EU", "product": "A", "amount": None, "qty": 4},
]


def test_group_by_with_every_function(tmp_path: Path) -> None:
    aggregations = [
        {"function": "count", "output_name": "rows"},
        {"function": "count", "column": "amount"},
        {"function": "count_distinct", "column": "product", "output_name": "products"},
        {"function": "sum", "column": "amount", "output_name": "revenue"},
        {"function": "mean", "column": "amount"},
        {"function": "min", "column": "qty"},
        {"function": "max", "column": "product"},
        {"function": "first", "column": "qty"},
        {"function": "last", "column": "qty"},
        {"function": "sum", "column": "qty"},
    ]
    inputs = {"rows": ROWS, "group_by": ["region"], "aggregations": aggregations, "round_digits": 2}
    out = run_piece(PIECE, inputs, results_path=tmp_path).outputs
    assert out["row_count"] == 2
    eu, us = out["rows"]
    assert eu == {
        "region": "EU",
        "rows": 3,
        "count_amount": 2,
        "products": 2,
        "revenue": 30.3,
        "mean_amount": 15.15,
        "min_qty": 1,
        "max_product": "B",
        "first_qty": 1,
        "last_qty": 4,
        "sum_qty": 5,
    }
    assert us["revenue"] == 5
    assert isinstance(us["sum_qty"], int)


def test_overall_summary_and_empty_input(tmp_path: Path) -> None:
    inputs = {"rows": ROWS, "aggregations": [{"function": "sum", "column": "qty"}]}
    assert run_piece(PIECE, inputs, results_path=tmp_path).outputs["rows"] == [{"sum_qty": 7}]
    out = run_piece(PIECE, {"rows": []}, results_path=tmp_path).outputs
    assert out["rows"] == [{"count": 0}]
    out = run_piece(PIECE, {"rows": [], "group_by": ["region"]}, results_path=tmp_path).outputs
    assert out["rows"] == []


def test_multiple_group_columns_keep_first_appearance_order(tmp_path: Path) -> None:
    out = run_piece(PIECE, {"rows": ROWS, "group_by": ["region", "product"]}, results_path=tmp_path).outputs
    assert [(r["region"], r["product"], r["count"]) for r in out["rows"]] == [
        ("EU", "A", 2),
        ("US", "B", 1),
        ("EU", "B", 1),
    ]


def test_errors_name_the_problem(tmp_path: Path) -> None:
    with pytest.raises(PieceInputError, match="needs a column"):
        run_piece(PIECE, {"rows": ROWS, "aggregations": [{"function": "sum"}]}, results_path=tmp_path)
    inputs = {"rows": ROWS, "aggregations": [{"function": "count"}, {"function": "count"}]}
    with pytest.raises(PieceInputError, match="must be unique"):
        run_piece(PIECE, inputs, results_path=tmp_path)
    with pytest.raises(PieceExecutionError, match=r"unknown column\(s\) \['regio'\]"):
        run_piece(PIECE, {"rows": ROWS, "group_by": ["regio"]}, results_path=tmp_path)
    inputs = {"rows": ROWS, "aggregations": [{"function": "sum", "column": "product"}]}
    with pytest.raises(PieceExecutionError, match="'product': 'A' is not a number"):
        run_piece(PIECE, inputs, results_path=tmp_path)
