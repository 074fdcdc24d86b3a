"""The in-process REST client: what it forwards to Airflow's API app, and how refusals come back.

Airflow's own routes are exercised by the integration tests (test_runs_api, test_audit_log,
test_secrets_api); here a stand-in ASGI app takes the place of ``airflow.api_fastapi.main:app``
so the forwarding and the error mapping are checked without a stack.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI, HTTPException, Request

from airflow_domino_plugin import airflow_adapter
from airflow_domino_plugin.airflow_adapter.errors import AdapterError

SEEN: list[dict[str, Any]] = []


def _app() -> FastAPI:
    app = FastAPI()

    @app.patch("/api/v2/dags/{dag_id}")
    async def patch_dag(dag_id: str, request: Request) -> dict[str, Any]:
        SEEN.append({"path": request.url.path, "headers": dict(request.headers), "body": await request.json()})
        if dag_id == "forbidden":
            raise HTTPException(403, "Forbidden: DAG edit")
        if dag_id == "missing":
            raise HTTPException(404, "Dag with id missing was not found")
        return {"dag_id": dag_id, "is_paused": (await request.json())["is_paused"]}

    @app.delete("/api/v2/dags/{dag_id:path}", status_code=204)
    def delete_dag(dag_id: str) -> None:
        SEEN.append({"path": dag_id})
        if dag_id != "present":
            raise HTTPException(404, "not found")

    return app


@pytest.fixture
def api_server() -> Iterator[None]:
    module = types.ModuleType("airflow.api_fastapi.main")
    module.app = _app()  # type: ignore[attr-defined]
    saved = sys.modules.get("airflow.api_fastapi.main")
    sys.modules["airflow.api_fastapi.main"] = module
    SEEN.clear()
    yield
    if saved is None:
        del sys.modules["airflow.api_fastapi.main"]
    else:
        sys.modules["airflow.api_fastapi.main"] = saved


CALLER = airflow_adapter.Caller(
    (("authorization", "Bearer t0ken"), ("cookie", "_token=abc"), ("x-forwarded-for", "10.0.0.9"), ("host", "evil"))
)


def test_only_the_credentials_are_forwarded(api_server: None) -> None:
    assert airflow_adapter.AirflowApi(CALLER).set_paused("wf", True) is True
    headers = SEEN[0]["headers"]
    assert headers["authorization"] == "Bearer t0ken"
    assert headers["cookie"] == "_token=abc"
    assert "x-forwarded-for" not in headers
    assert headers["host"] != "evil"
    assert SEEN[0]["body"] == {"is_paused": True}


def test_a_refusal_keeps_airflows_status_and_reason(api_server: None) -> None:
    with pytest.raises(airflow_adapter.AirflowRefused) as refused:
        airflow_adapter.AirflowApi(CALLER).set_paused("forbidden", False)
    assert refused.value.status == 403
    assert refused.value.detail == "Forbidden: DAG edit"
    with pytest.raises(airflow_adapter.DagNotLoaded):
        airflow_adapter.AirflowApi(CALLER).set_paused("missing", False)


def test_ids_are_quoted_into_one_path_segment(api_server: None) -> None:
    api = airflow_adapter.AirflowApi(CALLER)
    assert api.delete_dag("present") is True
    assert api.delete_dag("a/../b") is False
    assert SEEN[-1]["path"] == "a/../b"  # one segment, not a traversal


def test_outside_the_api_server_it_says_so() -> None:
    saved = sys.modules.pop("airflow.api_fastapi.main", None)
    try:
        with pytest.raises(AdapterError, match="inside Airflow's API server"):
            airflow_adapter.AirflowApi(CALLER).set_paused("wf", True)
    finally:
        if saved is not None:
            sys.modules["airflow.api_fastapi.main"] = saved
