"""SortTopNPiece: directions per column, stability, nulls last, mixed types and top N."""

from pathlib import Path

import pytest
from airflow_domino_sdk import PieceExecutionError, PieceInputError
from airflow_domino_sdk.testing import run_piece

PIECE = Path(__file__).parent
ROWS = [
    {"id": 1, "region": "EU", "amount": 5},
    {"id": 2, "region": "US", "amount": None},
    {"id": 3, "region": "EU", "amount": "30"},
    {"id": 4, "region": "APAC", "amount": 30},
    {"id": 5, "region": "US", "amount": 12.5},
]


def ids(tmp_path: Path, sort_by: list[dict[str, str]], top_n: int | None = None) -> list[int]:
    out = run_piece(PIECE, {"rows": ROWS, "sort_by": sort_by, "top_n": top_n}, results_path=tmp_path).outputs
    assert out["row_count"] == len(out["rows"])
    return [r["id"] for r in out["rows"]]


def test_single_column_both_directions_nulls_last(tmp_path: Path) -> None:
    assert ids(tmp_path, [{"column": "amount"}]) == [1, 5, 3, 4, 2]
    assert ids(tmp_path, [{"column": "amount", "order": "desc"}]) == [3, 4, 5, 1, 2]  # ties keep input order


def test_multiple_columns_and_top_n(tmp_path: Path) -> None:
    sort_by = [{"column": "region"}, {"column": "amount", "order": "desc"}]
    assert ids(tmp_path, sort_by) == [4, 3, 1, 5, 2]
    assert ids(tmp_path, sort_by, top_n=2) == [4, 3]


def test_no_sort_keys_just_cuts(tmp_path: Path) -> None:
    assert ids(tmp_path, [], top_n=3) == [1, 2, 3]


def test_mixed_types_do_not_raise(tmp_path: Path) -> None:
    rows = [{"v": "b"}, {"v": 2}, {"v": "a"}, {"v": True}]
    out = run_piece(PIECE, {"rows": rows, "sort_by": [{"column": "v"}]}, results_path=tmp_path).outputs
    assert [r["v"] for r in out["rows"]] == [2, True, "a", "b"]


def test_errors(tmp_path: Path) -> None:
    with pytest.raises(PieceExecutionError, match="unknown column"):
        ids(tmp_path, [{"column": "amout"}])
    with pytest.raises(PieceInputError, match="top_n"):
        ids(tmp_path, [], top_n=0)
