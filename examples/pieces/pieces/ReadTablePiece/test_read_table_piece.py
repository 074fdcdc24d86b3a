"""ReadTablePiece on local files and on a throw-away http.server on 127.0.0.1."""

import json
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from airflow_domino_sdk import PieceExecutionError
from airflow_domino_sdk.testing import run_piece

PIECE = Path(__file__).parent
CSV = "id,name,amount,zip,note\n1,Ada,12.5,00123,\n2,Bob,-3,75001,hi\n"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def files(tmp_path: Path) -> Path:
    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "people.csv").write_text(CSV)
    (folder / "people.json").write_text(json.dumps({"data": {"items": [{"id": 1}, {"id": 2, "extra": True}]}}))
    (folder / "people.jsonl").write_text('{"id": 1}\n\n{"id": 2}\n')
    (folder / "semi.txt").write_text("a;b\n1;x\n")
    return folder


@pytest.fixture
def server(files: Path) -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(files)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_csv_with_type_inference(files: Path, tmp_path: Path) -> None:
    out = run_piece(PIECE, {"source": str(files / "people.csv")}, results_path=tmp_path / "r").outputs
    assert out["columns"] == ["id", "name", "amount", "zip", "note"]
    assert out["row_count"] == 2
    assert out["rows"][0] == {"id": 1, "name": "Ada", "amount": 12.5, "zip": "00123", "note": None}
    assert out["rows"][1]["amount"] == -3


def test_csv_as_strings(files: Path, tmp_path: Path) -> None:
    out = run_piece(PIECE, {"source": str(files / "people.csv"), "infer_types": False}, results_path=tmp_path).outputs
    assert out["rows"][0]["id"] == "1"
    assert out["rows"][0]["note"] == ""


def test_explicit_format_and_delimiter(files: Path, tmp_path: Path) -> None:
    inputs = {"source": str(files / "semi.txt"), "format": "csv", "delimiter": ";"}
    assert run_piece(PIECE, inputs, results_path=tmp_path).outputs["rows"] == [{"a": 1, "b": "x"}]


def test_json_records_path_and_max_rows(files: Path, tmp_path: Path) -> None:
    inputs = {"source": str(files / "people.json"), "records_path": "data.items"}
    out = run_piece(PIECE, inputs, results_path=tmp_path).outputs
    assert out["columns"] == ["id", "extra"]
    assert out["row_count"] == 2
    out = run_piece(PIECE, {**inputs, "max_rows": 1}, results_path=tmp_path).outputs
    assert out["rows"] == [{"id": 1}]


def test_json_object_without_records_path_says_what_to_do(files: Path, tmp_path: Path) -> None:
    with pytest.raises(PieceExecutionError, match=r"set records_path to one of \['items'\]"):
        run_piece(PIECE, {"source": str(files / "people.json"), "records_path": "data"}, results_path=tmp_path)


def test_csv_and_jsonl_from_url(server: str, tmp_path: Path) -> None:
    out = run_piece(PIECE, {"source": f"{server}/people.csv"}, results_path=tmp_path).outputs
    assert out["rows"][1]["name"] == "Bob"
    out = run_piece(PIECE, {"source": f"{server}/people.jsonl"}, results_path=tmp_path).outputs
    assert out["rows"] == [{"id": 1}, {"id": 2}]


def test_missing_file_and_unknown_format(files: Path, tmp_path: Path) -> None:
    with pytest.raises(PieceExecutionError, match="no such file"):
        run_piece(PIECE, {"source": str(files / "nope.csv")}, results_path=tmp_path)
    with pytest.raises(PieceExecutionError, match="relative paths are read from"):
        run_piece(PIECE, {"source": "no/such/sales.csv"}, results_path=tmp_path)
    with pytest.raises(PieceExecutionError, match="cannot tell the format"):
        run_piece(PIECE, {"source": str(files / "semi.txt")}, results_path=tmp_path)
    with pytest.raises(PieceExecutionError, match="unsupported source"):
        run_piece(PIECE, {"source": "ftp://example.org/x.csv"}, results_path=tmp_path)


def test_paths_outside_the_allowed_folders_are_refused(files: Path, tmp_path: Path) -> None:
    """Run as Airflow runs it: only the run's folder and [domino] allowed_input_paths may be read."""
    home = tmp_path / "airflow"
    home.mkdir()
    (home / "airflow.cfg").write_text("[database]\nsql_alchemy_conn = postgresql://u:secret@db/airflow\n")
    context = {"allowed_paths": [str(files)], "run_folder": str(tmp_path / "run")}
    allowed = run_piece(PIECE, {"source": str(files / "people.csv")}, results_path=tmp_path / "r", context=context)
    assert allowed.outputs["row_count"] == 2
    for forbidden in ("/etc/passwd", str(home / "airflow.cfg"), f"file://{home}/airflow.cfg", "../airflow/airflow.cfg"):
        with pytest.raises(PieceExecutionError, match=r"outside the folders pieces may read.*allowed_input_paths"):
            run_piece(PIECE, {"source": forbidden, "format": "csv"}, results_path=tmp_path / "r", context=context)
    (files / "link.csv").symlink_to("/etc/passwd")
    with pytest.raises(PieceExecutionError, match="outside the folders pieces may read"):
        run_piece(PIECE, {"source": str(files / "link.csv")}, results_path=tmp_path / "r", context=context)
