"""On the real stack, whose components hold a real Fernet key, JWT secret, database URL and a planted
cloud credential: a hostile repository installed through the API, and its pieces run by the
scheduler, see none of them."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.integration.conftest import RunningStack
from tests.integration.helpers import dag, install_repository, run_dag, task_log, wait_for, xcom
from tests.stack import PLANTED_AWS_SECRET
from tests.unit.repositories.test_sandboxed_compile import PROBE_REPO

SECRET_NAMES = (
    "AIRFLOW__CORE__FERNET_KEY",
    "AIRFLOW__API_AUTH__JWT_SECRET",
    "AIRFLOW__API__SECRET_KEY",
    "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN",
    "AIRFLOW__DOMINO__SQL_ALCHEMY_CONN",
    "AWS_SECRET_ACCESS_KEY",
)


def _secrets(stack: RunningStack) -> dict[str, str]:
    env = stack.stack.env()
    secrets = {name: env[name] for name in SECRET_NAMES}
    assert secrets["AWS_SECRET_ACCESS_KEY"] == PLANTED_AWS_SECRET
    assert all(len(value) >= 16 for value in secrets.values()), "the stack should hold real secrets"
    return secrets


def _assert_sees_none(seen: dict[str, Any], secrets: dict[str, str]) -> None:
    text = json.dumps(seen)
    assert [name for name, value in secrets.items() if value in text] == []
    environ = seen["environ"]
    assert [k for k in environ if k.startswith(("AIRFLOW", "AWS_", "GOOGLE_", "AZURE_", "KUBERNETES_"))] == []
    assert seen["airflow_importable"] is False
    assert seen["other_processes"] == {}  # the stack's processes hold the secrets in /proc/<pid>/environ


@pytest.fixture(scope="module")
def probe_install(airflow_stack: RunningStack) -> dict[str, Any]:
    with airflow_stack.client("admin") as admin:
        job = install_repository(admin, PROBE_REPO)
    assert job["state"] == "succeeded", (job["error"], job["log"][-5:])
    return job


def test_hostile_models_installed_through_the_api_see_no_secret(
    probe_install: dict[str, Any], admin: httpx.Client, airflow_stack: RunningStack
) -> None:
    listed = admin.get("/pieces", params={"search": "Snoop", "limit": 50}).json()["items"]
    ids = {p["name"]: p["id"] for p in listed if p["repository"] == "sandbox_probe_pieces"}
    assert sorted(ids) == ["SnoopPiece", "SnoopSlugifyPiece"]
    secrets = _secrets(airflow_stack)
    for piece_id in ids.values():
        seen = admin.get(f"/pieces/{piece_id}").json()["input_schema"]["x-seen"]
        _assert_sees_none(seen, secrets)
        assert "/_venvs/" in seen["executable"]  # the group's virtualenv, not the API server's interpreter


def test_a_piece_run_by_the_scheduler_sees_no_secret(
    probe_install: dict[str, Any], admin: httpx.Client, airflow_api: httpx.Client, airflow_stack: RunningStack
) -> None:
    piece = {"repository": "sandbox_probe_pieces", "version": "0.1.0", "name": "SnoopPiece"}
    document = {
        "schema_version": 1, "id": "sandbox_snoop", "name": "sandbox_snoop", "schedule": None,
        "tasks": [{"id": "snoop", "piece": piece, "inputs": {}, "resources": {"memory": "512Mi", "gpu": 1}}],
    }  # fmt: skip
    response = admin.post("/workflows", json={"document": document})
    assert response.status_code == 201, response.text
    wait_for("DAG sandbox_snoop", lambda: dag(airflow_api, "sandbox_snoop"), timeout=30)
    run = run_dag(airflow_api, "sandbox_snoop")
    log = task_log(airflow_api, "sandbox_snoop", run["dag_run_id"], "snoop")
    assert run["state"] == "success", log
    seen = json.loads(xcom(airflow_api, "sandbox_snoop", run["dag_run_id"], "snoop")["seen"])
    _assert_sees_none(seen, _secrets(airflow_stack))
    assert "Resource limits applied: memory 512Mi (RLIMIT_DATA 536870912 bytes)" in log
    assert "gpu 1: a local process cannot reserve GPUs" in log
