"""``/schemas``: the JSON schema of the workflow document, for editors and API clients."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from airflow_domino_plugin.api.authorization import Permission, requires
from airflow_domino_plugin.workflows.document import workflow_json_schema

router = APIRouter(prefix="/schemas", tags=["schemas"])


@router.get("/workflow.json", dependencies=[requires(Permission.READ)], summary="JSON schema of a workflow document")
def workflow_schema() -> dict[str, Any]:
    return workflow_json_schema()
