"""``/workflows``: stored workflows and their revisions."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from airflow.api_fastapi.common.db.common import SessionDep
from fastapi import APIRouter, Query
from pydantic import BaseModel

from airflow_domino_plugin.api.authorization import Permission, requires
from airflow_domino_plugin.api.paging import Limit, Offset, PageOut
from airflow_domino_plugin.db.models import Workflow, WorkflowRevision
from airflow_domino_plugin.services import workflows as service

router = APIRouter(prefix="/workflows", tags=["workflows"])


class RevisionSummary(BaseModel):
    id: int
    number: int
    created_at: datetime
    author: str
    message: str

    @classmethod
    def of(cls, revision: WorkflowRevision) -> RevisionSummary:
        return cls(
            id=revision.id,
            number=revision.number,
            created_at=revision.created_at,
            author=revision.author,
            message=revision.message,
        )


class WorkflowSummary(BaseModel):
    id: str
    name: str
    description: str
    tags: list[str]
    schedule: str | None
    revision: RevisionSummary | None
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str

    @classmethod
    def of(cls, workflow: Workflow, revision: WorkflowRevision | None) -> WorkflowSummary:
        document: dict[str, Any] = revision.document if revision else {}
        return cls(
            id=workflow.id,
            name=workflow.name,
            description=workflow.description,
            tags=[str(t) for t in workflow.tags],
            schedule=document.get("schedule"),
            revision=RevisionSummary.of(revision) if revision else None,
            created_at=workflow.created_at,
            created_by=workflow.created_by,
            updated_at=workflow.updated_at,
            updated_by=workflow.updated_by,
        )


@router.get("", response_model=PageOut[WorkflowSummary], dependencies=[requires(Permission.READ)])
def list_workflows(
    session: SessionDep,
    search: Annotated[str, Query(max_length=200, description="Matches id, name, description")] = "",
    limit: Limit = 50,
    offset: Offset = 0,
) -> PageOut[WorkflowSummary]:
    page = service.list_workflows(session, search=search, limit=limit, offset=offset)
    revisions = service.current_revisions(session, page.items)
    return PageOut(items=[WorkflowSummary.of(w, revisions.get(w.id)) for w in page.items], total=page.total)


@router.get(
    "/{workflow_id}",
    response_model=WorkflowSummary,
    dependencies=[requires(Permission.READ, dag_id_param="workflow_id")],
)
def get_workflow(workflow_id: str, session: SessionDep) -> WorkflowSummary:
    workflow = service.get_workflow(session, workflow_id)
    revision = service.current_revisions(session, [workflow]).get(workflow.id)
    return WorkflowSummary.of(workflow, revision)
