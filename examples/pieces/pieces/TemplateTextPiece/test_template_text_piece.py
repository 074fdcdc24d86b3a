"""TemplateTextPiece: placeholders, case, repetition and template errors."""

from pathlib import Path

import pytest
from airflow_domino_sdk import PieceExecutionError
from airflow_domino_sdk.testing import run_piece

PIECE = Path(__file__).parent


def test_fill_uppercase_repeat(tmp_path: Path) -> None:
    inputs = {
        "template": "{greeting}, {user[name]}! {{{n:03d}}}",
        "values": {"greeting": "Hello", "user": {"name": "Ada"}, "n": 7},
        "uppercase": True,
        "repeat": 2,
        "separator": " / ",
    }
    assert run_piece(PIECE, inputs, results_path=tmp_path).outputs == {"text": "HELLO, ADA! {007} / HELLO, ADA! {007}"}


@pytest.mark.parametrize("template", ["{nope}", "{x.real}", "{}"])
def test_bad_placeholders(template: str, tmp_path: Path) -> None:
    with pytest.raises(PieceExecutionError, match="placeholder"):
        run_piece(PIECE, {"template": template, "values": {"x": 1}}, results_path=tmp_path)
