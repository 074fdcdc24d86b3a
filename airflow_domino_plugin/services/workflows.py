"""Stored workflows: reading them (saving with revisions comes with the workflow service)."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from airflow_domino_plugin.db.models import Workflow, WorkflowRevision
from airflow_domino_plugin.services.errors import NotFound
from airflow_domino_plugin.services.paging import Page, paginate


def list_workflows(session: Session, *, search: str = "", limit: int = 50, offset: int = 0) -> Page[Workflow]:
    statement = select(Workflow).order_by(Workflow.updated_at.desc(), Workflow.id)
    if search:
        pattern = f"%{search.lower()}%"
        statement = statement.where(
            or_(
                Workflow.id.ilike(pattern),
                Workflow.name.ilike(pattern),
                Workflow.description.ilike(pattern),
            )
        )
    return paginate(session, statement, limit=limit, offset=offset)


def current_revisions(session: Session, workflows: list[Workflow]) -> dict[str, WorkflowRevision]:
    ids = [w.current_revision_id for w in workflows if w.current_revision_id is not None]
    if not ids:
        return {}
    revisions = session.scalars(select(WorkflowRevision).where(WorkflowRevision.id.in_(ids)))
    return {revision.workflow_id: revision for revision in revisions}


def get_workflow(session: Session, workflow_id: str) -> Workflow:
    workflow = session.get(Workflow, workflow_id)
    if workflow is None:
        raise NotFound(f"Workflow {workflow_id!r} does not exist.")
    return workflow
