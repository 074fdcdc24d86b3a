"""LogValuePiece: logs with label and level, passes the value through, shows it as JSON."""

import json
from pathlib import Path

import pytest
from airflow_domino_sdk.testing import run_piece

PIECE = Path(__file__).parent


@pytest.mark.parametrize("value", [{"a": [1, 2.5, None]}, [1, "x"], "text", 3, True, None])
def test_passes_value_through(value: object, tmp_path: Path) -> None:
    result = run_piece(PIECE, {"value": value, "label": "rows"}, results_path=tmp_path)
    assert result.outputs == {"value": value}
    assert any("INFO - rows: " in line for line in result.logs)
    assert result.display_result is not None
    assert result.display_result["file_type"] == "json"
    assert json.loads(Path(result.display_result["file_path"]).read_text()) == value


def test_level_truncation_and_no_result(tmp_path: Path) -> None:
    inputs = {"value": "x" * 500, "level": "WARNING", "max_chars": 100, "show_as_result": False}
    result = run_piece(PIECE, inputs, results_path=tmp_path)
    assert result.display_result is None
    line = next(line for line in result.logs if "WARNING - value: " in line)
    assert line.endswith("... (502 chars)")
