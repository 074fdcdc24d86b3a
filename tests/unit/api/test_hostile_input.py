"""Hostile input is refused with a 4xx naming the field, never a 500 (issue 11, item 5)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from pydantic import ValidationError

from airflow_domino_plugin.api.errors import document_errors, install_error_handlers
from airflow_domino_plugin.api.limits import BodySizeLimit
from airflow_domino_plugin.workflows.document import MAX_JSON_DEPTH, Workflow

PIECE = {"repository": "r", "version": "1", "name": "P"}


def _doc(**changes: Any) -> dict[str, Any]:
    return {"schema_version": 1, "id": "wf", "name": "wf", "tasks": [{"id": "t", "piece": PIECE}], **changes}


def _errors(document: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as info:
        Workflow.model_validate(document)
    return [(".".join(str(p) for p in e["loc"]), e["msg"]) for e in info.value.errors()]


@pytest.mark.parametrize("bad", ["daily\n", "daily\r\n", "\ndaily"])
def test_ids_with_a_newline_are_refused(bad: str) -> None:
    assert _errors(_doc(id=bad))[0][0] == "id"
    task = {"id": bad, "piece": PIECE}
    assert _errors(_doc(tasks=[task]))[0][0] == "tasks.0.id"


def _nested(levels: int) -> Any:
    value: Any = 1
    for _ in range(levels):
        value = {"a": value}
    return value


def test_deeply_nested_values_are_refused_where_they_are() -> None:
    Workflow.model_validate(_doc(tasks=[{"id": "t", "piece": PIECE, "inputs": {"x": _nested(MAX_JSON_DEPTH - 1)}}]))
    deep = _doc(tasks=[{"id": "t", "piece": PIECE, "inputs": {"x": _nested(350)}}])
    ((where, message),) = _errors(deep)
    assert where == "tasks.0.inputs"
    assert f"more than {MAX_JSON_DEPTH} levels" in message
    assert _errors(_doc(ui={"nodes": {}, "deep": _nested(300)}))[0][0] == "ui"
    assert _errors(_doc(params={"p": {"type": "object", "default": _nested(300)}}))[0][0] == "params.p.default"


@pytest.mark.parametrize("field", ["retries", "retry_delay_s", "timeout_s"])
def test_integers_beyond_32_bits_are_refused(field: str) -> None:
    assert _errors(_doc(tasks=[{"id": "t", "piece": PIECE, field: 2**64}]))[0][0] == f"tasks.0.{field}"
    assert _errors(_doc(max_active_runs=2**31))[0][0] == "max_active_runs"


def _app(limit: int) -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)
    app.add_middleware(BodySizeLimit, limit=limit)

    @app.post("/echo")
    async def echo(request: Request) -> dict[str, int]:
        return {"size": len(await request.body())}

    @app.post("/json")
    def json_body(body: dict[str, Any]) -> dict[str, int]:
        return {"keys": len(body)}

    return app


def test_bodies_above_the_limit_answer_413_announced_or_streamed() -> None:
    client = TestClient(_app(1000))
    assert client.post("/echo", content=b"x" * 1000).json() == {"size": 1000}
    announced = client.post("/echo", content=b"x" * 1001)
    assert announced.status_code == 413
    assert announced.json()["errors"][0]["path"] == "body"

    def chunks() -> Any:  # no Content-Length: chunked transfer, counted as it arrives
        for _ in range(20):
            yield b"y" * 100

    streamed = client.post("/echo", content=chunks())
    assert streamed.status_code == 413
    assert "max_request_bytes" in streamed.json()["detail"]


def test_unparsable_json_answers_400_in_the_documented_shape() -> None:
    response = TestClient(_app(0)).post("/json", content=b"\xff{", headers={"Content-Type": "application/json"})
    assert response.status_code in (400, 422)
    body = response.json()
    assert isinstance(body["detail"], str)
    assert body["errors"][0]["path"] == "body"


def test_openapi_promises_the_error_shape_that_is_sent() -> None:
    app = _app(0)
    spec = document_errors(app.openapi())
    schemas = spec["components"]["schemas"]
    assert "HTTPValidationError" not in schemas
    assert schemas["ErrorOut"]["properties"]["detail"]["type"] == "string"
    responses = spec["paths"]["/json"]["post"]["responses"]
    for status in ("422", "4XX"):
        assert responses[status]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorOut"}
    sent = TestClient(app).post("/json", json=[1]).json()
    assert set(sent) == {"detail", "errors"}
    assert set(sent["errors"][0]) >= {"path", "message"}
