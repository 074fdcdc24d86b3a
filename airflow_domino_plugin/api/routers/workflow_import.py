"""``/workflows/import``: create a workflow from a file, ours or Domino's (the format is detected)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from airflow_domino_plugin.airflow_adapter.auth import SessionDep
from airflow_domino_plugin.api.authorization import Permission, requires, secrets_reader, user_name
from airflow_domino_plugin.api.routers.workflows import CREATE_REFUSED, WorkflowOut, _out
from airflow_domino_plugin.services import workflow_import as service
from airflow_domino_plugin.services.errors import Issue
from airflow_domino_plugin.workflows.domino_import import RepositoryTarget

router = APIRouter(prefix="/workflows", tags=["workflows"])


class RepositoryTargetIn(BaseModel):
    repository: str = Field(min_length=1, max_length=250, description="Name of an installed repository.")
    version: str | None = Field(
        default=None, max_length=100, description="Installed version; default: the Domino file's, else the newest."
    )


class ImportBody(BaseModel):
    document: dict[str, Any] = Field(
        description="A workflow document, or a Domino workflow: its REST API body (`workflow`, `tasks`, "
        "`ui_schema`), a stored one (`schema`, `ui_schema`) or its editor's export (`workflowNodes`, ...)."
    )
    message: str = Field(default="", max_length=2000, description="Kept with revision 1.")
    id: str | None = Field(
        default=None, max_length=200, description="Workflow id (default: the file's, or from its name)."
    )
    name: str | None = Field(default=None, max_length=200, description="Workflow name (default: the file's).")
    repositories: dict[str, RepositoryTargetIn] = Field(
        default_factory=dict,
        description="Where a Domino file's pieces are found. Keys: Domino's repository id, its repository URL, "
        'the image or repository name, a piece name, or "*" for every piece.',
    )

    def targets(self) -> dict[str, RepositoryTarget]:
        return {key: RepositoryTarget(t.repository, t.version) for key, t in self.repositories.items()}


class ImportIssue(BaseModel):
    path: str
    pointer: str
    message: str
    code: str

    @classmethod
    def of(cls, issue: Issue) -> ImportIssue:
        return cls(path=issue.path, pointer=issue.pointer, message=issue.message, code=issue.code)


class ConvertOut(BaseModel):
    format: str = Field(description="`workflow` (ours), `domino-api`, `domino-stored` or `domino-editor`.")
    document: dict[str, Any] = Field(description="The workflow document to load or save.")
    warnings: list[ImportIssue] = Field(description="What the conversion left out on purpose, with its path.")
    task_ids: dict[str, str] = Field(description="Domino task (or editor node) id → task id here.")


class ImportOut(WorkflowOut):
    """The created workflow; ``warnings`` also lists what the conversion left out, with its path in the file."""

    format: str = Field(description="`workflow` (ours), `domino-api`, `domino-stored` or `domino-editor`.")
    task_ids: dict[str, str] = Field(description="Domino task (or editor node) id → task id here.")


@router.post(
    "/import/convert",
    response_model=ConvertOut,
    dependencies=[requires(Permission.READ)],
    openapi_extra={"x-domino-permission": "read"},  # converts and validates, saves nothing: viewers may call it
    summary="Convert a workflow file (ours or Domino's) without saving it",
    responses={422: {"description": "Every node or field that cannot be mapped, with its path in the file"}},
)
def convert_workflow(body: ImportBody, session: SessionDep) -> ConvertOut:
    converted = service.convert(
        session, body.document, workflow_id=body.id, name=body.name, repositories=body.targets()
    )
    return ConvertOut(
        format=converted.format,
        document=converted.document,
        warnings=[ImportIssue.of(w) for w in converted.warnings],
        task_ids=converted.task_ids,
    )


@router.post(
    "/import",
    response_model=ImportOut,
    status_code=201,
    summary="Create a workflow from a file: an exported document or a Domino workflow",
    responses={
        **CREATE_REFUSED,
        422: {"description": "Every node or field that cannot be mapped or is invalid, with its path in the file"},
    },
)
def import_workflow(
    body: ImportBody, session: SessionDep, user: Any = requires(Permission.EDIT_WORKFLOWS, "PUT")
) -> ImportOut:
    # An import is a save by this user: the secret bindings of the resulting document are theirs to make.
    saved, converted = service.import_workflow(
        session,
        body.document,
        author=user_name(user),
        reader=secrets_reader(user),
        message=body.message,
        workflow_id=body.id,
        name=body.name,
        repositories=body.targets(),
    )
    out = _out(session, saved.workflow, saved.revision, converted.warnings)
    return ImportOut(**out.model_dump(), format=converted.format, task_ids=converted.task_ids)
