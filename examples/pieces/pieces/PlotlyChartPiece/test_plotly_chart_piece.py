"""PlotlyChartPiece: figure JSON as the display result, HTML page next to it."""

import json
from pathlib import Path

import pytest
from airflow_domino_sdk import PieceExecutionError, PieceInputError
from airflow_domino_sdk.testing import run_piece

PIECE = Path(__file__).parent
ROWS = [
    {"region": "EU", "revenue": 120.5, "orders": 3},
    {"region": "US", "revenue": "80", "orders": 2},
]


@pytest.mark.parametrize(("chart_type", "trace_type"), [("bar", "bar"), ("line", "scatter"), ("pie", "pie")])
def test_chart_types(chart_type: str, trace_type: str, tmp_path: Path) -> None:
    inputs = {"rows": ROWS, "x_column": "region", "y_columns": ["revenue", "orders"], "chart_type": chart_type}
    result = run_piece(PIECE, {**inputs, "title": "Revenue"}, results_path=tmp_path)
    figure = json.loads(Path(result.outputs["figure_json_path"]).read_text())
    assert {trace["type"] for trace in figure["data"]} == {trace_type}
    assert len(figure["data"]) == (1 if chart_type == "pie" else 2)
    assert figure["layout"]["title"]["text"] == "Revenue"
    assert result.display_result is not None
    assert result.display_result["file_type"] == "plotly_json"
    assert result.display_result["file_path"] == result.outputs["figure_json_path"]
    html = Path(result.outputs["figure_path"]).read_text()
    assert "cdn.plot.ly" in html
    assert "Revenue" in html


def test_values_are_numbers(tmp_path: Path) -> None:
    inputs = {"rows": ROWS, "x_column": "region", "y_columns": ["revenue"], "chart_type": "scatter"}
    result = run_piece(PIECE, inputs, results_path=tmp_path)
    trace = json.loads(Path(result.outputs["figure_json_path"]).read_text())["data"][0]
    assert trace["mode"] == "markers"
    assert trace["y"] == [120.5, 80.0]  # numeric text became numbers


def test_errors(tmp_path: Path) -> None:
    inputs = {"rows": ROWS, "x_column": "region", "y_columns": ["orders"], "file_name": "a/b.html"}
    with pytest.raises(PieceInputError, match="file_name"):
        run_piece(PIECE, inputs, results_path=tmp_path)
    with pytest.raises(PieceExecutionError, match="no rows"):
        run_piece(PIECE, {"rows": [], "x_column": "region", "y_columns": ["orders"]}, results_path=tmp_path)
