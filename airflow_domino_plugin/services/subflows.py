"""The deployed workflows a document runs or waits for, as validation needs them (sub-workflows, schedules)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from airflow_domino_plugin.db.models import Workflow as WorkflowRow
from airflow_domino_plugin.db.models import WorkflowRevision
from airflow_domino_plugin.services.catalog import catalog_for
from airflow_domino_plugin.workflows.catalog import PieceSpec
from airflow_domino_plugin.workflows.document import Workflow
from airflow_domino_plugin.workflows.subflows import referenced_workflows, sub_workflow_spec


def deployed_workflows(session: Session, document: Any) -> dict[str, Workflow]:
    """Deployed revisions of the workflows ``document`` references, and of those they reference, by id.

    Also every deployed workflow id (value ``None`` is never stored: unknown ids are simply absent),
    so "not deployed" errors can list what exists. A stored document that no longer parses is left out.
    """
    found: dict[str, Workflow] = {}
    pending = referenced_workflows(document)
    own = document.get("id") if isinstance(document, dict) else None
    while pending:
        rows = session.execute(
            select(WorkflowRow.id, WorkflowRevision.document)
            .join(WorkflowRevision, WorkflowRow.deployed_revision_id == WorkflowRevision.id)
            .where(WorkflowRow.id.in_(pending))
        ).tuples()
        pending = set()
        for workflow_id, stored in rows:
            try:
                found[workflow_id] = Workflow.model_validate(stored)
            except ValueError:
                continue
            pending |= referenced_workflows(stored) - set(found) - {own}
    return found


def repositories_of(workflows: dict[str, Workflow]) -> set[str]:
    """Pieces repositories the given workflows' tasks use (their outputs' schemas come from them)."""
    return {task.piece.repository for wf in workflows.values() for task in wf.tasks if task.piece is not None}


def sub_workflow_task_spec(session: Session, workflow_id: str) -> PieceSpec | None:
    """What a task running ``workflow_id`` takes and returns, as validation sees it; None when not deployed."""
    lookup = deployed_workflows(session, {"tasks": [{"workflow": {"id": workflow_id}}]})
    return sub_workflow_spec(workflow_id, lookup, catalog_for(session, repositories_of(lookup)))
