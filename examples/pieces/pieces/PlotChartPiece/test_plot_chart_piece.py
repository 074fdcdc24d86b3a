"""PlotChartPiece: each chart type produces a PNG display result in the results folder."""

from pathlib import Path

import pytest
from airflow_domino_sdk import PieceExecutionError, PieceInputError
from airflow_domino_sdk.testing import run_piece

PIECE = Path(__file__).parent
ROWS = [
    {"region": "EU", "revenue": 120.5, "orders": 3, "day": 1},
    {"region": "US", "revenue": "80", "orders": 2, "day": 2},
    {"region": "APAC", "revenue": None, "orders": 1, "day": 3},
]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("chart_type", ["bar", "line", "scatter"])
def test_chart_types(chart_type: str, tmp_path: Path) -> None:
    x_column = "region" if chart_type == "bar" else "day"
    inputs = {
        "rows": ROWS,
        "x_column": x_column,
        "y_columns": ["revenue", "orders"],
        "chart_type": chart_type,
        "title": "Sales",
    }
    result = run_piece(PIECE, inputs, results_path=tmp_path)
    image = Path(result.outputs["image_path"])
    assert image == tmp_path / "chart.png"
    assert image.read_bytes().startswith(PNG_SIGNATURE)
    assert result.display_result is not None
    assert result.display_result["file_type"] == "png"
    assert result.display_result["relative_path"] == "chart.png"


def test_custom_file_name_and_size(tmp_path: Path) -> None:
    inputs = {"rows": ROWS, "x_column": "region", "y_columns": ["orders"], "file_name": "orders.png", "dpi": 50}
    result = run_piece(PIECE, {**inputs, "width_inches": 4, "height_inches": 2}, results_path=tmp_path)
    assert result.outputs["image_path"].endswith("orders.png")
    width, height = (int.from_bytes(Path(result.outputs["image_path"]).read_bytes()[o : o + 4]) for o in (16, 20))
    assert (width, height) == (200, 100)


def test_errors(tmp_path: Path) -> None:
    with pytest.raises(PieceInputError, match="file_name"):
        run_piece(
            PIECE,
            {"rows": ROWS, "x_column": "region", "y_columns": ["orders"], "file_name": "../x.png"},
            results_path=tmp_path,
        )
    with pytest.raises(PieceExecutionError, match=r"unknown column\(s\) \['revenu'\]"):
        run_piece(PIECE, {"rows": ROWS, "x_column": "region", "y_columns": ["revenu"]}, results_path=tmp_path)
    with pytest.raises(PieceExecutionError, match="'region': 'EU' is not a number"):
        run_piece(PIECE, {"rows": ROWS, "x_column": "day", "y_columns": ["region"]}, results_path=tmp_path)
