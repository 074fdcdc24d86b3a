"""HttpRequestPiece against a throw-away http.server on 127.0.0.1 (no network needed)."""

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from airflow_domino_sdk import PieceExecutionError, PieceInputError
from airflow_domino_sdk.testing import run_piece

PIECE = Path(__file__).parent


class _Handler(BaseHTTPRequestHandler):
    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Test", "a")
        self.send_header("X-Test", "b")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        if self.path.startswith("/redirect"):
            self.send_response(302)
            self.send_header("Location", "/echo?via=redirect")
            self.end_headers()
        elif self.path.startswith("/text"):
            self._send(200, "héllo".encode("latin-1"), "text/plain; charset=latin-1")
        elif self.path.startswith("/error"):
            self._send(503, b'{"error": "down"}', "application/json")
        else:
            echo = {"method": self.command, "path": self.path, "headers": dict(self.headers), "body": body}
            self._send(200, json.dumps(echo).encode(), "application/json")

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _handle

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_get_with_headers_and_query(server: str, tmp_path: Path) -> None:
    result = run_piece(
        PIECE,
        {
            "url": f"{server}/echo?fixed=1",
            "headers": [{"name": "Accept", "value": "application/json"}],
            "query_params": [{"name": "q", "value": "a b&c"}, {"name": "page", "value": "2"}],
        },
        results_path=tmp_path,
    )
    out = result.outputs
    assert out["status_code"] == 200
    assert out["ok"] is True
    assert out["json_data"]["method"] == "GET"
    assert out["json_data"]["path"] == "/echo?fixed=1&q=a+b%26c&page=2"
    assert out["json_data"]["headers"]["Accept"] == "application/json"
    assert out["headers"]["content-type"] == "application/json"
    assert out["headers"]["x-test"] == "a, b"
    # The query string may hold keys: only the path is logged.
    assert any("GET http://127.0.0.1" in line and "/echo" in line for line in result.logs)
    assert not any("page=2" in line for line in result.logs)


def test_post_json_body_and_token_secret(server: str, tmp_path: Path) -> None:
    result = run_piece(
        PIECE,
        {"url": f"{server}/echo", "method": "POST", "body_format": "json", "json_body": {"rows": [1, 2]}},
        secrets_data={"API_TOKEN": "s3cr3t-token"},
        results_path=tmp_path,
    )
    echo = result.outputs["json_data"]
    assert echo["method"] == "POST"
    assert json.loads(echo["body"]) == {"rows": [1, 2]}
    assert echo["headers"]["Content-Type"] == "application/json"
    assert echo["headers"]["Authorization"] == "Bearer s3cr3t-token"
    assert not any("s3cr3t" in line or "***" in line for line in result.logs)


def test_text_body_charset_and_non_json(server: str, tmp_path: Path) -> None:
    result = run_piece(
        PIECE,
        {"url": f"{server}/text", "method": "PUT", "body_format": "text", "text_body": "x"},
        results_path=tmp_path,
    )
    assert result.outputs["text"] == "héllo"
    assert result.outputs["json_data"] is None


def test_redirect_is_followed(server: str, tmp_path: Path) -> None:
    result = run_piece(PIECE, {"url": f"{server}/redirect"}, results_path=tmp_path)
    assert result.outputs["final_url"].endswith("/echo?via=redirect")
    assert result.outputs["json_data"]["path"] == "/echo?via=redirect"


def test_error_status_fails_or_is_returned(server: str, tmp_path: Path) -> None:
    with pytest.raises(PieceExecutionError, match="returned 503"):
        run_piece(PIECE, {"url": f"{server}/error"}, results_path=tmp_path)
    result = run_piece(PIECE, {"url": f"{server}/error", "fail_on_error_status": False}, results_path=tmp_path)
    assert result.outputs["status_code"] == 503
    assert result.outputs["ok"] is False
    assert result.outputs["json_data"] == {"error": "down"}


def test_only_http_urls(tmp_path: Path) -> None:
    with pytest.raises(PieceInputError, match="url"):
        run_piece(PIECE, {"url": "file:///etc/passwd"}, results_path=tmp_path)


def test_unreachable_host_fails_clearly(tmp_path: Path) -> None:
    with pytest.raises(PieceExecutionError, match="failed"):
        run_piece(PIECE, {"url": "http://127.0.0.1:9/nothing", "timeout_seconds": 2}, results_path=tmp_path)
