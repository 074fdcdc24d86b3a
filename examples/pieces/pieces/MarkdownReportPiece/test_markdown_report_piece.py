"""MarkdownReportPiece: placeholders, table rendering, the md display result and template errors."""

from pathlib import Path

import pytest
from airflow_domino_sdk import PieceExecutionError, PieceInputError
from airflow_domino_sdk.testing import run_piece

PIECE = Path(__file__).parent
ROWS = [
    {"region": "EU", "revenue": 1698.5, "orders": 8, "note": "a|b"},
    {"region": "US", "revenue": 3180.9, "orders": 11, "note": None},
]


def test_template_values_and_table(tmp_path: Path) -> None:
    inputs = {
        "title": "Sales {period}",
        "template": "Total: **{total:.1f}** over {row_count} regions; best {best[region]}.\n\n{table}\n\nBraces: {{x}}",
        "values": {"period": "October", "total": 4879.4, "best": {"region": "US"}},
        "table_rows": ROWS,
    }
    result = run_piece(PIECE, inputs, results_path=tmp_path)
    markdown = result.outputs["markdown"]
    assert markdown.startswith("# Sales October\n\nTotal: **4879.4** over 2 regions; best US.\n")
    assert "| region | revenue | orders | note |\n|---|---:|---:|---|\n" in markdown
    assert "| EU | 1698.50 | 8 | a\\|b |" in markdown
    assert "| US | 3180.90 | 11 |  |" in markdown
    assert markdown.endswith("Braces: {x}\n")
    assert Path(result.outputs["report_path"]).read_text() == markdown
    assert result.display_result is not None
    assert result.display_result["file_type"] == "md"
    assert result.display_result["relative_path"] == "report.md"


def test_table_is_appended_and_cut(tmp_path: Path) -> None:
    inputs = {
        "title": "",
        "template": "Intro",
        "table_rows": ROWS,
        "table_columns": ["orders", "region"],
        "max_table_rows": 1,
        "decimals": 0,
    }
    markdown = run_piece(PIECE, inputs, results_path=tmp_path).outputs["markdown"]
    assert markdown == "Intro\n\n| orders | region |\n|---:|---|\n| 8 | EU |\n\n_Showing 1 of 2 rows._\n"


def test_default_template_without_rows(tmp_path: Path) -> None:
    assert run_piece(PIECE, {}, results_path=tmp_path).outputs["markdown"] == "# Report\n"


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{missing}", r"placeholder \{missing\} has no value"),
        ("{v.__class__}", "attribute access is not allowed"),
        ("{v[nope]}", "no item 'nope'"),
        ("{0}", "needs a name"),
    ],
)
def test_template_errors(template: str, message: str, tmp_path: Path) -> None:
    with pytest.raises(PieceExecutionError, match=message):
        run_piece(PIECE, {"template": template, "values": {"v": {"a": 1}}}, results_path=tmp_path)


def test_file_name_must_be_plain(tmp_path: Path) -> None:
    with pytest.raises(PieceInputError, match="file_name"):
        run_piece(PIECE, {"file_name": "/etc/report.md"}, results_path=tmp_path)
