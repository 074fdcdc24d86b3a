"""``/workflows``: stored workflows, their revisions, validation, import/export."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from airflow_domino_plugin.airflow_adapter.auth import AirflowApiDep, SessionDep
from airflow_domino_plugin.api.authorization import Permission, requires, secrets_reader, user_name
from airflow_domino_plugin.api.limits import MAX_DB_INT, DbId
from airflow_domino_plugin.api.paging import Limit, Offset, PageOut
from airflow_domino_plugin.db.models import Workflow, WorkflowRevision
from airflow_domino_plugin.services import airflow_dags, subflows
from airflow_domino_plugin.services import workflows as service
from airflow_domino_plugin.services.errors import InvalidInput, Issue, NotFound
from airflow_domino_plugin.services.secret_access import authorise_bindings, binding_issues
from airflow_domino_plugin.workflows.schedule import describe_schedule

router = APIRouter(prefix="/workflows", tags=["workflows"])

WORKFLOW_ID = "workflow_id"
# Why a new workflow is refused, whether created in the editor or imported from a file.
CREATE_REFUSED: dict[int | str, dict[str, Any]] = {
    403: {"description": "Not allowed, or a secret binding this user may not make (`errors` names it)"},
    409: {"description": "The id is taken"},
}


class RevisionSummary(BaseModel):
    id: int
    number: int
    created_at: datetime
    author: str
    message: str
    draft: bool = Field(
        default=False, description="Saved with problems: kept and editable, but never built into a DAG."
    )

    @classmethod
    def of(cls, revision: WorkflowRevision) -> RevisionSummary:
        return cls(
            id=revision.id,
            number=revision.number,
            created_at=revision.created_at,
            author=revision.author,
            message=revision.message,
            draft=revision.draft,
        )


class RevisionOut(RevisionSummary):
    document: dict[str, Any]

    @classmethod
    def of(cls, revision: WorkflowRevision) -> RevisionOut:
        return cls(**RevisionSummary.of(revision).model_dump(), document=revision.document)


class WorkflowSummary(BaseModel):
    id: str
    name: str
    description: str
    tags: list[str]
    schedule: str | None
    schedule_description: str
    status: str = Field(
        description="valid | build_error | paused | pending (not yet parsed by Airflow) | "
        "draft (only draft revisions: no DAG, cannot run)"
    )
    is_paused: bool | None
    next_run: datetime | None
    last_run_state: str | None
    last_run_at: datetime | None
    revision: RevisionSummary | None = Field(description="The current revision: what the editor opens.")
    deployed_revision: RevisionSummary | None = Field(
        default=None, description="The revision the DAG runs: the last one saved valid (none: only drafts)."
    )
    has_draft: bool = Field(
        default=False,
        description="The current revision is a draft, newer than the deployed one (the DAG runs that, if any).",
    )
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str

    @classmethod
    def of(
        cls,
        workflow: Workflow,
        revision: WorkflowRevision | None,
        state: airflow_dags.DagState | None,
        deployed: WorkflowRevision | None = None,
    ) -> WorkflowSummary:
        document: dict[str, Any] = revision.document if revision else {}
        schedule = document.get("schedule")
        if workflow.deployed_revision_id is None:
            status = "draft"
        elif state is None or not state.exists:
            status = "pending"
        elif state.build_error or state.has_import_error:
            status = "build_error"
        elif state.is_paused:
            status = "paused"
        else:
            status = "valid"
        return cls(
            id=workflow.id,
            name=workflow.name,
            description=workflow.description,
            tags=[str(t) for t in workflow.tags],
            schedule=schedule,
            schedule_description=describe_schedule(schedule),
            status=status,
            is_paused=state.is_paused if state else None,
            next_run=state.next_run if state else None,
            last_run_state=state.last_run_state if state else None,
            last_run_at=state.last_run_at if state else None,
            revision=RevisionSummary.of(revision) if revision else None,
            deployed_revision=RevisionSummary.of(deployed) if deployed else None,
            has_draft=revision is not None and revision.draft and revision.id != workflow.deployed_revision_id,
            created_at=workflow.created_at,
            created_by=workflow.created_by,
            updated_at=workflow.updated_at,
            updated_by=workflow.updated_by,
        )


class WorkflowOut(WorkflowSummary):
    document: dict[str, Any]
    warnings: list[dict[str, str]] = Field(
        default_factory=list,
        description="On create/update: what the saved document may do wrong at run time, each with "
        "`path`, `pointer`, `message`, `code` (e.g. a nullable output feeding a required input).",
    )


class CreateBody(BaseModel):
    document: dict[str, Any] = Field(description="The workflow document (see /schemas/workflow.json).")
    message: str = Field(default="", max_length=2000, description="What changed, kept with the revision.")
    draft: bool = Field(
        default=False,
        description="Save even if the document has problems, as a draft revision: listed and editable, "
        "but the DAG keeps running the last valid revision (none yet: no DAG) until a valid one is saved. "
        "Only the workflow id must be valid. The problems come back in `warnings`.",
    )


class UpdateBody(CreateBody):
    base_revision_id: int = Field(
        ge=1, le=MAX_DB_INT, description="The revision the edit started from; a stale one answers 409."
    )


class DuplicateBody(BaseModel):
    id: str = Field(description="Id of the new workflow.")
    name: str | None = Field(default=None, description="Name of the new workflow (default: '<name> (copy)').")


class ValidationResult(BaseModel):
    valid: bool
    errors: list[dict[str, str]]
    warnings: list[dict[str, str]] = Field(
        default_factory=list,
        description="Problems that do not refuse the save (`path`, `pointer`, `message`, `code`), "
        "e.g. `nullable_upstream`: an output that may be null feeds an input that does not accept null.",
    )


def _out(
    session: SessionDep, saved_workflow: Workflow, revision: WorkflowRevision, warnings: list[Issue] | None = None
) -> WorkflowOut:
    state = airflow_dags.dag_states(session, [saved_workflow.id]).get(saved_workflow.id)
    deployed = service.deployed_revisions(session, [saved_workflow]).get(saved_workflow.id)
    summary = WorkflowSummary.of(saved_workflow, revision, state, deployed)
    return WorkflowOut(
        **summary.model_dump(), document=revision.document, warnings=[w.as_dict() for w in warnings or []]
    )


@router.get("", response_model=PageOut[WorkflowSummary], dependencies=[requires(Permission.READ)])
def list_workflows(
    session: SessionDep,
    search: Annotated[str, Query(max_length=200, description="Matches id, name, description")] = "",
    tag: Annotated[str, Query(max_length=100, description="Only workflows with this tag")] = "",
    status: Annotated[str, Query(pattern="^(|valid|build_error|paused|pending|draft)$", description="Filter")] = "",
    limit: Limit = 50,
    offset: Offset = 0,
) -> PageOut[WorkflowSummary]:
    if status:
        # Status lives in Airflow's tables; filter after joining, over the whole matching set.
        page = service.list_workflows(session, search=search, tag=tag, limit=100_000, offset=0)
    else:
        page = service.list_workflows(session, search=search, tag=tag, limit=limit, offset=offset)
    revisions = service.current_revisions(session, page.items)
    deployed = service.deployed_revisions(session, page.items)
    states = airflow_dags.dag_states(session, [w.id for w in page.items])
    items = [WorkflowSummary.of(w, revisions.get(w.id), states.get(w.id), deployed.get(w.id)) for w in page.items]
    if status:
        matching = [item for item in items if item.status == status]
        return PageOut(items=matching[offset : offset + limit], total=len(matching))
    return PageOut(items=items, total=page.total)


@router.post(
    "/validate",
    response_model=ValidationResult,
    openapi_extra={"x-domino-permission": "read"},  # a POST that changes nothing: viewers may call it
    summary="Validate a document without saving it (secret bindings are checked for the caller)",
)
def validate(session: SessionDep, document: dict[str, Any], user: Any = requires(Permission.READ)) -> ValidationResult:
    result = _validate(session, document)
    refused = binding_issues(session, document, secrets_reader(user))
    if refused:
        result.valid = False
        result.errors.extend(issue.as_dict() for issue in refused)
    return result


def _validate(session: SessionDep, document: dict[str, Any]) -> ValidationResult:
    issues, warnings = service.validate_with_warnings(session, document)
    return ValidationResult(
        valid=not issues, errors=[issue.as_dict() for issue in issues], warnings=[w.as_dict() for w in warnings]
    )


@router.post(
    "",
    response_model=WorkflowOut,
    status_code=201,
    summary="Create a workflow (also the import of an exported document)",
    responses={
        **CREATE_REFUSED,
        422: {"description": "Invalid document (with `draft`: only an invalid id is refused)"},
    },
)
def create_workflow(
    body: CreateBody, session: SessionDep, user: Any = requires(Permission.EDIT_WORKFLOWS, "PUT")
) -> WorkflowOut:
    authorise_bindings(session, body.document, secrets_reader(user))
    saved = service.create(session, body.document, author=user_name(user), message=body.message, draft=body.draft)
    return _out(session, saved.workflow, saved.revision, saved.warnings)


@router.get(
    "/{workflow_id}", response_model=WorkflowOut, dependencies=[requires(Permission.READ, dag_id_param=WORKFLOW_ID)]
)
def get_workflow(workflow_id: str, session: SessionDep) -> WorkflowOut:
    workflow = service.get_workflow(session, workflow_id)
    return _out(session, workflow, service.current_revision(session, workflow))


class AsTaskOut(BaseModel):
    """What a task running this workflow (a sub-workflow) takes and returns."""

    id: str
    name: str
    input_schema: dict[str, Any] = Field(description="The workflow's run parameters, as the task's inputs.")
    output_schema: dict[str, Any] = Field(
        description="The outputs of its final tasks (those no other task waits for), named `<task id>.<output>`."
    )


@router.get(
    "/{workflow_id}/as-task",
    response_model=AsTaskOut,
    dependencies=[requires(Permission.READ, dag_id_param=WORKFLOW_ID)],
    summary="A deployed workflow seen as a sub-workflow task: its parameters as inputs, its final outputs",
    responses={404: {"description": "No such workflow, or it has no deployed revision"}},
)
def workflow_as_task(workflow_id: str, session: SessionDep) -> AsTaskOut:
    workflow = service.get_workflow(session, workflow_id)
    spec = subflows.sub_workflow_task_spec(session, workflow_id)
    if spec is None:
        raise NotFound(f"Workflow `{workflow_id}` has no deployed revision yet; save a valid revision first.")
    return AsTaskOut(
        id=workflow_id,
        name=workflow.name,
        input_schema=dict(spec.input_schema),
        output_schema=dict(spec.output_schema),
    )


@router.put(
    "/{workflow_id}",
    response_model=WorkflowOut,
    summary="Save a new revision",
    responses={409: {"description": "base_revision_id is stale; the body names the current revision"}},
)
def update_workflow(
    workflow_id: str,
    body: UpdateBody,
    session: SessionDep,
    user: Any = requires(Permission.EDIT_WORKFLOWS, "PUT", dag_id_param=WORKFLOW_ID),
) -> WorkflowOut:
    authorise_bindings(session, body.document, secrets_reader(user))
    saved = service.update(
        session,
        workflow_id,
        body.document,
        base_revision_id=body.base_revision_id,
        author=user_name(user),
        message=body.message,
        draft=body.draft,
    )
    return _out(session, saved.workflow, saved.revision, saved.warnings)


@router.delete(
    "/{workflow_id}",
    status_code=204,
    summary="Delete the workflow, its revisions, and its DAG with its runs",
)
def delete_workflow(
    workflow_id: str,
    session: SessionDep,
    airflow: AirflowApiDep,
    user: Any = requires(Permission.EDIT_WORKFLOWS, "DELETE", dag_id_param=WORKFLOW_ID),
) -> Response:
    service.delete(session, workflow_id, airflow=airflow, user_name=user_name(user))
    return Response(status_code=204)


@router.post("/{workflow_id}/duplicate", response_model=WorkflowOut, status_code=201)
def duplicate_workflow(
    workflow_id: str,
    body: DuplicateBody,
    session: SessionDep,
    user: Any = requires(Permission.EDIT_WORKFLOWS, "PUT"),
) -> WorkflowOut:
    source = service.current_revision(session, service.get_workflow(session, workflow_id))
    authorise_bindings(session, source.document, secrets_reader(user))  # the copy is a new save by this user
    saved = service.duplicate(session, workflow_id, new_id=body.id, new_name=body.name, author=user_name(user))
    return _out(session, saved.workflow, saved.revision)


@router.get(
    "/{workflow_id}/export",
    dependencies=[requires(Permission.READ, dag_id_param=WORKFLOW_ID)],
    summary="The current document as a JSON file (import it with POST /workflows)",
)
def export_workflow(workflow_id: str, session: SessionDep) -> Response:
    import json

    revision = service.current_revision(session, service.get_workflow(session, workflow_id))
    return Response(
        json.dumps(revision.document, indent=2, sort_keys=False),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="{workflow_id}.json"'},
    )


@router.get(
    "/{workflow_id}/revisions",
    response_model=PageOut[RevisionSummary],
    dependencies=[requires(Permission.READ, dag_id_param=WORKFLOW_ID)],
)
def list_revisions(
    workflow_id: str, session: SessionDep, limit: Limit = 50, offset: Offset = 0
) -> PageOut[RevisionSummary]:
    page = service.list_revisions(session, workflow_id, limit=limit, offset=offset)
    return PageOut(items=[RevisionSummary.of(r) for r in page.items], total=page.total)


@router.get(
    "/{workflow_id}/revisions/{revision_id}",
    response_model=RevisionOut,
    dependencies=[requires(Permission.READ, dag_id_param=WORKFLOW_ID)],
)
def get_revision(workflow_id: str, revision_id: DbId, session: SessionDep) -> RevisionOut:
    return RevisionOut.of(service.get_revision(session, workflow_id, revision_id))


@router.get(
    "/{workflow_id}/revisions/{revision_id}/diff",
    dependencies=[requires(Permission.READ, dag_id_param=WORKFLOW_ID)],
    summary="What changed from revision `against` (default: the previous one) to this one",
)
def diff_revisions(
    workflow_id: str,
    revision_id: DbId,
    session: SessionDep,
    against: Annotated[int | None, Query(ge=1, le=MAX_DB_INT, description="Revision id to compare with")] = None,
) -> dict[str, Any]:
    from airflow_domino_plugin.workflows.diff import diff_workflows

    new = service.get_revision(session, workflow_id, revision_id)
    if against is None:
        previous = [r for r in service.list_revisions(session, workflow_id, limit=1000).items if r.number < new.number]
        if not previous:
            raise InvalidInput("Revision 1 has nothing before it; pass `against`.", [])
        old = previous[0]
    else:
        old = service.get_revision(session, workflow_id, against)
    return {
        "from": RevisionSummary.of(old).model_dump(mode="json"),
        "to": RevisionSummary.of(new).model_dump(mode="json"),
        "changes": diff_workflows(old.document, new.document),
    }
