"""Every route refuses anonymous callers; mutations refuse read-only users."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from tests.integration.conftest import USERS, RunningStack

# Part of the focused set every supported Airflow release runs (make test-airflow-3.1 / 3.2).
pytestmark = pytest.mark.versions

MUTATING = {"post", "put", "patch", "delete"}
PUBLIC = {("/api/v1/health", "get")}


def _operations(admin: httpx.Client) -> list[tuple[str, str, dict[str, Any]]]:
    spec = admin.get("/openapi.json").raise_for_status().json()
    return [
        (path, method, op)
        for path, methods in spec["paths"].items()
        for method, op in methods.items()
        if method in MUTATING | {"get"}
    ]


def _concrete(path: str, operation: dict[str, Any]) -> str:
    types = {
        p["name"]: p.get("schema", {}).get("type", "string")
        for p in operation.get("parameters", [])
        if p.get("in") == "path"
    }
    return re.sub(r"\{(\w+)(?::path)?\}", lambda m: "1" if types.get(m.group(1)) == "integer" else "x", path)


def _paths(spec_path: str) -> str:
    return spec_path.removeprefix("/api/v1")


def test_openapi_document_lists_the_api(admin: httpx.Client) -> None:
    spec = admin.get("/openapi.json").raise_for_status().json()
    assert spec["info"]["title"] == "Domino for Airflow"
    assert {"/api/v1/health", "/api/v1/info", "/api/v1/repositories", "/api/v1/workflows"} <= set(spec["paths"])


def test_docs_page_is_served_to_logged_in_users(admin: httpx.Client, anonymous: httpx.Client) -> None:
    page = admin.get("/docs")
    assert page.status_code == 200
    assert "openapi.json" in page.text
    assert anonymous.get("/docs").status_code == 401
    assert anonymous.get("/openapi.json").status_code == 401


def test_every_route_requires_authentication(admin: httpx.Client, anonymous: httpx.Client) -> None:
    checked = 0
    for path, method, operation in _operations(admin):
        if (path, method) in PUBLIC:
            continue
        response = anonymous.request(method.upper(), _paths(_concrete(path, operation)), json={})
        assert response.status_code == 401, f"{method.upper()} {path} answered {response.status_code} anonymously"
        checked += 1
    assert checked >= 4


def test_read_only_user_cannot_mutate(admin: httpx.Client, viewer: httpx.Client) -> None:
    for path, method, operation in _operations(admin):
        url = _paths(_concrete(path, operation))
        response = viewer.request(method.upper(), url, json={})
        # Routes may declare the permission they need (`x-domino-permission`): a GET that needs more
        # than READ (the secrets list), or a POST that changes nothing (validation).
        needed = operation.get("x-domino-permission", "write" if method in MUTATING else "read")
        if needed != "read":
            assert response.status_code == 403, f"viewer {method.upper()} {path} answered {response.status_code}"
        else:
            assert response.status_code not in (401, 403), f"viewer GET {path} answered {response.status_code}"


def test_health_is_public_and_minimal(anonymous: httpx.Client) -> None:
    body = anonymous.get("/health").raise_for_status().json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert set(body) == {"status", "version", "database"}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (
            "viewer",
            {"read": True, "edit_workflows": False, "run_workflows": False, "manage_secrets": False, "admin": False},
        ),
        (
            "user",
            {"read": True, "edit_workflows": True, "run_workflows": True, "manage_secrets": False, "admin": False},
        ),
        ("op", {"read": True, "edit_workflows": True, "run_workflows": True, "manage_secrets": True, "admin": False}),
        ("admin", {"read": True, "edit_workflows": True, "run_workflows": True, "manage_secrets": True, "admin": True}),
    ],
)
def test_roles_map_to_permissions(airflow_stack: RunningStack, role: str, expected: dict[str, bool]) -> None:
    with airflow_stack.client(role) as client:
        info = client.get("/info").raise_for_status().json()
    assert info["user"]["name"] == USERS[role].username
    assert info["permissions"] == expected


def test_invalid_token_is_refused(airflow_stack: RunningStack) -> None:
    with httpx.Client(
        base_url=f"{airflow_stack.stack.url}/domino/api/v1", headers={"Authorization": "Bearer nope"}
    ) as c:
        assert c.get("/info").status_code in (401, 403)
