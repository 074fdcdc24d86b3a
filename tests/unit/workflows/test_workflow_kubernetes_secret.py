"""A task can read a secret from an existing Kubernetes Secret, but only with the kubernetes runner."""

from __future__ import annotations

import copy
from typing import Any

from airflow_domino_plugin.workflows.catalog import InMemoryPieceCatalog, PieceSpec
from airflow_domino_plugin.workflows.validation import validate_workflow

SECRETS = {"type": "object", "properties": {"TOKEN": {"type": "string"}}, "required": ["TOKEN"]}
CATALOG = InMemoryPieceCatalog(
    [
        PieceSpec(
            "r", "1", "P", input_schema={"type": "object", "properties": {}}, output_schema={}, secrets_schema=SECRETS
        )
    ]
)
DOC: dict[str, Any] = {
    "schema_version": 1,
    "id": "k8s",
    "name": "K8s",
    "tasks": [
        {
            "id": "t",
            "piece": {"repository": "r", "version": "1", "name": "P"},
            "runner": "kubernetes",
            "secrets": {"TOKEN": {"kubernetes_secret": "api-credentials", "key": "token"}},
        }
    ],
}


def test_kubernetes_secret_binding_is_valid_for_the_kubernetes_runner() -> None:
    assert validate_workflow(DOC, CATALOG) == []


def test_kubernetes_secret_binding_is_refused_for_the_local_runner() -> None:
    document = copy.deepcopy(DOC)
    document["tasks"][0]["runner"] = "subprocess"
    [issue] = validate_workflow(document, CATALOG)
    assert issue.path == "tasks[0].secrets.TOKEN"
    assert "kubernetes" in issue.message


def test_kubernetes_secret_binding_needs_a_key() -> None:
    document = copy.deepcopy(DOC)
    del document["tasks"][0]["secrets"]["TOKEN"]["key"]
    issues = validate_workflow(document, CATALOG)
    assert any(i.path.startswith("tasks[0].secrets.TOKEN") for i in issues)
