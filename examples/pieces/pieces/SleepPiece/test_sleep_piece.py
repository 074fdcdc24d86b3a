"""SleepPiece: waits, and refuses durations outside 0..3600 s."""

import time
from pathlib import Path

import pytest
from airflow_domino_sdk import PieceInputError
from airflow_domino_sdk.testing import run_piece

PIECE = Path(__file__).parent


def test_sleeps(tmp_path: Path) -> None:
    started = time.monotonic()
    result = run_piece(PIECE, {"seconds": 0.2}, results_path=tmp_path)
    assert time.monotonic() - started >= 0.2
    assert result.outputs == {"slept_seconds": 0.2}
    assert any("sleeping 0.2 second(s)" in line for line in result.logs)


@pytest.mark.parametrize("seconds", [-1, 3601])
def test_bounds(seconds: float, tmp_path: Path) -> None:
    with pytest.raises(PieceInputError, match="seconds"):
        run_piece(PIECE, {"seconds": seconds}, results_path=tmp_path)
