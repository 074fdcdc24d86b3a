"""Fixtures for workflow tests: a small catalog built from real Pydantic piece models."""

from __future__ import annotations

import copy
from enum import StrEnum
from typing import Any

import pytest
from pydantic import BaseModel, Field

from airflow_domino_plugin.workflows.catalog import InMemoryPieceCatalog, PieceSpec

# ----------------------------------------------------------------- LoginPiece


class LoginInput(BaseModel):
    username: str


class LoginOutput(BaseModel):
    token: str
    expires_in: int
    scopes: list[str] = []


class LoginSecrets(BaseModel):
    PASSWORD: str


# ----------------------------------------------------------------- HttpRequestPiece


class Method(StrEnum):
    GET = "GET"
    POST = "POST"


class Header(BaseModel):
    name: str
    value: str


class Row(BaseModel):
    id: int
    amount: float
    label: str | None = None


class HttpInput(BaseModel):
    url: str = Field(json_schema_extra={"from_upstream": "never"})
    method: Method = Method.GET
    region: str = "EU"
    headers: list[Header] = []
    timeout_s: float = 30
    retries: int = 0
    body: dict[str, Any] | None = None


class HttpOutput(BaseModel):
    status: int
    rows: list[Row]
    body: str
    elapsed_s: float
    maybe_count: int | None = None


class HttpSecrets(BaseModel):
    API_KEY: str
    PROXY_PASSWORD: str | None = None


# ----------------------------------------------------------------- SummarizePiece


class Layout(BaseModel):
    columns: int
    title: str = "Report"


class SummarizeInput(BaseModel):
    rows: list[Row] = Field(json_schema_extra={"from_upstream": "always"})
    title: str = "Summary"
    limit: int = 10
    threshold: float | None = None
    tags: list[str] = []
    layout: Layout | None = None


class SummarizeOutput(BaseModel):
    report: str
    count: int


def spec(name: str, version: str, inputs: type[BaseModel], outputs: type[BaseModel], secrets: Any = None) -> PieceSpec:
    return PieceSpec(
        repository="examples",
        version=version,
        name=name,
        input_schema=inputs.model_json_schema(),
        output_schema=outputs.model_json_schema(),
        secrets_schema=secrets.model_json_schema() if secrets else None,
    )


@pytest.fixture
def catalog() -> InMemoryPieceCatalog:
    return InMemoryPieceCatalog(
        [
            spec("LoginPiece", "1.0.0", LoginInput, LoginOutput, LoginSecrets),
            spec("HttpRequestPiece", "1.0.0", HttpInput, HttpOutput, HttpSecrets),
            spec("HttpRequestPiece", "1.10.0", HttpInput, HttpOutput, HttpSecrets),
            spec("SummarizePiece", "1.0.0", SummarizeInput, SummarizeOutput),
        ]
    )


VALID_DOCUMENT: dict[str, Any] = {
    "schema_version": 1,
    "id": "daily_sales",
    "name": "Daily sales report",
    "description": "Fetch orders and summarise them.",
    "schedule": "0 5 * * MON-FRI",
    "start_date": "2026-11-01T00:00:00Z",
    "end_date": "2027-11-01T00:00:00+01:00",
    "timezone": "Europe/Paris",
    "catchup": False,
    "max_active_runs": 1,
    "tags": ["sales"],
    "params": {
        "region": {"type": "string", "default": "EU", "enum": ["EU", "US"], "title": "Region"},
        "limit": {"type": "integer", "default": 5, "minimum": 1, "maximum": 100},
        "threshold": {"type": "number", "default": 0.5},
    },
    "defaults": {"retries": 1, "retry_delay_s": 300, "timeout_s": 3600, "runner": "subprocess"},
    "tasks": [
        {
            "id": "login",
            "piece": {"repository": "examples", "version": "1.0.0", "name": "LoginPiece"},
            "inputs": {"username": "reporter"},
            "secrets": {"PASSWORD": {"connection": "sales_api", "field": "password"}},
        },
        {
            "id": "fetch",
            "label": "Fetch orders",
            "piece": {"repository": "examples", "version": "1.0.0", "name": "HttpRequestPiece"},
            "inputs": {
                "url": "https://example.org/orders.json",
                "method": "GET",
                "region": {"$param": "region"},
                "headers": [
                    {"name": "Authorization", "value": {"$upstream": {"task": "login", "output": "token"}}},
                    {"name": "Accept", "value": "application/json"},
                ],
            },
            "secrets": {"API_KEY": {"variable": "domino_examples_api_key"}},
            "depends_on": ["login"],
            "retries": 2,
            "timeout_s": 600,
            "runner": "kubernetes",
            "resources": {
                "cpu": "500m",
                "memory": "512Mi",
                "gpu": 0,
                "node_selector": {"pool": "batch"},
                "tolerations": [{"key": "batch", "operator": "Exists", "effect": "NoSchedule"}],
                "namespace": "pipelines",
            },
        },
        {
            "id": "summarize",
            "piece": {"repository": "examples", "version": "1.0.0", "name": "SummarizePiece"},
            "inputs": {
                "rows": {"$upstream": {"task": "fetch", "output": "rows"}},
                "limit": {"$param": "limit"},
                "threshold": {"$param": "threshold"},
                "tags": ["daily", {"$upstream": {"task": "login", "output": "token"}}],
                "layout": {"columns": {"$upstream": {"task": "fetch", "output": "status"}}},
            },
            "depends_on": ["fetch"],
        },
    ],
    "ui": {
        "nodes": {"login": {"x": 0, "y": 0}, "fetch": {"x": 200, "y": 0}, "summarize": {"x": 400, "y": 0}},
        "viewport": {"x": 0, "y": 0, "zoom": 1.0},
    },
}


@pytest.fixture
def doc() -> dict[str, Any]:
    """A fresh deep copy of a realistic valid document, to be broken by each test."""
    return copy.deepcopy(VALID_DOCUMENT)
